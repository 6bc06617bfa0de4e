/**
 * Accounts that existed before snsgov (既存アカウントとして登録). They were approved on paper —
 * 起案, 部等の長（情報管理者）の許可, 総合政策部長の許可 (4.1.2) — so they are recorded as such,
 * never as if they had gone through this system: an administrator records the account with the
 * original 起案's 文書番号 and the dates of the approvals given on paper; the policy director
 * confirms the record (or refuses it); then the account continues as an approved account — the
 * 届出 to the 情報統括管理者 is sent with what is registered, and it starts operating once its
 * media policy is approved (4.2.1). The registry, the history and the audit log say
 * 「既存アカウントとして登録」.
 */
import { z } from "zod";
import * as repo from "../../db/repos/accounts.ts";
import { insertDocumentVersion } from "../../db/repos/documents.ts";
import * as orgRepo from "../../db/repos/org.ts";
import * as staffRepo from "../../db/repos/staff.ts";
import { accountStatusLabels, nextStatus } from "../../domain/accounts.ts";
import { formatWarekiDate, tokyoDate, tokyoDayStart } from "../../domain/dates.ts";
import { accountUrlProblem, parseAccountUrl } from "../../domain/platforms.ts";
import { AppError, conflict, type FieldIssue, notFound, validation } from "../../errors.ts";
import { guidelinePack, platforms } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { holdersOf } from "../staff/role-grants.ts";
import { flag, idOf, optionalText, parse, plainDate, text } from "../validate.ts";
import { fileAcquisition } from "./acquisition.ts";
import { accountTarget, getAccount } from "./read.ts";

/** The words the registry and the audit log use for these accounts. */
export const EXISTING_LABEL = "既存アカウントとして登録";

const idList = (label: string) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(idOf(label)).max(50, { error: `${label}は50人までです。` }),
  );

const optionalDate = (label: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), plainDate(label).optional());

export const existingInput = z.object({
  divisionId: idOf("所管課"),
  platform: z.enum(platforms, { error: "利用しているソーシャルメディアを選んでください。" }),
  name: text("アカウント名", 100),
  alias: optionalText("通称", 100),
  url: text("アカウントのURL", 500),
  platformCreatedOn: plainDate("アカウントの作成日"),
  purpose: text("利用目的", 2000),
  homepageUrl: text("所管サイトのURL", 500).refine((v) => /^https:\/\/[^\s]+$/.test(v), {
    error: "所管サイトのURLは https:// から始まる形で、省略せずに入力してください（第4-4(4)）。",
  }),
  isCharacter: flag().default(false),
  operatorIds: idList("運用に携わる職員"),
  holderIds: idList("ID・パスワードを扱う職員"),
  loginEmail: optionalText("ログイン用メールアドレス", 254),
  loginPhone: optionalText("ログイン用電話番号", 30),
  loginOwner: text("ログイン用メールアドレス・電話番号の所有者", 500),
  mfaEnabled: flag().default(false),
  twoFactorPlan: optionalText("二段階認証の方法", 500),
  documentNumber: text("元の起案の文書番号", 100),
  draftedOn: optionalDate("起案日"),
  departmentApprovedOn: plainDate("部等の長（情報管理者）の許可日"),
  policyApprovedOn: plainDate("総合政策部長の許可日"),
  securityFiledOn: optionalDate("情報統括管理者への届出日（紙）"),
  note: optionalText("備考", 2000),
});

export type ExistingInput = z.output<typeof existingInput>;

/** The paper dates in order and not in the future (Japanese field issues; empty when fine). */
export function paperDateProblems(input: ExistingInput, today: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const dates: Array<[keyof ExistingInput, string, string | undefined]> = [
    ["draftedOn", "起案日", input.draftedOn],
    ["departmentApprovedOn", "部等の長（情報管理者）の許可日", input.departmentApprovedOn],
    ["policyApprovedOn", "総合政策部長の許可日", input.policyApprovedOn],
    ["securityFiledOn", "情報統括管理者への届出日", input.securityFiledOn],
    ["platformCreatedOn", "アカウントの作成日", input.platformCreatedOn],
  ];
  for (const [field, label, value] of dates) {
    if (value && value > today) issues.push({ field, message: `${label}に未来の日付は入力できません。` });
  }
  if (input.draftedOn && input.draftedOn > input.departmentApprovedOn)
    issues.push({
      field: "draftedOn",
      message: "起案日は、部等の長（情報管理者）の許可日より前の日付です。",
    });
  if (input.departmentApprovedOn > input.policyApprovedOn)
    issues.push({
      field: "policyApprovedOn",
      message: "総合政策部長の許可は、部等の長（情報管理者）の許可の後です（第4-1(2)）。",
    });
  if (input.securityFiledOn && input.securityFiledOn < input.policyApprovedOn)
    issues.push({
      field: "securityFiledOn",
      message: "情報統括管理者への届出日は、総合政策部長の許可日以降の日付です（第4-1(2)）。",
    });
  if (!input.loginEmail && !input.loginPhone)
    issues.push({
      field: "loginEmail",
      message: "ログインに使うメールアドレスまたは電話番号を入力してください（第4-3(3)）。",
    });
  if (input.holderIds.length === 0)
    issues.push({
      field: "holderIds",
      message: "ID・パスワードを扱う職員を定めてください（扱う者は必要最小限にします。第4-3(1)）。",
    });
  if (input.operatorIds.length === 0)
    issues.push({ field: "operatorIds", message: "運用に携わる職員を1人以上定めてください（第4-1(3)）。" });
  return issues;
}

