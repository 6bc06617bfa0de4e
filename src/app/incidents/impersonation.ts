/**
 * なりすまし (7.3, as defined in 2.5): the fake accounts of an incident — another one found later,
 * the takedown request to the platform (date, reference) and its answer (7.3.1 直ちに削除依頼),
 * and the warning on the public pages (7.3.1 市公式ホームページで周知): confirming and publishing it,
 * its text, and ending it. The warning is a public text, so it belongs to the responders (7):
 * one recorded by the reporter waits until a responder presses 「公開する」. Every change is an
 * `incident` change, so the public pages drop their cache at once.
 */
import { findAccountView } from "../../db/repos/accounts.ts";
import {
  type Impersonation,
  listImpersonations,
  lockImpersonation,
  updateImpersonation,
} from "../../db/repos/incidents.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { incidentRefusals, warningState } from "../../domain/incidents.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { incidentFor, incidentToInform } from "./access.ts";
import { answerInput, impersonationInput, takedownInput, warningInput } from "./input.ts";
import { addEvent, changeIncident } from "./record.ts";
import { assertNotOfficial, readFakeAccount, recordFakeAccount } from "./report.ts";
import { finishStep } from "./steps.ts";

function notFuture(field: string, label: string, value: Date, now: Date): void {
  if (value.getTime() > now.getTime() + 60_000) {
    const message = `${label}に、未来の日時は入力できません。`;
    throw validation(message, [{ field, message }]);
  }
}

const notImpersonation = () =>
  conflict("なりすましの記録は、種類が「なりすまし」のインシデントにだけ追加できます。");

async function requireImpersonationType(ctx: AppContext, actor: Actor, incidentId: number, refusal?: string) {
  const seen = await incidentFor(ctx, actor, incidentId, "incident.respond", refusal);
  if (seen.incident.type !== "impersonation") throw notImpersonation();
  return seen;
}

/**
 * Records another fake account on a なりすまし incident, with its warning's text from the
 * template. A responder's record is published at once (7.3.1); the reporter may add one too
 * (information, 7), and its warning waits for a responder to confirm it.
 * @param props.input `{ url, handle? }`
 */
export async function addImpersonation(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<Impersonation> {
  const { actor } = props;
  const { incident, responder } = await incidentToInform(
    ctx,
    actor,
    props.incidentId,
    "incident.impersonation_add",
  );
  if (incident.type !== "impersonation") throw notImpersonation();
  const input = parse(impersonationInput, props.input);
  await assertNotOfficial(ctx, input.url, "url");
  const fake = readFakeAccount(input.url, input.handle);
  const account = incident.accountId === null ? undefined : await findAccountView(ctx.db, incident.accountId);
  return changeIncident(ctx, actor, "incident.impersonation_add", incident.id, async (tx, at, locked) => {
    const row = await recordFakeAccount(ctx, tx, {
      incidentId: locked.id,
      account: account ?? null,
      officialAccountId: locked.accountId,
      fake,
      actor,
      at,
      publish: responder,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "record_fake",
      note: `記録しました: ${fake.url}`,
      actor,
      at,
    });
    if (responder)
      await finishStep(tx, {
        incident: locked,
        stepKey: "public_warning",
        note: "公開ページ（お知らせ・公式アカウントの確認）に掲載しました。",
        actor,
        at,
      });
    return { result: row, summary: { impersonationId: row.id, ...fake, warningPublished: responder } };
  });
}

async function impersonationOf(ctx: AppContext, incidentId: number, id: number): Promise<Impersonation> {
  const row = (await listImpersonations(ctx.db, incidentId)).find((r) => r.id === id);
  if (!row) throw notFound("なりすましアカウントの記録");
  return row;
}

/**
 * Records the takedown request to the platform (7.3.1 直ちに削除依頼): when, and the platform's
 * reference; completes the playbook's takedown step.
 * @param props.input `{ requestedAt?, reference?, note? }`
 */
export async function recordTakedown(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; impersonationId: number; input: unknown },
): Promise<Impersonation> {
  const { actor } = props;
  const { incident } = await requireImpersonationType(ctx, actor, props.incidentId);
  const input = parse(takedownInput, props.input);
  await impersonationOf(ctx, incident.id, props.impersonationId);
  const now = ctx.clock.now();
  const requestedAt = input.requestedAt ?? now;
  notFuture("requestedAt", "削除を依頼した日時", requestedAt, now);
  return changeIncident(ctx, actor, "incident.takedown", incident.id, async (tx, at, locked) => {
    const row = await lockImpersonation(tx, locked.id, props.impersonationId);
    if (!row) throw notFound("なりすましアカウントの記録");
    const updated = await updateImpersonation(tx, row.id, {
      takedownRequestedAt: requestedAt,
      takedownReference: input.reference,
    });
    const note = `${formatDateTime(requestedAt)}に削除を依頼しました${input.reference ? `（受付番号: ${input.reference}）` : ""}。${input.note}`;
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "takedown_requested",
      note,
      data: { impersonationId: row.id, requestedAt: requestedAt.toISOString(), reference: input.reference },
      actor,
      at,
    });
    await finishStep(tx, { incident: locked, stepKey: "takedown", note, actor, at });
    return {
      result: updated,
      summary: { impersonationId: row.id, requestedAt, reference: input.reference, note: input.note },
    };
  });
}

/**
 * Records the platform's answer, and when the fake account was taken down (which completes the
 * playbook's step for the result).
 * @param props.input `{ answer, takenDownAt? }`
 */
