/**
 * 乗っ取り (7.3(1) 所管するアカウントのなりすましが発生している場合, 2.5): the city's own account,
 * chosen from the registry, taken over by someone else. At the report the incident records since
 * when it has been compromised and opens a password-rotation task on the account (4.3.3); then
 * the responders (7) decide and act — publishing the marking 「現在、不正アクセスを受けています」
 * on the public pages with the notice 「○月○日○時以降の投稿は市によるものではありません」,
 * reporting to the 情報統括管理者 (a notification and a task they confirm), and recording recovery
 * once the password was changed after the takeover and two-factor is on again, which ends the
 * marking. Every change is an `incident` change, so the public caches drop at once.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import { findAccount, findAccountView } from "../../db/repos/accounts.ts";
import {
  type AccountHijack,
  findHijack,
  findOpenHijackOf,
  type Incident,
  insertHijack,
  lockHijack,
  updateHijack,
} from "../../db/repos/incidents.ts";
import { openTask } from "../../db/repos/tasks.ts";
import { publicStatuses } from "../../domain/accounts.ts";
import { formatDateTime, tokyoDate } from "../../domain/dates.ts";
import {
  directorReportState,
  HIJACK_MARKING,
  hijackNoticeText,
  hijackState,
  nextHijackState,
  recoveryProblems,
} from "../../domain/hijack.ts";
import { incidentRefusals } from "../../domain/incidents.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { dueAfter, ROTATION } from "../credentials/rules.ts";
import { holdersOf } from "../staff/role-grants.ts";
import { optionalText, parse } from "../validate.ts";
import { incidentFor, requireAction, visibleIncident } from "./access.ts";
import { alertIncident } from "./alert.ts";
import { optionalDateTime } from "./input.ts";
import { addEvent, changeIncident, closeIncidentTasks, openIncidentTask } from "./record.ts";
import { finishStep } from "./steps.ts";

/** 4.3.3: the task the 情報統括管理者 closes by confirming the report. */
export const HIJACK_REPORT_TASK = "incident_security_report";

const ONE_MINUTE = 60_000;

function fieldError(field: string, message: string): never {
  throw validation(message, [{ field, message }]);
}

/**
 * Checks a 乗っ取り report before it is written: an official account chosen from the registry
 * (not a URL typed in), not already reported as hijacked and not recovered, and the time it has
 * been compromised since — given, not in the future.
 */
export async function checkHijackReport(
  ctx: AppContext,
  props: { account: AccountView | null; compromisedSince: Date | undefined },
): Promise<{ account: AccountView; compromisedSince: Date }> {
  const { account } = props;
  if (!account)
    return fieldError("accountId", "乗っ取られた公式アカウントを一覧から選んでください（第7-3(1)）。");
  if (!publicStatuses.includes(account.status))
    return fieldError(
      "accountId",
      "乗っ取りとして報告できるのは、公開している公式アカウントだけです。一覧から選んでください（第7-3(1)）。",
    );
  const since = props.compromisedSince;
  if (!since)
    return fieldError(
      "compromisedSince",
      "不正アクセスが始まった日時（身に覚えのない投稿やログインが最初にあった日時）を入力してください。公開ページのお知らせに使います。",
    );
  if (since.getTime() > ctx.clock.now().getTime() + ONE_MINUTE)
    return fieldError("compromisedSince", "不正アクセスが始まった日時に、未来の日時は入力できません。");
  const open = await findOpenHijackOf(ctx.db, account.id);
  if (open)
    return fieldError(
      "accountId",
      `このアカウントの乗っ取りは、すでに報告されています（インシデント #${open.incidentId}）。そのページに情報を加えてください。`,
    );
  return { account, compromisedSince: since };
}

/**
 * Writes the hijack record of a new 乗っ取り incident in its creation transaction, and opens a
 * password-rotation task on the account for its manager (4.3.3), which recording the password
 * change on the credentials page closes. The marking waits for a responder (7).
 */