/**
 * The administrator records an account approved on paper before this system, with the original
 * 起案's 文書番号 and the paper approval dates; it waits for the policy director's confirmation.
 */
export async function recordExistingAccount(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "account.register_existing");
  const input = parse(existingInput, props.input);
  const division = await orgRepo.findDivision(ctx.db, input.divisionId);
  if (!division) throw notFound("所管課");
  const issues = paperDateProblems(input, tokyoDate(ctx.clock.now()));
  const pack = guidelinePack();
  const urlProblem = accountUrlProblem(pack, input.platform, input.url);
  if (urlProblem) issues.unshift({ field: "url", message: urlProblem });
  for (const id of [...input.operatorIds, ...input.holderIds]) {
    const person = await staffRepo.findStaff(ctx.db, id);
    if (!person?.active) {
      issues.push({
        field: "operatorIds",
        message: "在職していない職員が含まれています。選び直してください。",
      });
      break;
    }
  }
  const head = await staffRepo.findDivisionHead(ctx.db, division.id);
  if (!head)
    issues.push({
      field: "divisionId",
      message:
        "所管課の課長が登録されていないため、課等の長（アカウント管理者）を定められません（第4-1(4)）。",
    });
  if (issues.length > 0) throw validation(issues[0]?.message ?? "入力内容を確認してください。", issues);
  const parsed = parseAccountUrl(pack, input.platform, input.url);
  if (!parsed)
    throw validation("URLを読み取れません。", [{ field: "url", message: "URLを読み取れません。" }]);
  const clash = (
    await repo.listAccounts(ctx.db, { platform: input.platform, visibleDivisionIds: null })
  ).find((a) => a.status !== "closed" && a.status !== "rejected" && a.handle.toLowerCase() === parsed.handle);
  if (clash) throw conflict(`このURLのアカウントは「${clash.name}」としてすでに登録されています。`);
  const actorId = props.actor.kind === "staff" ? props.actor.staffId : null;
  return change(ctx, props.actor, "account.register_existing", async (tx, at) => {
    const account = await repo.insertAccount(tx, {
      divisionId: division.id,
      platform: input.platform,
      name: input.name,
      alias: input.alias,
      handle: parsed.handle,
      url: parsed.url,
      purpose: input.purpose,
      homepageUrl: input.homepageUrl,
      isCharacter: input.isCharacter,
      managerId: head?.id ?? null,
      status: "existing_pending",
      origin: "existing",
      applicantId: actorId,
      platformCreatedOn: input.platformCreatedOn,
      loginEmail: input.loginEmail,
      loginPhone: input.loginPhone,
      loginOwner: input.loginOwner,
      mfaEnabled: input.mfaEnabled,
      twoFactorPlan: input.twoFactorPlan,
    });
    await repo.setOperators(tx, account.id, input.operatorIds, at);
    await repo.setHolders(tx, account.id, input.holderIds, at);
    await repo.insertExisting(tx, {
      accountId: account.id,
      draftedOn: input.draftedOn ?? null,
      departmentApprovedOn: input.departmentApprovedOn,
      policyApprovedOn: input.policyApprovedOn,
      securityFiledOn: input.securityFiledOn ?? null,
      note: input.note,
      recordedBy: actorId,
      recordedAt: at,
    });
    // The original 起案's 文書番号, decided on the day the policy director approved it.
    await insertDocumentVersion(tx, {
      subjectType: "application",
      subjectId: account.id,
      version: 1,
      documentNumber: input.documentNumber,
      decidedOn: input.policyApprovedOn,
      reason: EXISTING_LABEL,
      recordedBy: actorId,
      recordedAt: at,
    });
    const paper = `文書番号 ${input.documentNumber}、部等の長（情報管理者）の許可 ${formatWarekiDate(input.departmentApprovedOn)}、総合政策部長の許可 ${formatWarekiDate(input.policyApprovedOn)}`;
    await repo.insertEvent(tx, {
      accountId: account.id,
      kind: "existing_recorded",
      actorId,
      comment: `${EXISTING_LABEL}（紙の起案: ${paper}）`,
      at,
    });
    const directors = await holdersOf(tx, "policy_director", at);
    await notify(ctx, tx, {
      recipientIds: directors.map((d) => d.id),
      kind: "approval",
      title: `既存アカウントの登録の確認をお願いします: ${account.name}`,
      body: `紙で許可された既存のアカウントが登録されました（${paper}）。記録が正しいか確認してください（第4-1(2)）。`,
      href: `/accounts/${account.id}`,
      dedupeKey: `account:${account.id}:existing`,
    });
    return {
      result: account,
      target: { type: "account", id: account.id },
      summary: {
        registeredAs: EXISTING_LABEL,
        name: input.name,
        platform: input.platform,
        url: parsed.url,
        documentNumber: input.documentNumber,
        draftedOn: input.draftedOn ?? null,
        departmentApprovedOn: input.departmentApprovedOn,
        policyApprovedOn: input.policyApprovedOn,
        securityFiledOn: input.securityFiledOn ?? null,
      },
    };
  });
}

