/**
 * 5.2.8 噂・流説・風評 — 噂, 未確認の情報, 〜という話, hearsay 〜らしい / 〜とか / 〜みたい after a
 * verb (by morphological analysis: 閉店するらしい is hearsay, 春らしい is not). A post that denies a rumour
 * (デマにご注意ください) is not reported.
 */
import type { CheckContext } from "../context.ts";
import { isPunctuation } from "../morph/types.ts";

const CLAUSE = "5.2.8";
const HINT =
  "正否が確認できない情報は発信できません。事実を確認したうえで、情報源（市の発表など）を示して書いてください。";

const VERBAL = new Set(["動詞", "助動詞", "形容詞"]);

/** 5.2.8: rumour words and hearsay after a verb, unless the sentence denies the rumour. */
export function checkRumours(ctx: CheckContext): void {
  const denial = ctx.contextBit("rumourDenial");
  for (const h of ctx.distinctHits("rumour")) {
    if (ctx.sentenceHasContext(h.start, denial)) continue;
    const end = ctx.wordEnd(h.end);
    ctx.report(
      "rumour.unconfirmed",
      CLAUSE,
      "warning",
      h.start,
      end,
      `「${ctx.quote(h.start, end)}」とあり、正否が確認できない情報と受け取られます`,
      HINT,
    );
  }
  for (const h of ctx.hits("hearsay")) {
    if (ctx.sentenceHasContext(h.start, denial)) continue;
    const tokens = ctx.tokensAround(h.start, h.end);
    const i = tokens.findIndex((t) => t.start === h.start);
    const t = tokens[i];
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (!t || !prev) continue;
    let hearsay = false;
    if (t.basic === "らしい" && t.pos === "助動詞") {
      hearsay =
        VERBAL.has(prev.pos) ||
        (prev.pos === "名詞" &&
          prev.pos1 === "サ変接続" &&
          !(next && next.pos === "名詞" && !isPunctuation(next)));
    } else if (t.surface === "と" && next?.surface === "か" && h.term === "とか") {
      // なるとか。 is analysed as と + か: hearsay when it ends the sentence after a verb.
      const after = tokens[i + 2];
      hearsay = VERBAL.has(prev.pos) && (!after || isPunctuation(after));
      if (hearsay) {
        ctx.report(
          "rumour.hearsay",
          CLAUSE,
          "warning",
          prev.start,
          next.end,
          `「${ctx.quote(prev.start, next.end)}」は伝聞の表現で、正否が確認できない情報と受け取られます`,
          HINT,
        );
      }
      continue;
    } else if (t.surface === "とか" && t.pos === "助詞") {
      hearsay =
        VERBAL.has(prev.pos) &&
        (!next || isPunctuation(next) || /^(?:で|聞|言|いう|って)/.test(ctx.text.slice(t.end, t.end + 2)));
    } else if (t.surface === "みたい" && (prev.pos === "動詞" || prev.pos === "助動詞")) {
      hearsay = true;
    } else if (t.surface === "そう" && t.pos1 === "特殊" && VERBAL.has(prev.pos) && prev.conj === "基本形") {
      // 閉店するそうです (hearsay; 降りそう is appearance and analysed as 接尾): information only,
      // because relaying what someone reported is often fine when the source is known.
      if (ctx.sentenceHasContext(h.start, ctx.contextBit("source"))) continue;
      ctx.report(
        "rumour.hearsay-sou",
        CLAUSE,
        "info",
        prev.start,
        t.end,
        `「${ctx.quote(prev.start, t.end)}」は伝聞の表現です`,
        "情報源を確認し、確かな情報であれば「〜と発表がありました」のように出典を示して書いてください。",
      );
      continue;
    }
    if (!hearsay) continue;
    // Start the span at the verb: 変わっ + た + みたい, not just た + みたい.
    let k = i - 1;
    while (k > 0 && tokens[k]?.pos === "助動詞" && VERBAL.has(tokens[k - 1]?.pos ?? "")) k--;
    const start = tokens[k]?.start ?? prev.start;
    ctx.report(
      "rumour.hearsay",
      CLAUSE,
      "warning",
      start,
      t.end,
      `「${ctx.quote(start, t.end)}」は伝聞・推測の表現で、正否が確認できない情報と受け取られます`,
      HINT,
    );
  }
}
