/**
 * Labels for demo texts (`npm run demo`): a demo must not pass off invented texts as a real
 * city's official ones, so every demo document that could look official (a guideline revision,
 * council rules, minutes, answers) says 「サンプル」 in its title and in its body.
 */

/** The mark put before the title of a demo text. */
export const SAMPLE_MARK = "【サンプル】";

/** The line put at the top of a demo text's body. */
export const SAMPLE_NOTE = "※これはデモ用のサンプルです。実在の自治体の文書ではありません。";

/** A demo text's title, marked as a sample. */
export function sampleTitle(title: string): string {
  return title.startsWith(SAMPLE_MARK) ? title : `${SAMPLE_MARK}${title}`;
}

/** A demo text's body, opening with the sample note. */
export function sampleBody(body: string): string {
  return body.startsWith(SAMPLE_NOTE) ? body : `${SAMPLE_NOTE}\n${body}`;
}