export const existingDecisionInput = z.object({
  decision: z.enum(["confirm", "reject"], { error: "確認するか、登録しないかを選んでください。" }),
  comment: optionalText("コメント", 2000),
});

/**
 * The policy director confirms the record of an existing account (it becomes 承認済, its paper
 * approval date as its approval, and the 届出 goes to the security director) or refuses it with
 * a reason. The administrator who recorded it cannot confirm it.
 */
export async function decideExistingAccount(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
) {
  const view = await getAccount(ctx, { actor: props.actor, id: props.id });
  await authorize(ctx, props.actor, "account.confirm_existing", accountTarget(view));
  const input = parse(existingDecisionInput, props.input);
  if (input.decision === "reject" && !input.comment) {
    const message = "登録しない理由を入力してください。";
    throw validation(message, [{ field: "comment", message }]);
  }
  const actorId = props.actor.kind === "staff" ? props.actor.staffId : null;
  return change(ctx, props.actor, "account.confirm_existing", async (tx, at) => {
    const account = await repo.lockAccount(tx, props.id);
    if (!account) throw notFound("アカウント");
    const record = await repo.findExisting(tx, account.id);
    const next = nextStatus(
      account.status,
      input.decision === "confirm" ? "confirm_existing" : "reject_existing",
    );
    if (!next || !record)
      throw conflict(
        `この登録はすでに処理されています（現在の状態: ${accountStatusLabels[account.status]}）。画面を再読み込みしてください。`,
      );
    if (actorId !== null && record.recordedBy === actorId)
      throw new AppError("forbidden", "自分が登録した既存アカウントを確認することはできません。");
    if (input.decision === "reject") {
      const updated = await repo.updateAccount(tx, account.id, { status: next }, at);
      await repo.insertEvent(tx, {
        accountId: account.id,
        kind: "existing_rejected",
        actorId,
        comment: input.comment,
        at,
      });
      return {
        result: updated,
        target: { type: "account", id: account.id },
        summary: { registeredAs: EXISTING_LABEL, decision: "reject", comment: input.comment },
      };
    }
    await repo.confirmExisting(tx, account.id, { confirmedBy: actorId, confirmedAt: at });
    const updated = await repo.updateAccount(
      tx,
      account.id,
      {
        status: next,
        approvedAt: tokyoDayStart(record.policyApprovedOn),
        submittedAt: tokyoDayStart(record.draftedOn ?? record.departmentApprovedOn),
        registeredAt: at,
      },
      at,
    );
    await repo.insertEvent(tx, {
      accountId: account.id,
      kind: "existing_confirmed",
      actorId,
      comment: input.comment ? `${EXISTING_LABEL}: ${input.comment}` : EXISTING_LABEL,
      at,
    });
    const filed = await fileAcquisition(ctx, tx, { account: updated, senderId: actorId, at });
    return {
      result: updated,
      target: { type: "account", id: account.id },
      summary: {
        registeredAs: EXISTING_LABEL,
        decision: "confirm",
        status: { before: account.status, after: next },
        paperApprovals: {
          departmentApprovedOn: record.departmentApprovedOn,
          policyApprovedOn: record.policyApprovedOn,
        },
        filing: filed.sent ? { id: filed.sent.filing.id, round: filed.sent.filing.round } : filed.reason,
      },
    };
  });
}
