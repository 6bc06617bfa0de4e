/** Morphological analysis as the rules see it: tokens with offsets and IPADIC parts of speech. */

export interface Token {
  /** UTF-16 offsets into the analysed string. */
  start: number;
  end: number;
  surface: string;
  /** IPADIC part of speech and its details, e.g. 名詞 / 固有名詞 / 人名 / 姓. */
  pos: string;
  pos1: string;
  pos2: string;
  pos3: string;
  /** Conjugated form (e.g. 命令ｅ, 基本形) or "*". */
  conj: string;
  basic: string;
  /** False for words not in the dictionary. */
  known: boolean;
}

/** Anything that can split Japanese text into tokens (IPADIC through morph/lattice.ts on the server). */
export interface Morphology {
  tokenize(text: string): Token[];
}

/** "名詞,固有名詞,人名,姓" — the POS path used for prefix checks. */
export function posPath(t: Token): string {
  return `${t.pos},${t.pos1},${t.pos2},${t.pos3}`;
}

/** True for punctuation and symbols (IPADIC tags ASCII "!" as a noun, so look at the surface too). */
export function isPunctuation(t: Token): boolean {
  return t.pos === "記号" || /^[\p{P}\p{S}\s]+$/u.test(t.surface);
}
