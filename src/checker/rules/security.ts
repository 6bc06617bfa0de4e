/**
 * 5.2.4 市のセキュリティを脅かす情報 — passwords, PINs and door codes with their value, where
 * keys are kept, where the server room is, security-camera blind spots, gaps in guarding.
 * Telling citizens how to reset their own password has no value in it and is not reported.
 */
import type { CheckContext, Hit } from "../context.ts";

const CLAUSE = "5.2.4";
const VALUE = /^[A-Za-z0-9!#$%&*+\-_.@?^~]{3,}/;

/** Passwords, PINs and door codes followed by their value (パスワードは iwaki2026!, 暗証番号4821). */
export function checkSecrets(ctx: CheckContext): void {
  const text = ctx.text;
  const c = ctx.compiled;
  for (const h of ctx.distinctHits("secretWord")) {
    if ((/^[a-z]/.test(h.term) && !asciiWord(ctx.lower, h)) || ctx.inUrl(h.start, h.end)) continue;
    const rest = text.slice(h.end, h.end + 40);
    const lead = /^(?:\s*(?:は|:|=|を|が|、|「|『|"|'|こちら|次の通り|以下の通り))*\s*/.exec(rest);
    const offset = lead ? lead[0].length : 0;
    const v = VALUE.exec(rest.slice(offset));
    if (!v) continue;
    const value = v[0];
    if (!/[0-9]/.test(value) && !(/[A-Za-z]/.test(value) && /[^A-Za-z]/.test(value)) && value.length < 6)
      continue;
    const after = rest.slice(offset + value.length).replace(/^\s+/, "");
    if (c.secretValueStop.some((w) => after.startsWith(w))) continue;
    const start = h.start;
    const end = h.end + offset + value.length;
    const s = ctx.sentenceAt(start);
    const wifi = ctx.hitsIn("publicWifi", s.start, s.end).length > 0;
    ctx.report(
      "security.secret-value",
      CLAUSE,
      wifi ? "warning" : "error",
      start,
      end,
      wifi
        ? `${ctx.quote(h.start, h.end)}の値が書かれています。公開用の無線LANのものか確認が必要です`
        : `${ctx.quote(h.start, h.end)}の値が書かれています。市のセキュリティを脅かす情報です`,
      wifi
        ? "来館者向けに公開しているパスワードであることを確認してください。職員用のものであれば削除し、直ちに変更してください。"
        : "パスワードや暗証番号は絶対に投稿しないでください。削除したうえで、すでに知られた可能性があるため直ちに変更してください。",
    );
  }
}

function asciiWord(lower: string, h: Hit): boolean {
  const before = lower.charCodeAt(h.start - 1);
  const after = lower.charCodeAt(h.end);
  const alnum = (x: number): boolean => (x >= 0x30 && x <= 0x39) || (x >= 0x61 && x <= 0x7a);
  return !alnum(before) && !alnum(after);
}

/** Where keys are kept (鍵は…に保管しています), server-room locations, camera blind spots, guarding gaps. */
export function checkPhysicalSecurity(ctx: CheckContext): void {
  let lastKeySentence = -1;
  const help = ctx.contextBit("passwordHelp");
  const things = [...ctx.distinctHits("keyWord"), ...ctx.distinctHits("secretWord")].sort(
    (a, b) => a.start - b.start,
  );
  for (const k of things) {
    if (ctx.sentenceHasContext(k.start, help)) continue;
    const si = ctx.sentenceIndex(k.start);
    if (si === lastKeySentence) continue;
    const s = ctx.sentenceAt(k.start);
    const verb = ctx
      .hits("storageVerb")
      .find((v) => v.start >= k.end && v.end <= s.end && v.start - k.end <= 40);
    if (!verb) continue;
    // 保管場所は… names the place itself; otherwise a place must be given with に (…キーボックスに保管).
    const namesPlace = /[:は]$/.test(verb.term) || verb.term.startsWith("に");
    if (!namesPlace && !ctx.text.slice(k.end, verb.start).includes("に")) continue;
    lastKeySentence = si;
    ctx.report(
      "security.key-storage",
      CLAUSE,
      "error",
      k.start,
      verb.end,
      "鍵やパスワードの保管場所が書かれています",
      "鍵・合鍵やパスワードの保管場所は投稿しないでください。施設の利用方法は、窓口での受け渡しなど保管場所が分からない書き方にしてください。",
    );
  }
  for (const r of ctx.distinctHits("serverRoom")) {
    const s = ctx.sentenceAt(r.start);
    const detail = ctx
      .hitsIn("serverRoomDetail", s.start, s.end)
      .find((d) => Math.abs(d.start - r.start) <= 20);
    if (!detail) continue;
    ctx.report(
      "security.server-room",
      CLAUSE,
      "error",
      Math.min(r.start, detail.start),
      Math.max(r.end, detail.end),
      "サーバー室などの場所や入り方が書かれています",
      "情報システムの設置場所や入室方法は投稿しないでください。",
    );
  }
  for (const cam of ctx.distinctHits("camera")) {
    const s = ctx.sentenceAt(cam.start);
    const spot = ctx.hitsIn("blindSpot", s.start, s.end)[0];
    if (!spot) continue;
    ctx.report(
      "security.camera-blind-spot",
      CLAUSE,
      "error",
      Math.min(cam.start, spot.start),
      Math.max(cam.end, spot.end),
      "防犯カメラの死角や撮影範囲が書かれています",
      "防犯カメラの死角や設置状況の弱点は投稿しないでください。",
    );
  }
  for (const g of ctx.distinctHits("guardGap")) {
    ctx.report(
      "security.guard-gap",
      CLAUSE,
      "warning",
      g.start,
      g.end,
      `「${ctx.quote(g.start, g.end)}」は施設の警備の弱点を知らせる情報です`,
      "警備体制や施錠の状況は投稿しないでください。利用者への案内が必要な場合は、開館時間など一般的な内容にとどめてください。",
    );
  }
}
