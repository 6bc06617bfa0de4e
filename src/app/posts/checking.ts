/**
 * The server's checker run for a post — the authority at every transition (save, submit,
 * approve, publish): the account's facts, the images, the embargo as it applies when the post
 * goes out (check-input.ts). Also what the audit log keeps of findings (rule, clause, severity)
 * and reading findings back from the database.
 */
import { z } from "zod";
import { type CheckResult, type Finding, findingSchema, loadChecker } from "../../checker/index.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import { checkerPlatform } from "../policies/profile.ts";
import { postCheckInput } from "./check-input.ts";

/** What of a post the checker needs. */
export type CheckedPost = {
  text: string;
  kind: string;
  embargoUntil: Date | null;
  scheduledAt: Date | null;
  imageCount: number;
};

/** The account facts the checker needs. */
export type CheckedAccount = Pick<AccountView, "platform" | "divisionName" | "homepageUrl" | "isCharacter">;

/**
 * Checks a post at `now`. With `publishingNow`, the schedule is ignored (a post-hoc post goes
 * out at once, so an embargo still in the future applies).
 */
export async function checkPost(
  account: CheckedAccount,
  post: CheckedPost,
  now: Date,
  options: { publishingNow?: boolean } = {},
): Promise<CheckResult> {
  const checker = await loadChecker();
  const input = postCheckInput({
    text: post.text,
    platform: checkerPlatform(account.platform),
    kind: post.kind === "correction" ? "correction" : "post",
    account: {
      division: account.divisionName,
      homepageUrl: account.homepageUrl,
      character: account.isCharacter,
    },
    embargoUntil: post.embargoUntil?.toISOString() ?? null,
    scheduledAt: options.publishingNow ? null : (post.scheduledAt?.toISOString() ?? null),
    now: now.toISOString(),
    imageCount: post.imageCount,
  });
  return checker.check({ ...input, platform: checkerPlatform(input.platform) }, now);
}

/** Error and warning counts of findings (errors block unless justified, 5.1.4). */
export function findingCounts(findings: readonly Finding[]): { errorCount: number; warningCount: number } {
  return {
    errorCount: findings.filter((f) => f.severity === "error").length,
    warningCount: findings.filter((f) => f.severity === "warning").length,
  };
}

/** What the audit log keeps of findings: which rule, which clause, how severe. */
export function findingSummary(
  findings: readonly Finding[],
): Array<{ rule: string; clause: string; severity: string }> {
  return findings.map((f) => ({ rule: f.rule, clause: f.clause, severity: f.severity }));
}

const storedFindings = z.array(findingSchema);

/** Findings as stored in a jsonb column (anything unreadable reads as none). */
export function readFindings(value: unknown): Finding[] {
  const parsed = storedFindings.safeParse(value);
  return parsed.success ? parsed.data : [];
}
