/**
 * Applying for an official account (4.1): a division drafts the application (起案) naming the
 * account manager, the operators and the credential holders (4.1.3, 4.3.1); it goes to the
 * department head (情報管理者), then the policy director (総合政策部長), each of whom may approve,
 * return it with comments, or reject it. The 起案 also says what the city decides on: the planned
 * start, the media-policy draft, that the platform's terms were read, who owns the login e-mail
 * and phone, the two-factor plan, the cost and the divisions consulted (合議先). The 届出 to the
 * security director (情報統括管理者) follows the acquisition, at registration (4.1.2 取得後; see
 * acquisition.ts). Nobody approves their own application, the order cannot be skipped, and two
 * approvals at the same moment give one approval.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import * as repo from "../../db/repos/accounts.ts";
import { latestFiling } from "../../db/repos/filings.ts";
import * as orgRepo from "../../db/repos/org.ts";
import * as staffRepo from "../../db/repos/staff.ts";
import {
  type AccountStatus,
  type AccountStep,
  accountStatusLabels,
  applicationProblems,
  nextStatus,
} from "../../domain/accounts.ts";
import { AppError, conflict, isUniqueViolation, notFound, validation } from "../../errors.ts";
import { platforms } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { confirmFiling } from "../filings/decide.ts";
import { flag, idOf, optionalText, parse, plainDate, text } from "../validate.ts";
import { accountTarget, getAccount } from "./read.ts";

const idList = (label: string) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(idOf(label)).max(50, { error: `${label}は50人までです。` }),
  );

export const applicationInput = z.object({
  divisionId: idOf("所管課"),
  platform: z.enum(platforms, { error: "利用するソーシャルメディアを選んでください。" }),
  name: text("アカウント名（案）", 100),
  alias: optionalText("通称", 100),
  handle: optionalText("ユーザー名（案）", 100),
  purpose: text("利用目的", 2000),
  homepageUrl: optionalText("所管サイトのURL", 500).refine((v) => v === "" || /^https:\/\/[^\s]+$/.test(v), {
    error: "所管サイトのURLは https:// から始まる形で、省略せずに入力してください（第4-4(4)）。",
  }),
  isCharacter: flag().default(false),
  operatorIds: idList("運用に携わる職員"),
  holderIds: idList("ID・パスワードを扱う職員"),
  plannedStartOn: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    plainDate("運用開始の予定日").optional(),
  ),
  policyDraft: optionalText("メディアポリシー（案）", 5000),
  termsConfirmed: flag().default(false),
  loginOwner: optionalText("ログイン用メールアドレス・電話番号の所有者", 500),
  twoFactorPlan: optionalText("二段階認証の設定方法", 500),
  cost: optionalText("費用", 500),
  consultedDivisions: optionalText("合議先", 500),
});

export type ApplicationInput = z.output<typeof applicationInput>;

/** The division's head (課長), who is its account manager (4.1.4); null when the post is vacant. */
export async function divisionHead(db: Db, divisionId: number): Promise<staffRepo.Staff | null> {
  return (await staffRepo.findDivisionHead(db, divisionId)) ?? null;
}

async function checkPeople(db: Db, ids: readonly number[], field: string, label: string): Promise<void> {
  for (const id of ids) {
    const person = await staffRepo.findStaff(db, id);
    if (!person?.active)
      throw validation(`${label}に在職していない職員が含まれています。`, [
        { field, message: `${label}を選び直してください。` },
      ]);
  }
}

function snapshot(account: repo.Account, operators: readonly number[], holders: readonly number[]) {
  return {
    platform: account.platform,
    name: account.name,
    alias: account.alias,
    handle: account.handle,
    purpose: account.purpose,
    homepageUrl: account.homepageUrl,
    isCharacter: account.isCharacter,
    managerId: account.managerId,
    operatorIds: [...operators],
    holderIds: [...holders],
    plannedStartOn: account.plannedStartOn,
    policyDraft: account.policyDraft,
    termsConfirmed: account.termsConfirmed,
    loginOwner: account.loginOwner,
    twoFactorPlan: account.twoFactorPlan,
    cost: account.cost,
    consultedDivisions: account.consultedDivisions,
  };
}