export async function recordHijack(
  tx: Db,
  props: { incident: Incident; account: AccountView; compromisedSince: Date; actor: Actor; at: Date },
): Promise<{ hijack: AccountHijack; rotationTaskId: number }> {
  const { incident, account, actor, at } = props;
  const hijack = await insertHijack(tx, {
    incidentId: incident.id,
    accountId: account.id,
    compromisedSince: props.compromisedSince,
    createdAt: at,
  });
  const task = await openTask(tx, {
    kind: ROTATION,
    accountId: account.id,
    assigneeId: account.managerId,
    title: `乗っ取りに伴うパスワード変更と二段階認証の再設定（${account.name}）`,
    clause: "4.3.3",
    dueDate: dueAfter(tokyoDate(at), 1),
    cause: { incidentId: incident.id },
    openedAt: at,
  });
  await addEvent(tx, {
    incidentId: incident.id,
    kind: "note",
    note: `不正アクセスが始まった日時: ${formatDateTime(props.compromisedSince)}。公開ページの表示は、対応する職員が確認して「公開する」を押すまで掲載されません（第7、第7-3(1)）。パスワード変更のタスクを開きました（第4-3(3)）。`,
    data: {
      hijackId: hijack.id,
      compromisedSince: props.compromisedSince.toISOString(),
      rotationTaskId: task.id,
    },
    actor,
    at,
  });
  return { hijack, rotationTaskId: task.id };
}

const notHijack = () => conflict("この操作は、種類が「乗っ取り」のインシデントにだけ行えます（第7-3(1)）。");

async function hijackOf(ctx: AppContext, incidentId: number): Promise<AccountHijack> {
  const row = await findHijack(ctx.db, incidentId);
  if (!row) throw notHijack();
  return row;
}

async function lockedHijack(tx: Db, incidentId: number): Promise<AccountHijack> {
  const row = await lockHijack(tx, incidentId);
  if (!row) throw notFound("乗っ取りの記録");
  return row;
}

export const markingInput = z.object({
  /** A responder may correct the time before publishing (the notice names its hour). */
  compromisedSince: optionalDateTime("不正アクセスが始まった日時"),
});

/** The 乗っ取り incident a responder (7) acts on: the public marking and the recovery. */
async function respondingToHijack(ctx: AppContext, actor: Actor, incidentId: number) {
  const { incident } = await incidentFor(
    ctx,
    actor,
    incidentId,
    "incident.respond",
    incidentRefusals.marking,
  );
  if (incident.type !== "hijack") throw notHijack();
  return incident;
}

/**
 * Publishes the marking 「現在、不正アクセスを受けています」 on /public/accounts, the account's
 * page, /public/verify and /public/notices, with the notice 「○月○日○時以降の投稿は市によるもの
 * ではありません」 (7.3.1 市公式ホームページで周知). Responders only (7): the reporter informs, a
 * responder decides. The very next public request shows it.
 * @param props.input `{ compromisedSince? }` — a correction of the reported time
 */
export async function publishHijackMarking(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<AccountHijack> {
  const { actor } = props;
  const incident = await respondingToHijack(ctx, actor, props.incidentId);
  const input = parse(markingInput, props.input);
  if (input.compromisedSince && input.compromisedSince.getTime() > ctx.clock.now().getTime() + ONE_MINUTE)
    fieldError("compromisedSince", "不正アクセスが始まった日時に、未来の日時は入力できません。");
  return changeIncident(ctx, actor, "incident.hijack_publish", incident.id, async (tx, at, locked) => {
    const row = await lockedHijack(tx, locked.id);
    if (!nextHijackState(hijackState(row), "publish"))
      throw conflict(
        row.recoveredAt
          ? "回復が記録されているため、公開ページには表示できません。"
          : "このアカウントは、すでに公開ページに表示されています。",
      );
    const since = input.compromisedSince ?? row.compromisedSince;
    const updated = await updateHijack(tx, row.id, {
      compromisedSince: since,
      markingPublishedAt: at,
      markingPublishedBy: actorId(actor),
    });
    const notice = hijackNoticeText(since);
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "hijack_marking_published",
      note: `${HIJACK_MARKING}。${notice}。`,
      data: { hijackId: row.id, compromisedSince: since.toISOString() },
      actor,
      at,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "public_marking",
      note: "公開ページ（公式アカウント一覧・アカウントのページ・公式アカウントの確認・お知らせ）に表示しました。",
      actor,
      at,
    });
    return {
      result: updated,
      summary: {
        hijackId: row.id,
        accountId: row.accountId,
        compromisedSince: { before: row.compromisedSince, after: since },
        notice,
      },
    };
  });
}