export async function recordTakedownAnswer(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; impersonationId: number; input: unknown },
): Promise<Impersonation> {
  const { actor } = props;
  const { incident } = await requireImpersonationType(ctx, actor, props.incidentId);
  const input = parse(answerInput, props.input);
  await impersonationOf(ctx, incident.id, props.impersonationId);
  const now = ctx.clock.now();
  if (input.takenDownAt) notFuture("takenDownAt", "削除された日時", input.takenDownAt, now);
  return changeIncident(ctx, actor, "incident.takedown_answer", incident.id, async (tx, at, locked) => {
    const row = await lockImpersonation(tx, locked.id, props.impersonationId);
    if (!row) throw notFound("なりすましアカウントの記録");
    const updated = await updateImpersonation(tx, row.id, {
      platformAnswer: input.answer,
      ...(input.takenDownAt ? { takenDownAt: input.takenDownAt } : {}),
    });
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "takedown_answered",
      note: `${input.answer}${input.takenDownAt ? `（${formatDateTime(input.takenDownAt)}に削除されました）` : ""}`,
      data: { impersonationId: row.id, takenDownAt: input.takenDownAt?.toISOString() ?? null },
      actor,
      at,
    });
    if (input.takenDownAt)
      await finishStep(tx, {
        incident: locked,
        stepKey: "takedown_result",
        note: `プラットフォームの回答: ${input.answer}`,
        actor,
        at,
      });
    return {
      result: updated,
      summary: { impersonationId: row.id, answer: input.answer, takenDownAt: input.takenDownAt },
    };
  });
}

/**
 * Confirms the public warning and publishes it on /public/notices and /public/verify (7.3.1
 * 市公式ホームページで周知) — 「公開する」. Only a responder does (7): a warning recorded by the
 * reporter shows nothing to citizens until then. An ended warning is published again (keeping
 * the date it was first confirmed). Completes the playbook's step for it.
 */
export async function publishWarning(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; impersonationId: number },
): Promise<Impersonation> {
  const { actor } = props;
  const { incident } = await requireImpersonationType(ctx, actor, props.incidentId, incidentRefusals.warning);
  await impersonationOf(ctx, incident.id, props.impersonationId);
  return changeIncident(ctx, actor, "incident.warning_publish", incident.id, async (tx, at, locked) => {
    const row = await lockImpersonation(tx, locked.id, props.impersonationId);
    if (!row) throw notFound("なりすましアカウントの記録");
    const state = warningState(row, at);
    if (state === "shown") throw conflict("この注意喚起は、すでに公開ページに掲載されています。");
    const first = state === "pending";
    const updated = await updateImpersonation(tx, row.id, {
      ...(first ? { warningPublishedAt: at, warningPublishedBy: actorId(actor) } : {}),
      warningEndsAt: null,
    });
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "warning_published",
      note: row.publicWarning,
      data: { impersonationId: row.id, republished: !first },
      actor,
      at,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "public_warning",
      note: "注意喚起を確認し、公開ページ（お知らせ・公式アカウントの確認）に掲載しました。",
      actor,
      at,
    });
    return {
      result: updated,
      summary: { impersonationId: row.id, url: row.url, republished: !first, text: row.publicWarning },
    };
  });
}

/**
 * Changes the public warning's text (responders only, 7). A warning on the public pages shows
 * the new text at once; one not yet published (or ended) stays so until 「公開する」.
 * @param props.input `{ text }`
 */
export async function updateWarning(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; impersonationId: number; input: unknown },
): Promise<Impersonation> {
  const { actor } = props;
  const { incident } = await requireImpersonationType(ctx, actor, props.incidentId, incidentRefusals.warning);
  const input = parse(warningInput, props.input);
  await impersonationOf(ctx, incident.id, props.impersonationId);
  return changeIncident(ctx, actor, "incident.warning", incident.id, async (tx, at, locked) => {
    const row = await lockImpersonation(tx, locked.id, props.impersonationId);
    if (!row) throw notFound("なりすましアカウントの記録");
    const updated = await updateImpersonation(tx, row.id, { publicWarning: input.text });
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "warning_updated",
      note: input.text,
      data: { impersonationId: row.id },
      actor,
      at,
    });
    return {
      result: updated,
      summary: {
        impersonationId: row.id,
        text: { before: row.publicWarning, after: input.text },
        state: warningState(row, at),
      },
    };
  });
}

/**
 * Ends the public warning on /public/notices (responders only, 7; the verification page keeps
 * answering "known impersonation" for the URL).
 */
export async function withdrawWarning(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; impersonationId: number },
): Promise<Impersonation> {
  const { actor } = props;
  const { incident } = await incidentFor(
    ctx,
    actor,
    props.incidentId,
    "incident.respond",
    incidentRefusals.warning,
  );
  await impersonationOf(ctx, incident.id, props.impersonationId);
  return changeIncident(
    ctx,
    actor,
    "incident.warning_withdraw",
    incident.id,
    async (tx, at, locked) => {
      const row = await lockImpersonation(tx, locked.id, props.impersonationId);
      if (!row) throw notFound("なりすましアカウントの記録");
      if (warningState(row, at) !== "shown") throw conflict("この注意喚起は掲載されていません。");
      const updated = await updateImpersonation(tx, row.id, { warningEndsAt: at });
      await addEvent(tx, {
        incidentId: locked.id,
        kind: "warning_withdrawn",
        note: row.url,
        data: { impersonationId: row.id },
        actor,
        at,
      });
      return { result: updated, summary: { impersonationId: row.id, endedAt: at } };
    },
    { allowClosed: true },
  );
}
