/**
 * After approval the division registers the real account (handle, URL validated for its platform,
 * creation date, the login e-mail/phone and who owns them, two-factor status) — which sends the
 * 届出 to the 情報統括管理者 (4.1.2 取得後; acquisition.ts) — and, once its media policy is
 * complete and approved by the account manager (4.2.1), starts operating it (運用中). The account
 * manager also keeps the operator list (3: posting rights come only from it; 4.1.3).
 */
import { z } from "zod";
import * as repo from "../../db/repos/accounts.ts";
import { hasCompleteApprovedPolicy } from "../../db/repos/policies.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { accountStatusLabels, nextStatus } from "../../domain/accounts.ts";
import { accountUrlProblem, parseAccountUrl } from "../../domain/platforms.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { guidelinePack, platforms } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { rotationAfterRemoval } from "../credentials/list-changes.ts";
import { flag, idOf, optionalText, parse, plainDate, text } from "../validate.ts";
import { fileAcquisition } from "./acquisition.ts";
import { accountTarget, getAccount } from "./read.ts";

export const registrationInput = z.object({
  url: text("アカウントのURL", 500),
  platformCreatedOn: plainDate("アカウントの作成日"),
  mfaEnabled: flag().default(false),
  homepageUrl: optionalText("所管サイトのURL", 500).refine((v) => v === "" || /^https:\/\/[^\s]+$/.test(v), {
    error: "所管サイトのURLは https:// から始まる形で、省略せずに入力してください（第4-4(4)）。",
  }),
  loginEmail: optionalText("ログイン用メールアドレス", 254).refine(
    (v) => v === "" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    { error: "ログイン用メールアドレスの形式が正しくありません（例: koho-sns@city.example.lg.jp）。" },
  ),
  loginPhone: optionalText("ログイン用電話番号", 30).refine(
    (v) => v === "" || /^[0-9+\-() ]{6,30}$/.test(v),
    {
      error: "ログイン用電話番号は数字とハイフンで入力してください（例: 0246-22-1111）。",
    },
  ),
  loginOwner: optionalText("ログイン用メールアドレス・電話番号の所有者", 500),
  twoFactorPlan: optionalText("二段階認証の方法", 500),
});

/**
 * Records the real account: its URL (shown in full on the public pages, 4.4.2③; a shortener is
 * refused, 4.4.4), the handle read from it, the creation date, the login e-mail/phone with their
 * owner and two-factor status; and sends the 届出 to the security director (4.1.2 取得後) — the
 * first time, and again whenever what the director was told changes.
 */
export async function registerAccount(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }) {
  const view = await getAccount(ctx, { actor: props.actor, id: props.id });
  await authorize(ctx, props.actor, "account.manage", accountTarget(view));
  const input = parse(registrationInput, props.input);
  const platform = platforms.find((p) => p === view.platform) ?? "other";
  const pack = guidelinePack();
  const problem = accountUrlProblem(pack, platform, input.url);
  if (problem) throw validation(problem, [{ field: "url", message: problem }]);
  const parsed = parseAccountUrl(pack, platform, input.url);
  if (!parsed)
    throw validation("URLを読み取れません。", [{ field: "url", message: "URLを読み取れません。" }]);
  const homepageUrl = input.homepageUrl || view.homepageUrl;
  if (!homepageUrl) {
    throw validation(
      "所管サイトのURL（市公式ホームページ内のこのアカウントのページ）を入力してください（第4-4(1)）。",
      [{ field: "homepageUrl", message: "所管サイトのURLを入力してください。" }],
    );
  }
  const clash = (await repo.listAccounts(ctx.db, { platform, visibleDivisionIds: null })).find(
    (a) =>
      a.id !== view.id &&
      a.status !== "closed" &&
      a.status !== "rejected" &&
      a.handle.toLowerCase() === parsed.handle,
  );
  if (clash) throw conflict(`このURLのアカウントは「${clash.name}」としてすでに登録されています。`);
  return change(ctx, props.actor, "account.register", async (tx, at) => {
    const account = await repo.lockAccount(tx, props.id);
    if (!account) throw notFound("アカウント");
    if (!nextStatus(account.status, "register")) {
      throw conflict(
        `「${accountStatusLabels[account.status]}」のアカウントは登録できません。総合政策部長の許可の後に登録します（第4-1(2)）。`,
      );
    }
    const updated = await repo.updateAccount(
      tx,
      account.id,
      {
        url: parsed.url,
        handle: parsed.handle,
        platformCreatedOn: input.platformCreatedOn,
        mfaEnabled: input.mfaEnabled,
        homepageUrl,
        loginEmail: input.loginEmail,
        loginPhone: input.loginPhone,
        loginOwner: input.loginOwner || account.loginOwner,
        twoFactorPlan: input.twoFactorPlan || account.twoFactorPlan,
        registeredAt: account.registeredAt ?? at,
      },
      at,
    );
    const actorId = props.actor.kind === "staff" ? props.actor.staffId : null;
    await repo.insertEvent(tx, {
      accountId: account.id,
      kind: "registered",
      actorId,
      comment: parsed.url,
      at,
    });
    // 4.1.2 取得後、情報統括管理者に届け出る.
    const filed = await fileAcquisition(ctx, tx, { account: updated, senderId: actorId, at });
    const result = (await repo.findAccount(tx, account.id)) ?? updated;
    return {
      result: { ...result, filing: filed.sent ? "sent" : filed.reason },
      target: { type: "account", id: account.id },
      summary: {
        url: parsed.url,
        handle: parsed.handle,
        platformCreatedOn: input.platformCreatedOn,
        mfaEnabled: input.mfaEnabled,
        loginEmail: input.loginEmail,
        loginPhone: input.loginPhone,
        loginOwner: result.loginOwner,
        filing: filed.sent
          ? {
              id: filed.sent.filing.id,
              round: filed.sent.filing.round,
              recipients: filed.sent.notified.length,
            }
          : filed.reason,
      },
    };
  });
}