/** The decision fields of the 起案 as stored (both drafting and editing write them). */
function decisionFields(input: ApplicationInput) {
  return {
    plannedStartOn: input.plannedStartOn ?? null,
    policyDraft: input.policyDraft,
    termsConfirmed: input.termsConfirmed,
    loginOwner: input.loginOwner,
    twoFactorPlan: input.twoFactorPlan,
    cost: input.cost,
    consultedDivisions: input.consultedDivisions,
  };
}

/** Drafts an application (起案) in the actor's division (or one they manage). */
export async function draftApplication(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  const input = parse(applicationInput, props.input);
  const division = await orgRepo.findDivision(ctx.db, input.divisionId);
  if (!division) throw notFound("所管課");
  await authorize(ctx, props.actor, "account.apply", {
    divisionId: division.id,
    departmentId: division.departmentId,
  });
  const head = await divisionHead(ctx.db, division.id);
  await checkPeople(ctx.db, input.operatorIds, "operatorIds", "運用に携わる職員");
  await checkPeople(ctx.db, input.holderIds, "holderIds", "ID・パスワードを扱う職員");
  return change(ctx, props.actor, "account.draft", async (tx, at) => {
    const account = await repo.insertAccount(tx, {
      divisionId: division.id,
      platform: input.platform,
      name: input.name,
      alias: input.alias,
      handle: input.handle.replace(/^@/, ""),
      purpose: input.purpose,
      homepageUrl: input.homepageUrl,
      isCharacter: input.isCharacter,
      managerId: head?.id ?? null,
      ...decisionFields(input),
      status: "draft",
      applicantId: props.actor.kind === "staff" ? props.actor.staffId : null,
    });
    await repo.setOperators(tx, account.id, input.operatorIds, at);
    await repo.setHolders(tx, account.id, input.holderIds, at);
    await repo.insertEvent(tx, {
      accountId: account.id,
      kind: "drafted",
      actorId: props.actor.kind === "staff" ? props.actor.staffId : null,
      snapshot: snapshot(account, input.operatorIds, input.holderIds),
      at,
    });
    return { result: account, target: { type: "account", id: account.id }, summary: { after: { ...input } } };
  });
}

/** Edits a draft or a returned application. */
export async function updateApplication(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
) {
  const input = parse(applicationInput, props.input);
  const view = await getAccount(ctx, { actor: props.actor, id: props.id });
  await authorize(ctx, props.actor, "account.apply", accountTarget(view));
  if (input.divisionId !== view.divisionId) {
    throw validation("所管課は変更できません。別の課のアカウントは、その課で起案してください。", [
      { field: "divisionId", message: "所管課は変更できません。" },
    ]);
  }
  await checkPeople(ctx.db, input.operatorIds, "operatorIds", "運用に携わる職員");
  await checkPeople(ctx.db, input.holderIds, "holderIds", "ID・パスワードを扱う職員");
  return change(ctx, props.actor, "account.update", async (tx, at) => {
    const before = await repo.lockAccount(tx, props.id);
    if (!before) throw notFound("アカウント");
    if (!nextStatus(before.status, "edit")) {
      throw conflict(
        `「${accountStatusLabels[before.status]}」の申請は編集できません。差し戻された場合に修正できます。`,
      );
    }
    const head = await divisionHead(tx, before.divisionId);
    const account = await repo.updateAccount(
      tx,
      props.id,
      {
        platform: input.platform,
        name: input.name,
        alias: input.alias,
        handle: input.handle.replace(/^@/, ""),
        purpose: input.purpose,
        homepageUrl: input.homepageUrl,
        isCharacter: input.isCharacter,
        managerId: head?.id ?? before.managerId,
        ...decisionFields(input),
      },
      at,
    );
    await repo.setOperators(tx, account.id, input.operatorIds, at);
    await repo.setHolders(tx, account.id, input.holderIds, at);
    return { result: account, target: { type: "account", id: account.id }, summary: { after: { ...input } } };
  });
}

