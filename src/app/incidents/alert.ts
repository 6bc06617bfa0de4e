/**
 * Telling people about an incident at once (7: 直ちにアカウント管理者へ報告): an urgent in-app
 * notification, which the notifications feature also e-mails at once whatever the person's
 * preferences, written in the caller's transaction.
 */
import type { Db } from "../../db/client.ts";
import { notify } from "../notifications/notify.ts";

/**
 * Notifies `recipientIds` of an incident (kind `incident`, always urgent), at most once per
 * person and `dedupeKey`.
 */
export async function alertIncident(
  ctx: { clock: { now(): Date } },
  tx: Db,
  props: {
    incidentId: number;
    recipientIds: readonly (number | null)[];
    title: string;
    body: string;
    dedupeKey: string;
  },
): Promise<void> {
  await notify(ctx, tx, {
    recipientIds: props.recipientIds,
    kind: "incident",
    title: props.title,
    body: props.body,
    href: `/incidents/${props.incidentId}`,
    urgent: true,
    dedupeKey: props.dedupeKey,
  });
}
