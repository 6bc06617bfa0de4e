/**
 * デマ・誤情報 (7.4): the false claim and where it appeared (the reporter may record it), and the
 * optional notice on the city's public pages (必要に応じて市公式ホームページ等で周知) — published by a
 * responder (7) with a title, a text and a last day, shown on /public/notices at once, and ended
 * when no longer needed.
 */
import { latestEvent } from "../../db/repos/incidents.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { incidentRefusals } from "../../domain/incidents.ts";
import { conflict, validation } from "../../errors.ts";
import type { Actor, AppContext } from "../context.ts";
import { parse } from "../validate.ts";
import { incidentFor, incidentToInform } from "./access.ts";
import { claimInput, publicNoticeInput } from "./input.ts";
import { addEvent, changeIncident } from "./record.ts";
import { finishStep } from "./steps.ts";

/** The latest recorded false claim of an incident, when there is one. */
export type RecordedClaim = { claim: string; where: string; at: Date; byName: string | null };

/** The incident's public notice (7.4) as last published, or null when none is shown. */
export type IncidentNotice = { title: string; text: string; until: string | null; publishedAt: Date };

function dataText(data: unknown, key: string): string {
  if (typeof data !== "object" || data === null) return "";
  const value: unknown = Reflect.get(data, key);
  return typeof value === "string" ? value : "";
}

/** The false claim as last recorded. */
export async function recordedClaim(ctx: AppContext, incidentId: number): Promise<RecordedClaim | null> {
  const event = await latestEvent(ctx.db, incidentId, ["claim_recorded"]);
  if (!event) return null;
  return {
    claim: dataText(event.data, "claim"),
    where: dataText(event.data, "where"),
    at: event.at,
    byName: event.actorName,
  };
}

/** The public notice as it stands: the last publication, unless withdrawn since or past its last day. */
export async function currentNotice(ctx: AppContext, incidentId: number): Promise<IncidentNotice | null> {
  const event = await latestEvent(ctx.db, incidentId, ["notice_published", "notice_withdrawn"]);
  if (event?.kind !== "notice_published") return null;
  const until = dataText(event.data, "until") || null;
  if (until !== null && until < tokyoDate(ctx.clock.now())) return null;
  return {
    title: dataText(event.data, "title"),
    text: dataText(event.data, "text"),
    until,
    publishedAt: event.at,
  };
}

const notMisinformation = () =>
  conflict("この記録は、種類が「デマ・誤情報」のインシデントにだけ追加できます（第7-4）。");

/**
 * Records the false claim and where it appeared (7.4); completes the playbook's step for it.
 * Information: the reporter may record it as well as a responder (7).
 * @param props.input `{ claim, where? }`
 */
export async function recordClaim(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<void> {
  const { actor } = props;
  const { incident } = await incidentToInform(ctx, actor, props.incidentId, "incident.claim");
  if (incident.type !== "misinformation") throw notMisinformation();
  const input = parse(claimInput, props.input);
  await changeIncident(ctx, actor, "incident.claim", incident.id, async (tx, at, locked) => {
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "claim_recorded",
      note: input.claim,
      data: { claim: input.claim, where: input.where },
      actor,
      at,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "record_claim",
      note: `記録しました${input.where ? `（掲載場所: ${input.where}）` : ""}。`,
      actor,
      at,
    });
    return { result: undefined, summary: { claim: input.claim, where: input.where } };
  });
}

/**
 * Publishes (or replaces) the incident's notice on /public/notices (7.4 必要に応じて周知);
 * completes the playbook's step for it. A public text: responders only (7).
 * @param props.input `{ title, text, until? }` — `until`, the last day shown, not in the past
 */
export async function publishNotice(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<void> {
  const { actor } = props;
  const { incident } = await incidentFor(
    ctx,
    actor,
    props.incidentId,
    "incident.respond",
    incidentRefusals.notice,
  );
  if (incident.type !== "misinformation") throw notMisinformation();
  const input = parse(publicNoticeInput, props.input);
  const today = tokyoDate(ctx.clock.now());
  if (input.until && input.until < today) {
    const message = "掲載する最終日には、今日以降の日付を入力してください。";
    throw validation(message, [{ field: "until", message }]);
  }
  await changeIncident(ctx, actor, "incident.notice_publish", incident.id, async (tx, at, locked) => {
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "notice_published",
      note: `${input.title}\n${input.text}`,
      data: { title: input.title, text: input.text, until: input.until ?? null },
      actor,
      at,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "public_notice",
      note: `公開ページに「${input.title}」を掲載しました。`,
      actor,
      at,
    });
    return {
      result: undefined,
      summary: { title: input.title, text: input.text, until: input.until ?? null },
    };
  });
}

/** Ends the incident's public notice (responders only, 7). */
export async function withdrawNotice(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number },
): Promise<void> {
  const { actor } = props;
  const { incident } = await incidentFor(
    ctx,
    actor,
    props.incidentId,
    "incident.respond",
    incidentRefusals.notice,
  );
  if (!(await currentNotice(ctx, incident.id))) throw conflict("公開ページに掲載中のお知らせはありません。");
  await changeIncident(
    ctx,
    actor,
    "incident.notice_withdraw",
    incident.id,
    async (tx, at, locked) => {
      await addEvent(tx, { incidentId: locked.id, kind: "notice_withdrawn", actor, at });
      return { result: undefined, summary: { withdrawnAt: at } };
    },
    { allowClosed: true },
  );
}