/**
 * Reports the takeover to the 情報統括管理者 (4.3.3 市情報セキュリティポリシー): an urgent
 * notification and a task for each holder of the role, which they close by confirming receipt.
 * A responder sends it, once; completes the playbook's step.
 */
export async function reportHijackToDirector(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number },
): Promise<AccountHijack> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.respond");
  if (incident.type !== "hijack") throw notHijack();
  const directors = await holdersOf(ctx.db, "security_director", ctx.clock.now());
  if (directors.length === 0)
    throw conflict(
      "情報統括管理者が任命されていません。役割の設定で情報統括管理者を任命してから報告してください。",
    );
  const account = incident.accountId === null ? undefined : await findAccountView(ctx.db, incident.accountId);
  return changeIncident(ctx, actor, "incident.hijack_report", incident.id, async (tx, at, locked) => {
    const row = await lockedHijack(tx, locked.id);
    if (directorReportState(row) !== "unsent") throw conflict("情報統括管理者へは、すでに報告しています。");
    const updated = await updateHijack(tx, row.id, {
      directorReportedAt: at,
      directorReportedBy: actorId(actor),
    });
    const taskIds: number[] = [];
    for (const director of directors)
      taskIds.push(
        await openIncidentTask(tx, {
          kind: HIJACK_REPORT_TASK,
          incident: locked,
          assigneeId: director.id,
          title: `乗っ取りの報告を確認してください: ${account?.name ?? locked.title}`,
          clause: "4.3.3",
          dueDate: tokyoDate(at),
          at,
        }),
      );
    const who = actor.kind === "staff" ? `${actor.name}さん` : "システム";
    await alertIncident(ctx, tx, {
      incidentId: locked.id,
      recipientIds: directors.map((d) => d.id),
      title: `【乗っ取り】公式アカウントが不正アクセスを受けています: ${account?.name ?? locked.title}`,
      body: [
        `${who}から、公式アカウントの乗っ取りについて報告がありました（第4-3(3) 市情報セキュリティポリシー、第7-3(1)）。`,
        account ? `アカウント: ${account.name}（${account.url}）` : "",
        `不正アクセスが始まった日時: ${formatDateTime(row.compromisedSince)}`,
        "インシデントのページで内容を確認し、「報告を確認しました」を押してください。",
      ]
        .filter(Boolean)
        .join("\n"),
      dedupeKey: `incident:${locked.id}:hijack_report`,
    });
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "hijack_reported_to_director",
      note: directors.map((d) => `${d.name}さん`).join("、"),
      data: { hijackId: row.id, directorIds: directors.map((d) => d.id), taskIds },
      actor,
      at,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "report_security",
      note: `情報統括管理者（${directors.map((d) => `${d.name}さん`).join("、")}）へ通知とタスクで報告しました。`,
      actor,
      at,
    });
    return {
      result: updated,
      summary: { hijackId: row.id, directorIds: directors.map((d) => d.id), taskIds },
    };
  });
}

/**
 * The 情報統括管理者 confirms receiving the report: recorded with who and when, and their tasks
 * for it close.
 */
