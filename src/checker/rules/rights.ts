/**
 * 5.1.3 第三者の権利 and 5.2.3 権利を侵害する情報 — images without a rights/consent confirmation,
 * reposted third-party content (転載), copyright notices of others, and quotations to confirm.
 */
import type { CheckContext } from "../context.ts";

const NOTICE_AFTER = /^(?:を?禁(?:止|じ)|はご遠慮|はお断り|不可|はできません|しないで)/;

/** 5.1.3 and 5.2.3: images without a rights confirmation, reposts, others' copyright notices, quotations. */
export function checkRights(ctx: CheckContext): void {
  if (ctx.input.hasImages && !ctx.input.imagesRightsConfirmed) {
    ctx.reportOriginal(
      "rights.images-unconfirmed",
      "5.1.3",
      "warning",
      0,
      0,
      "画像の肖像権・著作権の確認が済んでいません",
      "写っている人の同意や、撮影者・作者の許諾を確認し、確認済みにしてから投稿してください。",
    );
  }
  const text = ctx.text;
  for (const h of ctx.distinctHits("copyright")) {
    if (NOTICE_AFTER.test(text.slice(h.end, h.end + 8))) continue; // 無断転載禁止: the city's own notice
    if (h.term === "©" || h.term === "(c)" || h.term === "copyright") {
      const owner = text.slice(h.end, h.end + 24);
      if (ctx.compiled.pack.municipality.aliases.some((a) => owner.includes(a.normalize("NFKC")))) continue;
      ctx.report(
        "rights.copyright-notice",
        "5.2.3",
        "info",
        h.start,
        h.end,
        "第三者の著作権表示があります",
        "著作物の利用について権利者の許諾を得ていることを確認してください。",
      );
      continue;
    }
    ctx.report(
      "rights.repost",
      "5.2.3",
      "warning",
      h.start,
      h.end,
      `「${ctx.quote(h.start, h.end)}」とあり、第三者の著作物を転載していると受け取られます`,
      "転載には権利者の許諾が必要です。許諾を確認するか、リンクで紹介する形にしてください。",
    );
  }
  for (const h of ctx.distinctHits("citation")) {
    ctx.report(
      "rights.quotation",
      "5.1.3",
      "info",
      h.start,
      h.end,
      "第三者の文章や資料を引用しています",
      "引用は必要な範囲にとどめ、出典を明示してください。",
    );
  }
}
