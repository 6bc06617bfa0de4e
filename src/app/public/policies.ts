/**
 * Published media policies for citizens (4.2.1, 4.2.2, 4.2.3: 市民への周知). Every published
 * version stays readable, with what changed (the system keeps them: a policy is a 公文書). A version is published once the account manager
 * approves it (status `approved`, the one in force) and stays published when a later version
 * supersedes it (`superseded`). Drafts are never shown.
 */
import { listPublishedPolicies, type PolicyVersionRow } from "../../db/repos/public.ts";
import {
  type PolicyContent,
  policyFieldLabels,
  policyFields,
  replyPolicyLabels,
} from "../../domain/accounts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import type { AppContext } from "../context.ts";
import { type PublicAccount, publicRegistry } from "./registry.ts";

/** One field that differs between two versions, as citizens read it. */
export type PolicyChange = {
  field: keyof PolicyContent;
  label: string;
  before: string;
  after: string;
};

/** A published version with what changed since the previous one. */
export type PublishedPolicy = {
  version: number;
  /** `approved` is the version in force; `superseded` ones are history. */
  current: boolean;
  /** The day it was approved (Tokyo), when known. */
  approvedOn: string | null;
  /** The next review (4.2.3) is due by this date: the city's review period, not a clause's. */
  reviewDue: string | null;
  content: PolicyContent;
  /** The manager's own words about what changed (`change_summary`). */
  changeSummary: string;
  /** Field-by-field differences from the previous published version (empty for the first). */
  changes: PolicyChange[];
};

/** The policy's items as citizens read them (the reply choice in words, not its code). */
export function readablePolicyValue(content: PolicyContent, field: keyof PolicyContent): string {
  if (field === "replyPolicy") return replyPolicyLabels[content.replyPolicy] ?? "";
  return content[field];
}

/** What differs between two versions, field by field, in the guideline's order (pure). */
export function policyChanges(previous: PolicyContent | null, next: PolicyContent): PolicyChange[] {
  if (!previous) return [];
  const changes: PolicyChange[] = [];
  for (const field of policyFields) {
    const before = readablePolicyValue(previous, field);
    const after = readablePolicyValue(next, field);
    if (before.trim() !== after.trim())
      changes.push({ field, label: policyFieldLabels[field], before, after });
  }
  return changes;
}

function contentOf(row: PolicyVersionRow): PolicyContent {
  return {
    purpose: row.purpose,
    platformDescription: row.platformDescription,
    content: row.content,
    staffInCharge: row.staffInCharge,
    frequency: row.frequency,
    timing: row.timing,
    method: row.method,
    commentHandling: row.commentHandling,
    replyPolicy: row.replyPolicy,
    replyText: row.replyText,
  };
}

/** The published versions, oldest first, each with its changes from the one before. */
export function publishedPolicies(rows: readonly PolicyVersionRow[]): PublishedPolicy[] {
  let previous: PolicyContent | null = null;
  const out: PublishedPolicy[] = [];
  for (const row of rows) {
    const content = contentOf(row);
    out.push({
      version: row.version,
      current: row.status === "approved",
      approvedOn: row.approvedAt ? tokyoDate(row.approvedAt) : null,
      reviewDue: row.reviewDue,
      content,
      changeSummary: row.changeSummary,
      changes: policyChanges(previous, content),
    });
    previous = content;
  }
  // Only the latest approved version is in force, should an older one not have been superseded.
  const latestApproved = out.findLast((p) => p.current);
  for (const p of out) p.current = p === latestApproved;
  return out;
}

/** An account's public page: the account and its published policy versions. */
export type PublicAccountPage = { account: PublicAccount; policies: PublishedPolicy[] };

/**
 * The account and its published policies, or null when the id is not an account citizens may
 * see (an application, a rejected one, an unknown id): the page answers 404 without saying why.
 */
export async function publicAccountPage(ctx: AppContext, id: number): Promise<PublicAccountPage | null> {
  const registry = await publicRegistry(ctx);
  const account = registry.byId.get(id);
  if (!account) return null;
  const rows = await listPublishedPolicies(ctx.db, id);
  return { account, policies: publishedPolicies(rows) };
}
