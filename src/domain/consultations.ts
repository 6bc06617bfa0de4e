/**
 * Consultations (10 定めのない事項はふるさと発信課長に協議): their states, who closes one, and tags.
 * Pure. A question is open (回答待ち) until the consultation desk answers it (回答済み). Whether
 * the answer settles it is for the person who asked to say: they close it (解決済み), or reopen
 * it, which sends it back to the desk (回答待ち). Only when they have not replied for
 * DESK_CLOSE_AFTER_DAYS days after the answer may the desk close it for them. Answered questions
 * form a knowledge base every member of staff can search.
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

/**
 * 10: days after the desk's (latest) answer during which only the person who asked closes the
 * consultation; after them without a reply from the asker (closing or reopening it), the desk
 * may close it as resolved. Shown on the consultation page.
 */
export const DESK_CLOSE_AFTER_DAYS = 14;

const DAY_MS = 86_400_000;

/** When the desk may close an answered consultation: DESK_CLOSE_AFTER_DAYS after the answer. */
export function deskMayCloseFrom(answeredAt: Date): Date {
  return new Date(answeredAt.getTime() + DESK_CLOSE_AFTER_DAYS * DAY_MS);
}

/** Who is closing a consultation: the person who asked, the desk, or anyone else. */
export type CloserRole = "asker" | "desk" | "other";

/**
 * Whether `closer` may close the consultation as resolved (解決済み) at `now` (10): the person who
 * asked, whenever it is not closed; the desk only once it is answered and the asker has not
 * replied for DESK_CLOSE_AFTER_DAYS days after the answer; nobody else.
 */
export function mayClose(
  consultation: { status: string; answeredAt: Date | null },
  closer: CloserRole,
  now: Date,
): boolean {
  if (consultation.status === "closed") return false;
  if (closer === "asker") return true;
  if (closer !== "desk") return false;
  return (
    consultation.status === "answered" &&
    consultation.answeredAt !== null &&
    now.getTime() >= deskMayCloseFrom(consultation.answeredAt).getTime()
  );
}

/**
 * The status a reopened consultation takes: reopened by the person who asked, the answer did
 * not settle it and it goes back to the desk (回答待ち); reopened by the desk, it is as it was
 * before closing (回答済み when answered).
 */
export function reopenedStatus(consultation: { answer: string }, by: CloserRole): ConsultationStatus {
  if (by === "asker") return "open";
  return consultation.answer ? "answered" : "open";
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
