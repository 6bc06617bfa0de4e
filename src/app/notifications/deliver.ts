/**
 * Sending notifications by e-mail, after they have committed: immediately (urgent ones, and kinds
 * the person wants at once) and the daily digest at 08:00 Tokyo (kinds the person wants bundled).
 * Rows are claimed with one UPDATE before sending (`emailed_at`, `digested_at`), so several
 * instances never send the same notification twice; when the mail server refuses, the claim is
 * given back and the next run tries again, for up to a day (a week for the digest).
 */
import * as repo from "../../db/repos/notifications.ts";
import { tokyoDate } from "../../domain/dates.ts";
import type { AppContext } from "../context.ts";
import { deliveryFor, isDeliveryMode, modeDefaults } from "./kinds.ts";
import { digestMail, type Mailer, mailerFor, notificationMail } from "./mail.ts";

/** How long an unsent notification is still worth an immediate e-mail. */
const IMMEDIATE_WINDOW_MS = 24 * 60 * 60_000;
/** How far back the digest looks. */
const DIGEST_WINDOW_MS = 7 * 24 * 60 * 60_000;
/** Most notifications one run looks at. */
const BATCH = 500;

export type DeliveryResult = { sent: number; failed: number; emailOff: boolean };

function modeOf(row: repo.PendingEmail) {
  const preference = row.preference !== null && isDeliveryMode(row.preference) ? row.preference : undefined;
  return deliveryFor({ kind: row.kind, urgent: row.urgent, preference });
}

/** Whether a row can be mailed at all: an active person with an address. */
function reachable(row: repo.PendingEmail): boolean {
  return row.active && row.email.includes("@");
}

/**
 * Sends the notifications due for an immediate e-mail: urgent ones always, others when the person
 * chose 「すぐに」 for the kind and has not read them in the app yet.
 */
export async function deliverImmediate(
  ctx: AppContext,
  mailer: Mailer | undefined = mailerFor(ctx.config),
): Promise<DeliveryResult> {
  if (!mailer) return { sent: 0, failed: 0, emailOff: true };
  const now = ctx.clock.now();
  const pending = await repo.pendingEmail(ctx.db, {
    since: new Date(now.getTime() - IMMEDIATE_WINDOW_MS),
    limit: BATCH,
    mode: "immediate",
    defaults: modeDefaults,
  });
  const due = pending.filter(
    (row) => reachable(row) && modeOf(row) === "immediate" && (row.urgent || row.readAt === null),
  );
  const claimed = new Set(
    await repo.claimForEmail(
      ctx.db,
      due.map((row) => row.id),
      now,
    ),
  );
  let sent = 0;
  let failed = 0;
  for (const row of due) {
    if (!claimed.has(row.id)) continue;
    try {
      await mailer.send(notificationMail(ctx.config, row, row));
      sent++;
    } catch (error) {
      failed++;
      await repo.releaseEmailClaim(ctx.db, [row.id]);
      ctx.log.warn("notification e-mail not accepted", {
        notification: row.id,
        recipient: row.recipientId,
        error,
      });
    }
  }
  if (sent > 0 || failed > 0) ctx.log.info("notification e-mail", { sent, failed });
  return { sent, failed, emailOff: false };
}

/**
 * Sends each person one e-mail listing their unread notifications of the kinds they want in the
 * daily digest (run at 08:00 Tokyo).
 */
export async function sendDigests(
  ctx: AppContext,
  mailer: Mailer | undefined = mailerFor(ctx.config),
): Promise<DeliveryResult> {
  if (!mailer) return { sent: 0, failed: 0, emailOff: true };
  const now = ctx.clock.now();
  const pending = await repo.pendingEmail(ctx.db, {
    since: new Date(now.getTime() - DIGEST_WINDOW_MS),
    limit: 20_000,
    mode: "digest",
    defaults: modeDefaults,
  });
  const byPerson = new Map<number, repo.PendingEmail[]>();
  for (const row of pending) {
    if (!reachable(row) || row.readAt !== null || modeOf(row) !== "digest") continue;
    const list = byPerson.get(row.recipientId) ?? [];
    list.push(row);
    byPerson.set(row.recipientId, list);
  }
  const today = tokyoDate(now);
  let sent = 0;
  let failed = 0;
  for (const rows of byPerson.values()) {
    const claimed = new Set(
      await repo.claimForDigest(
        ctx.db,
        rows.map((r) => r.id),
        now,
      ),
    );
    const items = rows.filter((r) => claimed.has(r.id));
    const first = items[0];
    if (!first) continue;
    try {
      await mailer.send(digestMail(ctx.config, first, items, today));
      sent++;
    } catch (error) {
      failed++;
      await repo.releaseDigestClaim(
        ctx.db,
        items.map((r) => r.id),
      );
      ctx.log.warn("digest e-mail not accepted", { recipient: first.recipientId, error });
    }
  }
  if (sent > 0 || failed > 0) ctx.log.info("digest e-mail", { sent, failed });
  return { sent, failed, emailOff: false };
}