export async function confirmHijackReport(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number },
): Promise<AccountHijack> {
  const { actor } = props;
  const seen = await visibleIncident(ctx, actor, props.incidentId);
  await requireAction(ctx, actor, seen, "incident.confirm_report", incidentRefusals.confirmReport);
  if (seen.incident.type !== "hijack") throw notHijack();
  return changeIncident(
    ctx,
    actor,
    "incident.hijack_report_confirm",
    seen.incident.id,
    async (tx, at, locked) => {
      const row = await lockedHijack(tx, locked.id);
      const state = directorReportState(row);
      if (state === "unsent") throw conflict("この乗っ取りは、まだ情報統括管理者へ報告されていません。");
      if (state === "confirmed") throw conflict("この報告は、すでに確認されています。");
      const updated = await updateHijack(tx, row.id, {
        directorConfirmedAt: at,
        directorConfirmedBy: actorId(actor),
      });
      const closed = await closeIncidentTasks(tx, {
        incidentId: locked.id,
        kinds: [HIJACK_REPORT_TASK],
        status: "done",
        actor,
        at,
        note: "情報統括管理者が報告を確認しました。",
      });
      await addEvent(tx, {
        incidentId: locked.id,
        kind: "hijack_report_confirmed",
        data: { hijackId: row.id },
        actor,
        at,
      });
      return { result: updated, summary: { hijackId: row.id, closedTaskIds: closed } };
    },
    { allowClosed: true },
  );
}

/** What a responder notes when recording recovery. */
export const recoveryInput = z.object({ note: optionalText("確認した内容", 2000) });

/**
 * Records recovery (7.3.1): the login is back, the password was changed after the takeover and
 * two-factor is on — the last two as recorded on the account's credentials page (4.3.3), checked
 * here. The public marking ends at once. Responders only (7); completes the playbook's steps for
 * the credentials and the recovery.
 * @param props.input `{ note }` — what was checked (no unauthorised posts or settings remain)
 */
export async function recordHijackRecovery(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<AccountHijack> {
  const { actor } = props;
  const incident = await respondingToHijack(ctx, actor, props.incidentId);
  const input = parse(recoveryInput, props.input);
  const hijack = await hijackOf(ctx, incident.id);
  const account = await findAccount(ctx.db, hijack.accountId);
  if (!account) throw notFound("アカウント");
  const problems = recoveryProblems({
    compromisedSince: hijack.compromisedSince,
    passwordChangedAt: account.passwordChangedAt,
    mfaEnabled: account.mfaEnabled,
  });
  if (problems.length > 0) throw validation(problems.map((p) => p.message).join(""), problems);
  return changeIncident(ctx, actor, "incident.hijack_recover", incident.id, async (tx, at, locked) => {
    const row = await lockedHijack(tx, locked.id);
    if (!nextHijackState(hijackState(row), "recover")) throw conflict("回復はすでに記録されています。");
    const updated = await updateHijack(tx, row.id, { recoveredAt: at, recoveredBy: actorId(actor) });
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "hijack_recovered",
      note: input.note,
      data: { hijackId: row.id, markingWasShown: row.markingPublishedAt !== null },
      actor,
      at,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "credentials",
      note: `パスワードの変更（${account.passwordChangedAt ? formatDateTime(account.passwordChangedAt) : ""}）と二段階認証の設定を確認しました。`,
      actor,
      at,
    });
    await finishStep(tx, {
      incident: locked,
      stepKey: "recovered",
      note: input.note || "回復を確認しました。",
      actor,
      at,
    });
    return {
      result: updated,
      summary: {
        hijackId: row.id,
        accountId: row.accountId,
        note: input.note,
        passwordChangedAt: account.passwordChangedAt,
      },
    };
  });
}

/** 7: a 乗っ取り is closed only after recovery, so its marking never outlives the incident by mistake. */
export async function assertHijackClosable(tx: Db, incident: Pick<Incident, "id" | "type">): Promise<void> {
  if (incident.type !== "hijack") return;
  const row = await findHijack(tx, incident.id);
  if (row && row.recoveredAt === null)
    throw conflict("乗っ取りのインシデントは、回復を記録してから終結してください（第7-3(1)）。");
}
