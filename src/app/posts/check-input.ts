/**
 * What the checker is asked about a post, built the same way on the server (the authority at
 * every transition) and in the staff page's script (the live check): the text, the account's
 * platform and facts, whether images are attached, and the embargo (5.2.2.2) as it applies at
 * the time the post goes out — a post scheduled after its embargo is not held back by it.
 * Pure and free of imports so the browser bundle can include it.
 */

/** The account facts the checker uses (division for 5.3.1, homepage for links, character). */
export type CheckAccount = { division: string; homepageUrl: string; character: boolean };

/** The checker's input for a post (the shape of `checkInputSchema`). */
export type PostCheckInput = {
  text: string;
  platform: string;
  kind: "post" | "correction";
  account: CheckAccount;
  postDate?: string;
  hasImages: boolean;
  imagesRightsConfirmed: boolean;
  embargoUntil?: string;
};

/**
 * The checker input for a post.
 * @param props.embargoUntil ISO instant (with offset) before which the post may not go out
 * @param props.scheduledAt ISO instant (with offset) the post is to go out at; omitted or past
 *   means "now"
 * @param props.now the current instant (ISO), to tell a future schedule from a past one
 * @param props.imageCount images attached (each carries a rights confirmation, 5.1.3)
 */
export function postCheckInput(props: {
  text: string;
  platform: string;
  kind: "post" | "correction";
  account: CheckAccount;
  embargoUntil: string | null;
  scheduledAt: string | null;
  now: string;
  imageCount: number;
}): PostCheckInput {
  const input: PostCheckInput = {
    text: props.text,
    platform: props.platform,
    kind: props.kind,
    account: props.account,
    hasImages: props.imageCount > 0,
    // Every stored image carries its rights confirmation (own / consent / licensed).
    imagesRightsConfirmed: true,
  };
  const scheduled =
    props.scheduledAt !== null && Date.parse(props.scheduledAt) > Date.parse(props.now)
      ? props.scheduledAt
      : null;
  if (scheduled !== null) input.postDate = tokyoDateOf(scheduled);
  if (props.embargoUntil !== null) {
    // 5.2.2.2: the embargo matters when the post goes out; a schedule at or after it satisfies it.
    const goesOutAt = scheduled !== null ? Date.parse(scheduled) : Date.parse(props.now);
    if (Date.parse(props.embargoUntil) > goesOutAt) input.embargoUntil = props.embargoUntil;
  }
  return input;
}

/** The Tokyo calendar date (YYYY-MM-DD) of an ISO instant (Japan has no daylight saving time). */
export function tokyoDateOf(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** A form's `datetime-local` value (Tokyo wall time, `2026-12-05T10:00`) as an ISO instant. */
export function tokyoLocalToIso(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? "00"}+09:00`);
  if (Number.isNaN(at)) return null;
  // Date.parse rolls 2 月 30 日 over into March: a day that does not exist is refused.
  if (isoToTokyoLocal(new Date(at)) !== `${m[1]}T${m[2]}:${m[3]}`) return null;
  return new Date(at).toISOString();
}

/** An instant as a `datetime-local` value in Tokyo wall time (for re-showing a form). */
export function isoToTokyoLocal(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);
}