/** The problems that keep an application from being submitted (4.1.3, 4.1.4, 4.3.1). */
export async function submissionProblems(db: Db, account: repo.Account): Promise<string[]> {
  // One after the other: called inside a transaction, whose client runs one query at a time.
  const operators = await repo.listOperators(db, account.id);
  const holders = await repo.listHolders(db, account.id);
  const problems = applicationProblems({
    platform: account.platform,
    name: account.name,
    purpose: account.purpose,
    managerId: account.managerId,
    operatorIds: operators.map((o) => o.staffId),
    holderIds: holders.map((h) => h.staffId),
    plannedStartOn: account.plannedStartOn,
    policyDraft: account.policyDraft,
    termsConfirmed: account.termsConfirmed,
    loginOwner: account.loginOwner,
    twoFactorPlan: account.twoFactorPlan,
    cost: account.cost,
  });
  const head = await divisionHead(db, account.divisionId);
  if (!head)
    problems.push("所管課の課長が登録されていないため、アカウント管理者を定められません（第4-1(4)）。");
  else if (account.managerId !== head.id)
    problems.push("アカウント管理者は所管課の課等の長です（第4-1(4)）。");
  return problems;
}

/** Submits (or resubmits after a return) to the department head. */
export async function submitApplication(ctx: AppContext, props: { actor: Actor; id: number }) {
  const view = await getAccount(ctx, { actor: props.actor, id: props.id });
  await authorize(ctx, props.actor, "account.apply", accountTarget(view));
  return change(ctx, props.actor, "account.submit", async (tx, at) => {
    const account = await repo.lockAccount(tx, props.id);
    if (!account) throw notFound("アカウント");
    const next = nextStatus(account.status, "submit");
    if (!next) throw conflict(`「${accountStatusLabels[account.status]}」の申請は提出できません。`);
    const problems = await submissionProblems(tx, account);
    if (problems.length > 0) {
      throw new AppError("validation", `申請を提出できません。${problems.join("")}`, {
        fields: problems.map((message) => ({ field: "", message })),
      });
    }
    // One after the other: a transaction's client runs one query at a time.
    const operators = await repo.listOperators(tx, account.id);
    const holders = await repo.listHolders(tx, account.id);
    const updated = await repo.updateAccount(tx, account.id, { status: next, submittedAt: at }, at);
    await repo.insertEvent(tx, {
      accountId: account.id,
      kind: "submitted",
      actorId: props.actor.kind === "staff" ? props.actor.staffId : null,
      snapshot: snapshot(
        updated,
        operators.map((o) => o.staffId),
        holders.map((h) => h.staffId),
      ),
      at,
    });
    return {
      result: updated,
      target: { type: "account", id: account.id },
      summary: { from: account.status, to: next, resubmission: account.status === "returned" },
    };
  });
}

type Decision = "approve" | "return" | "reject";

const stepOf: Record<
  "pending_department_head" | "pending_policy_director",
  {
    step: "department_head" | "policy_director";
    action: "account.approve_department" | "account.approve_policy";
    /** The audit action of approving at this step. */
    approved: "account.approve.department_head" | "account.approve.policy_director";
    label: string;
  }
> = {
  pending_department_head: {
    step: "department_head",
    action: "account.approve_department",
    approved: "account.approve.department_head",
    label: "部等の長（情報管理者）",
  },
  pending_policy_director: {
    step: "policy_director",
    action: "account.approve_policy",
    approved: "account.approve.policy_director",
    label: "総合政策部長",
  },
};

/** The audit action of returning or rejecting an application. */
const refusedAction = { return: "account.return", reject: "account.reject" } as const;

function isPending(status: AccountStatus): status is "pending_department_head" | "pending_policy_director" {
  return status === "pending_department_head" || status === "pending_policy_director";
}

/**
 * The department head's or the policy director's decision on an application. `expected` is the
 * status the decider saw: if someone else decided first, this one gets a clear conflict.
 */
