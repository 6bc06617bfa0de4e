/**
 * Reading media policies: the version in force, the draft (for the division writing it, its
 * manager and the overseers), every published version and what changed in each.
 */
import type { AccountView } from "../../db/repos/accounts.ts";
import {
  findPolicyVersion,
  type MediaPolicy,
  type MediaPolicyView,
  policyVersions,
  previousPublished,
} from "../../db/repos/policies.ts";
import { findOpenTask, type TaskRow } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { type FieldChange, policyDiff } from "../../domain/policy-diff.ts";
import { notFound } from "../../errors.ts";
import { accountTarget, getAccount } from "../accounts/read.ts";
import { allowed } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { canSeeDrafts } from "./access.ts";
import { REVIEW_TASK_KIND, reviewOverdue } from "./review-tasks.ts";

/** What the actor may do with the account's policy (for showing buttons; the use cases check again). */
export type PolicyPermissions = { draft: boolean; approve: boolean };

export type PolicyOverview = {
  account: AccountView;
  /** The approved version in force. */
  current: MediaPolicyView | undefined;
  /** The draft being written, when the actor may see it. */
  draft: MediaPolicyView | undefined;
  /** Every version the actor may read, newest first. */
  versions: MediaPolicyView[];
  reviewOverdue: boolean;
  reviewTask: TaskRow | undefined;
  today: string;
  can: PolicyPermissions;
};

function permissions(actor: Actor, account: AccountView): PolicyPermissions {
  const target = accountTarget(account);
  return { draft: allowed(actor, "policy.draft", target), approve: allowed(actor, "policy.approve", target) };
}

/** The versions the actor may read (drafts only for those who see drafts). */
export async function listPolicyVersions(
  ctx: AppContext,
  props: { actor: Actor; accountId: number },
): Promise<{ account: AccountView; versions: MediaPolicyView[] }> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  const all = await policyVersions(ctx.db, account.id);
  const drafts = canSeeDrafts(props.actor, account);
  return { account, versions: all.filter((v) => drafts || v.status !== "draft") };
}

/** Everything the policy page shows. */
export async function policyOverview(
  ctx: AppContext,
  props: { actor: Actor; accountId: number },
): Promise<PolicyOverview> {
  const { account, versions } = await listPolicyVersions(ctx, props);
  const today = tokyoDate(ctx.clock.now());
  const current = versions.find((v) => v.status === "approved");
  return {
    account,
    current,
    draft: versions.find((v) => v.status === "draft"),
    versions,
    reviewOverdue: reviewOverdue(current?.reviewDue ?? null, today),
    reviewTask: await findOpenTask(ctx.db, REVIEW_TASK_KIND, account.id),
    today,
    can: permissions(props.actor, account),
  };
}

export type PolicyVersionView = {
  account: AccountView;
  policy: MediaPolicyView;
  /** The published version before it (undefined for the first). */
  previous: MediaPolicy | undefined;
  changes: FieldChange[];
  can: PolicyPermissions;
};

/** One version with what changed against the published version before it. */
export async function getPolicyVersion(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; version: number },
): Promise<PolicyVersionView> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  const policy = await findPolicyVersion(ctx.db, account.id, props.version);
  if (!policy || (policy.status === "draft" && !canSeeDrafts(props.actor, account))) {
    throw notFound("メディアポリシーの版");
  }
  const previous = await previousPublished(ctx.db, account.id, policy.version);
  return {
    account,
    policy,
    previous,
    changes: policyDiff(previous, policy),
    can: permissions(props.actor, account),
  };
}
