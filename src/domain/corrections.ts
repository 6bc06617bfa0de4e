/**
 * What a correction post must do (5.3.2 誤りは直ちに認め訂正, 5.3.3 訂正したことを明記): say that
 * it corrects — the checker's rule — and actually correct: a correction whose text, once the
 * label (【訂正】 and the lead the system writes) is set aside, is the original text again
 * corrects nothing. Texts are compared after NFKC normalisation with white space ignored, as the
 * re-send rule compares them. Pure: no I/O.
 */

/** The lead the system writes before the original text when a correction is started. */
export function correctionLead(when: string): string {
  return `【訂正】${when}お知らせした内容に誤りがありました。正しくは次のとおりです。お詫びして訂正いたします。`;
}

/** NFKC, white space (spaces, line breaks, full-width spaces) removed. */
export function comparable(text: string): string {
  return text.normalize("NFKC").replace(/\s+/gu, "");
}

// On comparable text: the system's lead (any date), or a label such as 【訂正】, [お詫びと訂正], 訂正:.
const leadPattern = new RegExp(
  `^${escapeRegExp(comparable(correctionLead("@@WHEN@@"))).replace("@@WHEN@@", ".{0,20}?")}`,
  "u",
);
const labelPattern =
  /^(?:【(?:お詫びと)?訂正(?:とお詫び)?】|〔(?:お詫びと)?訂正(?:とお詫び)?〕|\[(?:お詫びと)?訂正(?:とお詫び)?\]|\((?:お詫びと)?訂正(?:とお詫び)?\)|(?:お詫びと)?訂正:)/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The text of a correction without its label and the system's lead, comparable. */
export function correctionBody(text: string): string {
  const value = comparable(text);
  const withoutLead = value.replace(leadPattern, "");
  return withoutLead !== value ? withoutLead : value.replace(labelPattern, "");
}

/**
 * Whether the correction corrects nothing: once its label is set aside, its text is the
 * original's (or empty).
 */
export function correctsNothing(correction: string, original: string): boolean {
  const body = correctionBody(correction);
  return body === "" || body === comparable(original);
}