export async function decideApplication(
  ctx: AppContext,
  props: { actor: Actor; id: number; decision: Decision; comment?: string; expected: AccountStatus },
) {
  const view = await getAccount(ctx, { actor: props.actor, id: props.id });
  if (!isPending(props.expected)) throw conflict("この申請は承認待ちではありません。");
  const { step, action, approved, label } = stepOf[props.expected];
  await authorize(ctx, props.actor, action, accountTarget(view));
  const comment = (props.comment ?? "").trim();
  if (props.decision !== "approve" && comment === "") {
    throw validation(
      props.decision === "return" ? "差し戻す理由を入力してください。" : "却下する理由を入力してください。",
      [{ field: "comment", message: "理由を入力してください。" }],
    );
  }
  const auditAction = props.decision === "approve" ? approved : refusedAction[props.decision];
  try {
    return await change(ctx, props.actor, auditAction, async (tx, at) => {
      const account = await repo.lockAccount(tx, props.id);
      if (!account) throw notFound("アカウント");
      if (account.status !== props.expected) {
        throw conflict(
          `この申請はすでに処理されています（現在の状態: ${accountStatusLabels[account.status]}）。画面を再読み込みして確認してください。`,
        );
      }
      if (props.actor.kind === "staff" && account.applicantId === props.actor.staffId) {
        throw new AppError("forbidden", "自分が起案した申請を承認・差戻し・却下することはできません。");
      }
      const stepName: AccountStep =
        props.decision === "approve"
          ? step === "department_head"
            ? "approve_department"
            : "approve_policy"
          : props.decision;
      const next = nextStatus(account.status, stepName);
      if (!next)
        throw conflict(
          "この順序では処理できません（第4-1(2): 部等の長（情報管理者）の許可の後に総合政策部長の許可）。",
        );
      const actorId = props.actor.kind === "staff" ? props.actor.staffId : null;
      if (props.decision === "approve" && actorId !== null) {
        await repo.insertApproval(tx, {
          accountId: account.id,
          round: await repo.submissionRound(tx, account.id),
          step,
          approverId: actorId,
          at,
        });
      }
      const approvedNow = next === "approved";
      // 4.1.2: the 届出 to the security director follows the acquisition (registration), not this.
      const updated = await repo.updateAccount(
        tx,
        account.id,
        approvedNow ? { status: next, approvedAt: at } : { status: next },
        at,
      );
      await repo.insertEvent(tx, {
        accountId: account.id,
        kind:
          props.decision === "approve"
            ? `approved_${step}`
            : props.decision === "return"
              ? "returned"
              : "rejected",
        actorId,
        comment,
        at,
      });
      return {
        result: updated,
        target: { type: "account", id: account.id },
        summary: {
          step: label,
          decision: props.decision,
          from: account.status,
          to: next,
          ...(comment ? { comment } : {}),
        },
      };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict("この段階はすでに承認されています。画面を再読み込みして確認してください。");
    throw error;
  }
}

/**
 * The security director confirms the latest acquisition 届出 of the account (4.1.2); 「届出未確認」
 * disappears. Refused before the account is registered: there is nothing to confirm yet.
 */
export async function confirmSecurityNotice(ctx: AppContext, props: { actor: Actor; id: number }) {
  const view = await getAccount(ctx, { actor: props.actor, id: props.id });
  await authorize(ctx, props.actor, "account.confirm_notice", accountTarget(view));
  const latest = await latestFiling(ctx.db, { accountId: view.id, kind: "acquisition", noticeId: null });
  if (!latest)
    throw conflict(
      "まだ届出されていません。届出は、取得したアカウントを課等の長（アカウント管理者）が登録したときに送られます（第4-1(2) 取得後）。",
    );
  await confirmFiling(ctx, { actor: props.actor, filingId: latest.id });
  const updated = await repo.findAccount(ctx.db, view.id);
  if (!updated) throw notFound("アカウント");
  return updated;
}

/** Whether the actor may decide the application now (for showing the buttons). */
export function mayDecide(actor: Actor, account: repo.AccountView): boolean {
  if (!isPending(account.status)) return false;
  if (actor.kind === "staff" && account.applicantId === actor.staffId) return false;
  return allowed(actor, stepOf[account.status].action, accountTarget(account));
}
