/**
 * 5.3.3 訂正したことを明記 — a post of kind `correction` must say that it corrects
 * (【訂正】, 訂正, 誤りがありました, 正しくは …); it should also point to what it corrects.
 */
import type { CheckContext } from "../context.ts";

/** 5.3.3: reports a correction post that does not say it corrects. */
export function checkCorrection(ctx: CheckContext): void {
  if (ctx.input.kind !== "correction") return;
  if (ctx.hits("correction").length === 0) {
    const first = ctx.sentences[0];
    const [start, end] = first ? [first.start, first.end] : [0, 0];
    ctx.report(
      "correction.no-marker",
      "5.3.3",
      "error",
      start,
      end,
      "訂正の投稿ですが、訂正したことが明記されていません",
      "冒頭に【訂正】と書き、「〇月〇日にお知らせした〜に誤りがありました。正しくは〜です。」のように、どこをどう訂正したかを明記してください。",
    );
    return;
  }
  if (ctx.hits("correctionReference").length === 0) {
    ctx.reportOriginal(
      "correction.no-reference",
      "5.3.3",
      "info",
      0,
      0,
      "どの投稿を訂正したのかが書かれていません",
      "「〇月〇日にお知らせした〜」のように、訂正の対象を示すと分かりやすくなります（元の投稿を引用する方法もあります）。",
    );
  }
}
