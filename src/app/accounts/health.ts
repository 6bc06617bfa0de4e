/**
 * Each account at a glance, for the dashboard: is the media policy approved and not past its
 * review (4.2.1, 4.2.3), is the account listed publicly (4.4.1), is the profile checked (4.4.3),
 * are the credential holders within the limit (4.3.1), are password rotations overdue (4.3.2), is
 * two-factor on (4.3.3), is a change or closure notice in progress (4.5), is there an account
 * manager (4.1.4). `assessHealth` is the pure judgement; `accountHealth` gathers the facts.
 */
import { type HealthAccount, type HealthFacts, healthAccounts, healthFacts } from "../../db/repos/health.ts";
import {
  type AccountStatus,
  accountStatusLabels,
  isAccountStatus,
  missingPolicyItems,
  publicStatuses,
} from "../../domain/accounts.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

export type HealthTone = "ok" | "warn" | "error" | "muted";

export const healthKeys = [
  "policy",
  "public",
  "profile",
  "holders",
  "rotation",
  "mfa",
  "notice",
  "manager",
] as const;
export type HealthKey = (typeof healthKeys)[number];

/** One badge: its text (never colour alone), tone, an optional detail and the clause. */
export type HealthItem = {
  label: string;
  tone: HealthTone;
  detail?: string;
  clause: string;
  /** Whether it needs someone to act (counted in the summary). */
  problem: boolean;
};

export type AccountHealth = {
  account: {
    id: number;
    name: string;
    platform: string;
    status: AccountStatus;
    statusLabel: string;
    divisionName: string;
    departmentName: string;
    managerName: string | null;
  };
  items: Record<HealthKey, HealthItem>;
  /** How many badges need action. */
  problems: number;
};

/** Column headings of the health table, in order. */
export const healthLabels: Record<HealthKey, string> = {
  policy: "メディアポリシー",
  public: "公開ページ",
  profile: "プロフィール",
  holders: "ID・パスワード管理者",
  rotation: "パスワード変更",
  mfa: "2段階認証",
  notice: "変更・廃止の予告",
  manager: "アカウント管理者",
};

const noticeKindLabels: Record<string, string> = { change: "変更", closure: "廃止" };
const noticeStatusLabels: Record<string, string> = {
  requested: "届出前",
  notified: "届出済み",
  scheduled: "周知予定",
  announced: "周知中",
};

const ok = (label: string, clause: string, detail?: string): HealthItem => ({
  label,
  tone: "ok",
  clause,
  problem: false,
  ...(detail ? { detail } : {}),
});
const bad = (tone: "warn" | "error", label: string, clause: string, detail?: string): HealthItem => ({
  label,
  tone,
  clause,
  problem: true,
  ...(detail ? { detail } : {}),
});
const info = (tone: HealthTone, label: string, clause: string, detail?: string): HealthItem => ({
  label,
  tone,
  clause,
  problem: false,
  ...(detail ? { detail } : {}),
});

function policyItem(facts: HealthFacts, today: string): HealthItem {
  const policy = facts.policy.approved;
  if (!policy) {
    return facts.policy.draftWaiting
      ? bad("warn", "承認待ち", "4.2.1", "案はありますが、まだ承認されていません。")
      : bad("error", "未作成", "4.2.1", "承認されたメディアポリシーがありません。");
  }
  if (missingPolicyItems(policy).length > 0)
    return bad("error", "記載漏れ", "4.2.1", `第${policy.version}版に必要な項目が記載されていません。`);
  if (policy.reviewDue && policy.reviewDue < today)
    return bad("error", "見直し期限超過", "4.2.3", `見直し期限（市の設定）: ${formatDate(policy.reviewDue)}`);
  return ok(
    "最新",
    "4.2.3",
    policy.reviewDue
      ? `第${policy.version}版（見直し期限（市の設定）: ${formatDate(policy.reviewDue)}）`
      : undefined,
  );
}

function rotationItem(facts: HealthFacts, today: string): HealthItem {
  const overdue = facts.rotationDue.filter((due) => due !== null && due < today).length;
  if (overdue > 0) return bad("error", `期限超過 ${overdue}件`, "4.3.2");
  if (facts.rotationDue.length > 0) return bad("warn", `対応中 ${facts.rotationDue.length}件`, "4.3.2");
  return ok("なし", "4.3.2");
}

