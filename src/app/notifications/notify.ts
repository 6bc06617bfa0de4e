/**
 * `notify()`: what every feature calls, inside its own transaction, to tell people something.
 * It writes one in-app notification per active recipient (skipping a recipient who already has
 * one with the same dedupe key, so a reminder is never sent twice) and leaves the e-mail to the
 * delivery job, which runs after the commit: nothing is ever sent from inside a transaction.
 */
import type { Db } from "../../db/client.ts";
import { activeStaffIds, insertNotifications } from "../../db/repos/notifications.ts";
import { isUrgent, type NotificationKind } from "./kinds.ts";
import { markMailWaiting } from "./signal.ts";

export type NotifyInput = {
  /** Staff ids; duplicates and inactive people are dropped. */
  recipientIds: readonly (number | null | undefined)[];
  kind: NotificationKind;
  /** One line in Japanese; it is also the e-mail subject (after 【snsgov】). */
  title: string;
  /** A few sentences in Japanese (plain text). */
  body?: string;
  /** The page to open, a path on this site (`/posts/12`); the e-mail links to publicUrl + href. */
  href?: string;
  /** Always e-mailed immediately, whatever the recipient chose (incidents, emergencies, overdue rotations). */
  urgent?: boolean;
  /** With it, a recipient gets at most one notification per key (e.g. `task:12:overdue`). */
  dedupeKey?: string | null;
};

const TITLE_MAX = 200;
const BODY_MAX = 4000;

/** A path on this site: starts with one slash (never `//host` or a scheme), no backslash or control characters. */
export function isLocalPath(href: string): boolean {
  if (!href.startsWith("/") || href.startsWith("//") || href.includes("\\")) return false;
  for (let i = 0; i < href.length; i++) {
    const code = href.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/**
 * Writes notifications in `tx` (the caller's transaction); returns the ids written, one per
 * recipient that did not have this dedupe key yet.
 * @throws Error when the title is empty or `href` is not a path on this site (a programming error)
 */
export async function notify(ctx: { clock: { now(): Date } }, tx: Db, input: NotifyInput): Promise<number[]> {
  const title = input.title.replace(/\s+/g, " ").trim().slice(0, TITLE_MAX);
  if (title === "") throw new Error("notify: the title is empty");
  const href = input.href ?? "";
  if (href !== "" && !isLocalPath(href)) throw new Error(`notify: href must be a path on this site: ${href}`);
  const wanted = [...new Set(input.recipientIds.filter((id): id is number => typeof id === "number"))];
  const recipients = await activeStaffIds(tx, wanted);
  if (recipients.length === 0) return [];
  const createdAt = ctx.clock.now();
  const urgent = isUrgent(input.kind, input.urgent ?? false);
  const written = await insertNotifications(
    tx,
    recipients.map((recipientId) => ({
      recipientId,
      kind: input.kind,
      title,
      body: (input.body ?? "").trim().slice(0, BODY_MAX),
      href,
      urgent,
      dedupeKey: input.dedupeKey ?? null,
      createdAt,
    })),
  );
  if (written.length > 0) markMailWaiting();
  return written.map((w) => w.id);
}