/** Japanese reasons the account cannot start operating yet (empty when it can). */
export async function activationProblems(ctx: AppContext, account: repo.Account): Promise<string[]> {
  const problems: string[] = [];
  if (!account.registeredAt || !account.url) problems.push("取得したアカウントのURLなどを登録してください。");
  if (!account.homepageUrl) problems.push("所管サイトのURLを登録してください（第4-4(1)）。");
  if (!(await hasCompleteApprovedPolicy(ctx.db, account.id))) {
    problems.push(
      "アカウント管理者が承認した、必須項目がすべて記入されたメディアポリシーが必要です（第4-2(1)(2)）。",
    );
  }
  const operators = await repo.listOperators(ctx.db, account.id);
  if (!operators.some((o) => o.active))
    problems.push("運用に携わる職員を1人以上定めてください（第4-1(3)）。");
  return problems;
}

/** Starts operating the account (運用中): only with a complete, approved media policy (4.2.1). */
export async function activateAccount(ctx: AppContext, props: { actor: Actor; id: number }) {
  const view = await getAccount(ctx, { actor: props.actor, id: props.id });
  await authorize(ctx, props.actor, "account.manage", accountTarget(view));
  return change(ctx, props.actor, "account.activate", async (tx, at) => {
    const account = await repo.lockAccount(tx, props.id);
    if (!account) throw notFound("アカウント");
    const next = nextStatus(account.status, "activate");
    if (!next)
      throw conflict(`「${accountStatusLabels[account.status]}」のアカウントは運用を開始できません。`);
    const problems = await activationProblems({ ...ctx, db: tx }, account);
    if (problems.length > 0) {
      throw validation(
        `運用を開始できません。${problems.join("")}`,
        problems.map((message) => ({ field: "", message })),
      );
    }
    const updated = await repo.updateAccount(tx, account.id, { status: next }, at);
    await repo.insertEvent(tx, {
      accountId: account.id,
      kind: "activated",
      actorId: props.actor.kind === "staff" ? props.actor.staffId : null,
      at,
    });
    return {
      result: updated,
      target: { type: "account", id: account.id },
      summary: { from: account.status, to: next },
    };
  });
}

export const operatorsInput = z.object({
  staffIds: z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(idOf("運用に携わる職員")).max(50),
  ),
});

/**
 * Replaces the operator list (運用に携わる職員, 4.1.3). Taking someone off it opens the
 * password-rotation task (4.3.2: 人事異動等運用に携わる者に変更が生じた場合).
 */
export async function setAccountOperators(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
) {
  const view = await getAccount(ctx, { actor: props.actor, id: props.id });
  await authorize(ctx, props.actor, "account.manage", accountTarget(view));
  const { staffIds } = parse(operatorsInput, props.input);
  for (const id of staffIds) {
    const person = await findStaff(ctx.db, id);
    if (!person?.active)
      throw validation("在職していない職員は運用に携わる職員にできません。", [
        { field: "staffIds", message: "運用に携わる職員を選び直してください。" },
      ]);
  }
  if (staffIds.length === 0 && view.status !== "closed") {
    throw validation("運用に携わる職員を1人以上定めてください（第4-1(3)）。", [
      { field: "staffIds", message: "1人以上選んでください。" },
    ]);
  }
  return change(ctx, props.actor, "account.operators", async (tx, at) => {
    const account = await repo.findAccount(tx, props.id);
    if (!account) throw notFound("アカウント");
    const listed = await repo.listOperators(tx, props.id);
    const before = listed.map((o) => o.staffId);
    const { removed } = await repo.setOperators(tx, props.id, staffIds, at);
    await repo.insertEvent(tx, {
      accountId: props.id,
      kind: "operators_changed",
      actorId: props.actor.kind === "staff" ? props.actor.staffId : null,
      snapshot: { before, after: staffIds },
      at,
    });
    const rotationTask = await rotationAfterRemoval(tx, {
      account,
      removed: listed
        .filter((m) => removed.includes(m.staffId))
        .map((m) => ({ id: m.staffId, name: m.name })),
      at,
    });
    return {
      result: staffIds,
      target: { type: "account", id: props.id },
      summary: { before, after: staffIds, ...(rotationTask !== null ? { rotationTask } : {}) },
    };
  });
}
