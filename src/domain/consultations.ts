/**
 * Consultations (10 定めのない事項はふるさと発信課長に協議): their states and tags. Pure. A
 * question is open (回答待ち) until the consultation desk answers it (回答済み); the person who
 * asked, or the desk, closes it (解決済み). Answered questions form a knowledge base every member
 * of staff can search.
 */

export const consultationStatuses = ["open", "answered", "closed"] as const;
export type ConsultationStatus = (typeof consultationStatuses)[number];

export const consultationStatusLabels: Record<ConsultationStatus, string> = {
  open: "回答待ち",
  answered: "回答済み",
  closed: "解決済み",
};

export function isConsultationStatus(value: string): value is ConsultationStatus {
  return (consultationStatuses as readonly string[]).includes(value);
}

/** At most this many tags, each at most 20 characters. */
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 20;

/**
 * Tags as typed (「生成AI、画像 著作権」 or an array): split on commas, 、 and spaces, leading #
 * dropped, width-normalised (ＡＩ → AI), duplicates removed, in the order given.
 */
export function parseTags(input: string | readonly string[]): string[] {
  const parts = (typeof input === "string" ? [input] : input).flatMap((s) =>
    s.normalize("NFKC").split(/[\s,、，]+/u),
  );
  const out: string[] = [];
  for (const part of parts) {
    const tag = part.replace(/^#+/, "").trim();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** Reads stored tags (jsonb) defensively. */
export function tagsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
}
