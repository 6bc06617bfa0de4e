/**
 * Official accounts for tests, written straight through the tables (no workflow, no audit
 * entries), in whatever state a test needs.
 */
import type { AppContext } from "../../src/app/context.ts";
import { insertAccount, setHolders, setOperators } from "../../src/db/repos/accounts.ts";
import { mediaPolicies } from "../../src/db/schema.ts";
import type { AccountStatus } from "../../src/domain/accounts.ts";
import type { Platform } from "../../src/guideline/pack.ts";
import type { TestOrg } from "./org.ts";

export type SeedAccount = {
  divisionId: number;
  managerId: number;
  operatorIds?: number[];
  holderIds?: number[];
  platform?: Platform;
  name?: string;
  alias?: string;
  handle?: string;
  url?: string;
  status?: AccountStatus;
  homepageUrl?: string;
  /** Also write an approved, complete media policy (version 1). */
  policy?: boolean | { reviewDue: string };
  mfaEnabled?: boolean;
  closedOn?: string | null;
};

let n = 0;

/** Inserts an account (default: an active X account with an approved policy). */
export async function seedAccount(ctx: AppContext, spec: SeedAccount) {
  n++;
  const at = ctx.clock.now();
  const platform = spec.platform ?? "x";
  const handle = spec.handle ?? `iwaki_test${n}`;
  const status = spec.status ?? "active";
  const account = await insertAccount(ctx.db, {
    divisionId: spec.divisionId,
    platform,
    name: spec.name ?? `テスト用アカウント${n}`,
    alias: spec.alias ?? "",
    handle,
    url: spec.url ?? (platform === "x" ? `https://x.com/${handle}` : `https://example.jp/${handle}`),
    purpose: "市政情報の発信",
    homepageUrl: spec.homepageUrl ?? `https://www.city.iwaki.lg.jp/www/sns/${handle}.html`,
    managerId: spec.managerId,
    status,
    applicantId: spec.managerId,
    submittedAt: at,
    approvedAt: ["approved", "active", "change_announced", "closure_announced", "closed"].includes(status)
      ? at
      : null,
    securityNotifiedAt: at,
    registeredAt: ["active", "change_announced", "closure_announced", "closed"].includes(status) ? at : null,
    platformCreatedOn: "2024-04-01",
    mfaEnabled: spec.mfaEnabled ?? true,
    closedOn: spec.closedOn ?? null,
  });
  await setOperators(ctx.db, account.id, spec.operatorIds ?? [], at);
  await setHolders(ctx.db, account.id, spec.holderIds ?? [], at);
  if (spec.policy) {
    await ctx.db.insert(mediaPolicies).values({
      accountId: account.id,
      version: 1,
      status: "approved",
      purpose: "市政情報を迅速にお届けするため",
      platformDescription: platform,
      content: "イベント、お知らせ、災害情報",
      staffInCharge: "広報広聴課の職員",
      frequency: "週1回以上",
      timing: "開庁日の日中",
      method: "アカウント管理者の許可を得て投稿",
      commentHandling: "個別の返信は行いません",
      replyPolicy: "no_reply",
      replyText: "原則として返信しません。",
      authorId: spec.managerId,
      approvedBy: spec.managerId,
      approvedAt: at,
      reviewDue: typeof spec.policy === "object" ? spec.policy.reviewDue : "2027-11-24",
    });
  }
  return account;
}

/**
 * 広報広聴課's account (default: active, with an approved policy): managed by its 課長 and
 * operated by its 主事.
 */
export function seedKouhouAccount(ctx: AppContext, org: TestOrg, spec: Partial<SeedAccount> = {}) {
  return seedAccount(ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    policy: true,
    ...spec,
  });
}