function noticeItem(facts: HealthFacts): HealthItem {
  const [notice] = facts.notices;
  if (!notice) return info("muted", "なし", "4.5.2");
  const label = `${noticeKindLabels[notice.kind] ?? notice.kind}：${noticeStatusLabels[notice.status] ?? notice.status}`;
  return info("warn", label, "4.5.2");
}

/**
 * The badges of one account on `today` (YYYY-MM-DD, Tokyo).
 * @param limits.maxCredentialHolders 4.3.1 必要最小限: more holders than this is a warning
 */
export function assessHealth(
  account: HealthAccount,
  facts: HealthFacts,
  today: string,
  limits: { maxCredentialHolders: number },
): AccountHealth {
  const status: AccountStatus = isAccountStatus(account.status) ? account.status : "draft";
  const items: Record<HealthKey, HealthItem> = {
    policy: policyItem(facts, today),
    public: publicStatuses.includes(status)
      ? ok("掲載中", "4.4.1")
      : info("muted", "運用開始前", "4.4.1", "運用を開始すると公開ページに掲載されます。"),
    profile:
      account.bioCheckedAt === null
        ? bad("warn", "未確認", "4.4.3", "現在のプロフィール文を貼り付けて確認してください。")
        : account.bioHasErrors
          ? bad("error", "要修正", "4.4.3", "確認した時点で誤りがありました。")
          : ok("確認済み", "4.4.3"),
    holders:
      facts.holders === 0
        ? bad("error", "未登録", "4.3.1")
        : facts.holders > limits.maxCredentialHolders
          ? bad(
              "warn",
              `${facts.holders}人（上限${limits.maxCredentialHolders}人）`,
              "4.3.1",
              "必要最小限にしてください。",
            )
          : ok(`${facts.holders}人`, "4.3.1"),
    rotation: rotationItem(facts, today),
    mfa: account.mfaEnabled ? ok("有効", "4.3.3") : bad("error", "無効", "4.3.3"),
    notice: noticeItem(facts),
    manager: account.managerHeadsDivision
      ? ok(account.managerName ?? "", "4.1.4")
      : bad(
          "error",
          "管理者不在",
          "4.1.4",
          account.managerName
            ? `${account.managerName}さんは現在この課の課長ではありません。`
            : "アカウント管理者が定められていません。",
        ),
  };
  return {
    account: {
      id: account.id,
      name: account.name,
      platform: account.platform,
      status,
      statusLabel: accountStatusLabels[status],
      divisionName: account.divisionName,
      departmentName: account.departmentName,
      managerName: account.managerName,
    },
    items,
    problems: healthKeys.filter((k) => items[k].problem).length,
  };
}

/** Divisions in which the actor is the account manager (課長, 4.1.4). */
export function managedDivisionIds(actor: Actor): number[] {
  if (actor.kind !== "staff") return [];
  return actor.grants.flatMap((g) =>
    g.role === "account_manager" && g.scope.type === "division" ? [g.scope.id] : [],
  );
}

/**
 * The health of the accounts the actor looks after: those they manage or operate, or every
 * account for the overseers (policy director, security director, auditor, admin).
 */
export async function accountHealth(ctx: AppContext, props: { actor: Actor }): Promise<AccountHealth[]> {
  await authorize(ctx, props.actor, "account.read");
  const actor = props.actor;
  const scope =
    actor.kind === "system" || allowed(actor, "account.read_all")
      ? ({ all: true } as const)
      : { all: false as const, staffId: actor.staffId, divisionIds: managedDivisionIds(actor) };
  const accounts = await healthAccounts(ctx.db, scope);
  const facts = await healthFacts(
    ctx.db,
    accounts.map((a) => a.id),
  );
  const today = tokyoDate(ctx.clock.now());
  const limits = guidelinePack().limits;
  return accounts.flatMap((a) => {
    const f = facts.get(a.id);
    return f ? [assessHealth(a, f, today, limits)] : [];
  });
}
