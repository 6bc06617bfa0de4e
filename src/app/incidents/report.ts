/**
 * Reporting an incident (7: 職員は直ちにアカウント管理者に報告): any member of staff, from an
 * account, a post or the menu. In one audited change the incident opens its type's playbook as
 * a checklist with owners and due times, the account manager gets a task on their dashboard
 * and an urgent notification at once, screenshots are attached, a なりすまし's fake account is
 * recorded with its public warning (published at once when the reporter responds to the
 * incident, otherwise waiting for a responder to confirm it: 7, 7.3.1), a 乗っ取り records since
 * when the official account has been compromised and opens its password rotation (its public
 * marking always waits for a responder), and a デマ's false claim is recorded (7.4).
 */

import type { Db } from "../../db/client.ts";
import { type AccountView, findAccountView } from "../../db/repos/accounts.ts";
import {
  type Impersonation,
  type Incident,
  insertAttachment,
  insertImpersonation,
  insertIncident,
  insertSteps,
  listSteps,
  updateStep,
} from "../../db/repos/incidents.ts";
import { findDivisionHead, findStaff } from "../../db/repos/staff.ts";
import { formatDateTime, tokyoDate } from "../../domain/dates.ts";
import {
  attachmentProblem,
  cleanFilename,
  defaultSeverity,
  type IncidentType,
  incidentTypeLabels,
  openingSteps,
  sniffAttachmentType,
} from "../../domain/incidents.ts";
import { parseAnyAccountUrl } from "../../domain/platforms.ts";
import { validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { canSeeAccount } from "../accounts/read.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { getPost } from "../posts/access.ts";
import { verifyAccount } from "../public/verify.ts";
import { holdersOf } from "../staff/role-grants.ts";
import { parse } from "../validate.ts";
import { alertIncident } from "./alert.ts";
import { checkHijackReport, recordHijack } from "./hijack.ts";
import { type ReportInput, reportInput } from "./input.ts";
import { addEvent, changeIncidentCreation, INCIDENT_REPORT_TASK, openIncidentTask } from "./record.ts";
import { warningText } from "./templates.ts";

/** A file uploaded with a report or later (a screenshot or a PDF). */
export type UploadedFile = { filename: string; bytes: Uint8Array; description?: string };

/** A fake account read from its URL (7.3). */
export type FakeAccount = { platform: string; handle: string; url: string };

/**
 * Reads a fake account's URL: the platform and handle when the URL is an account URL of a known
 * service, else "other" with the handle typed (or the URL's first path segment).
 */
export function readFakeAccount(url: string, typedHandle: string): FakeAccount {
  const parsed = parseAnyAccountUrl(guidelinePack(), url);
  if (parsed) return { platform: parsed.platform, handle: parsed.handle, url: parsed.url };
  const first = new URL(url).pathname.split("/").find(Boolean) ?? "";
  const handle = (typedHandle || decodeURIComponent(first) || new URL(url).hostname).replace(/^@+/, "");
  return { platform: "other", handle, url };
}

/** Refuses a URL that is one of the city's own official accounts. */
export async function assertNotOfficial(ctx: AppContext, url: string, field: string): Promise<void> {
  const answer = await verifyAccount(ctx, { url });
  if (answer.kind === "answer" && answer.verdict === "official") {
    const message =
      "このURLは市の公式アカウントです。公式アカウントを装っている別のアカウントのURLを入力してください。公式アカウントそのものに第三者がログインして使っている場合は、種類「乗っ取り」を選び、アカウントを一覧から選んで報告してください（第7-3(1)）。";
    throw validation(message, [{ field, message }]);
  }
}

/**
 * Records a fake account on an incident with its warning's text from the template (naming the
 * official account, when there is one). With `publish` — the actor responds to the incident
 * (7) — the warning goes on the public pages at once (7.3.1), confirmed by them; otherwise it
 * waits for a responder to confirm it, and /public/notices and /public/verify say nothing of
 * the fake account until then. Runs inside the incident's change.
 */
export async function recordFakeAccount(
  ctx: AppContext,
  tx: Db,
  props: {
    incidentId: number;
    account: AccountView | null;
    officialAccountId: number | null;
    fake: FakeAccount;
    actor: Actor;
    at: Date;
    /** Publish the warning now: the actor is a responder (7). */
    publish: boolean;
  },
): Promise<Impersonation> {
  const { incidentId, account, fake, actor, at, publish } = props;
  const text = warningText({
    pack: guidelinePack(),
    account: account
      ? {
          name: account.name,
          platform: account.platform,
          divisionName: account.divisionName,
          url: account.url,
          homepageUrl: account.homepageUrl,
        }
      : null,
    date: tokyoDate(at),
    fake,
    claim: "",
    publicListUrl: `${ctx.config.publicUrl}/public/accounts`,
  });
  const row = await insertImpersonation(tx, {
    incidentId,
    platform: fake.platform,
    url: fake.url,
    handle: fake.handle,
    officialAccountId: props.officialAccountId,
    publicWarning: text,
    warningPublishedAt: publish ? at : null,
    warningPublishedBy: publish ? actorId(actor) : null,
    createdAt: at,
  });
  await addEvent(tx, {
    incidentId,
    kind: "impersonation_recorded",
    note: fake.url,
    data: { impersonationId: row.id, platform: fake.platform, handle: fake.handle, url: fake.url },
    actor,
    at,
  });
  await addEvent(tx, {
    incidentId,
    kind: publish ? "warning_published" : "warning_pending",
    note: publish ? text : `${WARNING_PENDING_NOTE}\n${text}`,
    data: { impersonationId: row.id },
    actor,
    at,
  });
  return row;
}

/** The timeline's note on a warning recorded by someone who does not respond (7, 7.3.1). */
export const WARNING_PENDING_NOTE =
  "注意喚起の文面を用意しました。アカウント管理者など対応する職員が確認して「公開する」を押すと、公開ページに掲載されます（第7-3(1)）。";

/** Checks each file: PNG, JPEG or PDF by its bytes, at most 5 MB. */
export function assertAttachable(files: readonly UploadedFile[], field = "file"): void {
  for (const f of files) {
    const problem = attachmentProblem(f.bytes);
    if (problem)
      throw validation(`「${cleanFilename(f.filename, "ファイル")}」: ${problem}`, [
        { field, message: problem },
      ]);
  }
}

/**
 * The account manager told of an incident (7): the account's manager (or its division's 課長
 * when the manager has left); without an account, the reporter's 課長; else the policy director.
 */
async function managerFor(
  ctx: AppContext,
  account: AccountView | null,
  actor: Actor,
): Promise<number | null> {
  if (account) {
    const manager = account.managerId === null ? undefined : await findStaff(ctx.db, account.managerId);
    if (manager?.active) return manager.id;
    const head = await findDivisionHead(ctx.db, account.divisionId);
    if (head) return head.id;
  } else if (actor.kind === "staff" && actor.divisionId !== null) {
    const head = await findDivisionHead(ctx.db, actor.divisionId);
    if (head) return head.id;
  }
  const [director] = await holdersOf(ctx.db, "policy_director", ctx.clock.now());
  return director?.id ?? null;
}

async function reportedAccount(
  ctx: AppContext,
  actor: Actor,
  input: ReportInput,
): Promise<{ account: AccountView | null; postId: number | null }> {
  if (input.postId !== null) {
    const post = await getPost(ctx, { actor, id: input.postId }).catch(() => null);
    if (!post) {
      const message = "投稿が見つかりません。投稿のページから報告してください。";
      throw validation(message, [{ field: "postId", message }]);
    }
    if (input.accountId !== null && input.accountId !== post.accountId) {
      const message = "投稿のアカウントと、選んだアカウントが異なります。";
      throw validation(message, [{ field: "accountId", message }]);
    }
    const account = await findAccountView(ctx.db, post.accountId);
    return { account: account ?? null, postId: post.id };
  }
  if (input.accountId === null) return { account: null, postId: null };
  const account = await findAccountView(ctx.db, input.accountId);
  if (!account || !canSeeAccount(actor, account)) {
    const message = "アカウントが見つかりません。一覧から選んでください。";
    throw validation(message, [{ field: "accountId", message }]);
  }
  return { account, postId: null };
}

/**
 * Reports an incident.
 * @param props.actor any member of staff (incident.report, 7)
 * @param props.input see `reportInput`: type, title, description, severity (default by type),
 *   noticedAt (default now; not in the future), accountId or postId, links, fakeUrl/fakeHandle
 *   (なりすまし: the URL is required), claim/claimWhere (デマ)
 * @param props.files screenshots or PDFs (PNG, JPEG, PDF; at most 5 MB each)
 * @returns the incident
 */
export async function reportIncident(
  ctx: AppContext,
  props: { actor: Actor; input: unknown; files?: readonly UploadedFile[] },
): Promise<Incident> {
  const { actor } = props;
  await authorize(ctx, actor, "incident.report");
  const input = parse(reportInput, props.input);
  const files = (props.files ?? []).filter((f) => f.bytes.length > 0 || f.filename !== "");
  const now = ctx.clock.now();
  const noticedAt = input.noticedAt ?? now;
  if (noticedAt.getTime() > now.getTime() + 60_000) {
    const message = "気づいた日時に、未来の日時は入力できません。";
    throw validation(message, [{ field: "noticedAt", message }]);
  }
  const { account, postId } = await reportedAccount(ctx, actor, input);
  let fake: FakeAccount | null = null;
  if (input.type === "impersonation") {
    if (!input.fakeUrl) {
      const message = "なりすましアカウントのURLを入力してください（第7-3(1)）。";
      throw validation(message, [{ field: "fakeUrl", message }]);
    }
    await assertNotOfficial(ctx, input.fakeUrl, "fakeUrl");
    fake = readFakeAccount(input.fakeUrl, input.fakeHandle);
  }
  const hijack =
    input.type === "hijack"
      ? await checkHijackReport(ctx, { account, compromisedSince: input.compromisedSince })
      : null;
  assertAttachable(files);
  const managerId = await managerFor(ctx, account, actor);
  const reporterId = actorId(actor);
  // 7: whether the reporter also responds (the manager reporting, or a director); only then is
  // a なりすまし warning published with the report — anyone else's waits for a responder.
  const reporterResponds = allowed(actor, "incident.respond", {
    divisionId: account?.divisionId ?? null,
    departmentId: account?.departmentId ?? null,
    responder: managerId !== null && managerId === reporterId,
  });
  const pack = guidelinePack();
  const steps = openingSteps(input.type, {
    reportedAt: now,
    statementHours: pack.incidents.publicStatementReminderHours,
  });

  return changeIncidentCreation(ctx, actor, "incident.report", async (tx, at) => {
    const incident = await insertIncident(tx, {
      type: input.type,
      severity: input.severity ?? defaultSeverity[input.type],
      status: "responding",
      title: input.title,
      description: input.description,
      links: input.links,
      noticedAt,
      reportedBy: reporterId,
      accountId: account?.id ?? null,
      postId,
      managerId,
      createdAt: at,
      updatedAt: at,
    });
    await insertSteps(
      tx,
      steps.map((s) => ({
        incidentId: incident.id,
        stepKey: s.key,
        title: s.title,
        clause: s.clause,
        position: s.position,
        ownerId: s.owner === "reporter" && reporterId !== null ? reporterId : managerId,
        dueAt: s.dueAt,
      })),
    );
    await addEvent(tx, {
      incidentId: incident.id,
      kind: "reported",
      note: input.description,
      data: {
        type: input.type,
        severity: incident.severity,
        noticedAt: noticedAt.toISOString(),
        links: input.links,
        ...(account ? { accountId: account.id } : {}),
        ...(postId !== null ? { postId } : {}),
      },
      actor,
      at,
    });
    const stepRows = await listSteps(tx, incident.id);
    const finish = async (key: string, note: string) => {
      const step = stepRows.find((s) => s.stepKey === key);
      if (!step) return;
      await updateStep(tx, step.id, { doneAt: at, doneBy: reporterId, note });
      await addEvent(tx, {
        incidentId: incident.id,
        kind: "step_done",
        note,
        data: { stepKey: key, title: step.title },
        actor,
        at,
      });
    };
    let impersonationId: number | null = null;
    if (fake) {
      // 7.3.1: recorded and warned about at once — /public/verify and /public/notices change now.
      const row = await recordFakeAccount(ctx, tx, {
        incidentId: incident.id,
        account,
        officialAccountId: account?.id ?? null,
        fake,
        actor,
        at,
        publish: reporterResponds,
      });
      impersonationId = row.id;
      await finish("record_fake", `報告時に記録しました: ${fake.url}`);
      if (reporterResponds)
        await finish(
          "public_warning",
          "報告と同時に公開ページ（お知らせ・公式アカウントの確認）に掲載しました。",
        );
    }
    const hijacked = hijack
      ? await recordHijack(tx, {
          incident,
          account: hijack.account,
          compromisedSince: hijack.compromisedSince,
          actor,
          at,
        })
      : null;
    if (input.type === "misinformation" && input.claim) {
      await addEvent(tx, {
        incidentId: incident.id,
        kind: "claim_recorded",
        note: input.claim,
        data: { claim: input.claim, where: input.claimWhere },
        actor,
        at,
      });
      await finish(
        "record_claim",
        `報告時に記録しました${input.claimWhere ? `（掲載場所: ${input.claimWhere}）` : ""}。`,
      );
    }
    for (const f of files) {
      const contentType = sniffAttachmentType(f.bytes);
      if (!contentType) continue;
      const filename = cleanFilename(f.filename, "attachment");
      await insertAttachment(tx, {
        incidentId: incident.id,
        filename,
        contentType,
        bytes: f.bytes,
        size: f.bytes.length,
        description: f.description ?? "",
        uploadedBy: reporterId,
        createdAt: at,
      });
      await addEvent(tx, { incidentId: incident.id, kind: "attachment_added", note: filename, actor, at });
    }
    const label = incidentTypeLabels[input.type];
    let taskId: number | null = null;
    if (managerId !== null && managerId === reporterId) {
      await addEvent(tx, {
        incidentId: incident.id,
        kind: "acknowledged",
        note: "アカウント管理者が自ら報告しました。",
        actor,
        at,
      });
    } else if (managerId !== null) {
      taskId = await openIncidentTask(tx, {
        kind: INCIDENT_REPORT_TASK,
        incident,
        assigneeId: managerId,
        title: `インシデントの報告を受けてください: ${label}「${input.title}」`,
        clause: "7",
        dueDate: tokyoDate(at),
        at,
      });
      await alertIncident(ctx, tx, {
        incidentId: incident.id,
        recipientIds: [managerId],
        title: `【${label}】インシデントが報告されました: ${input.title}`,
        body: reportBody(
          input.type,
          input.title,
          input.description,
          account,
          noticedAt,
          actor,
          fake !== null && !reporterResponds,
        ),
        dedupeKey: `incident:${incident.id}:reported`,
      });
    }
    return {
      result: incident,
      incidentId: incident.id,
      summary: {
        type: input.type,
        title: input.title,
        severity: incident.severity,
        accountId: account?.id ?? null,
        postId,
        managerId,
        steps: steps.map((s) => s.key),
        links: input.links.length,
        attachments: files.map((f) => cleanFilename(f.filename, "attachment")),
        ...(fake
          ? { impersonation: { id: impersonationId, ...fake, warningPublished: reporterResponds } }
          : {}),
        ...(taskId !== null ? { taskId } : {}),
        ...(hijacked
          ? {
              hijack: {
                id: hijacked.hijack.id,
                compromisedSince: hijacked.hijack.compromisedSince,
                rotationTaskId: hijacked.rotationTaskId,
              },
            }
          : {}),
      },
    };
  });
}

function reportBody(
  type: IncidentType,
  title: string,
  description: string,
  account: AccountView | null,
  noticedAt: Date,
  actor: Actor,
  warningPending: boolean,
): string {
  const who = actor.kind === "staff" ? `${actor.name}さん` : "システム";
  return [
    `${who}から「${incidentTypeLabels[type]}」のインシデントが報告されました（第7: 直ちにアカウント管理者へ報告）。`,
    `件名: ${title}`,
    account ? `アカウント: ${account.name}` : "",
    `気づいた日時: ${formatDateTime(noticedAt)}`,
    `内容: ${description.slice(0, 500)}`,
    warningPending
      ? "なりすましアカウントへの注意喚起は、まだ公開ページに掲載されていません。文面を確認し、インシデントのページで「公開する」を押してください（第7-3(1)）。"
      : "",
    "インシデントのページで手順を確認し、対応を始めてください。",
  ]
    .filter(Boolean)
    .join("\n");
}
