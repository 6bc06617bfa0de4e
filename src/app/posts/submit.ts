/**
 * Asking for approval (5.1.4). The server checks the post again — its run is the authority — and
 * an error finding blocks unless the operator justifies it for the approver. A post made from a
 * pre-approved scope (予め範囲を決めた許可) that still fits the scope and has no error is
 * approved at once under that scope; anything else goes to the account manager.
 */
import {
  findScope,
  insertDecision,
  listImages,
  lockPost,
  type Post,
  updatePost,
} from "../../db/repos/posts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import {
  nextPostStatus,
  postStatusLabels,
  type ScopeSpec,
  scopeProblems,
  submissionBlock,
} from "../../domain/posts.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { holdOperatorSeat, recordLostSeat } from "../accounts/operator-seat.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { parse } from "../validate.ts";
import { checkPost, findingCounts, findingSummary } from "./checking.ts";
import { assertCorrects } from "./corrections.ts";
import { versionInput } from "./input.ts";
import { assertUnchanged, postFor } from "./posting.ts";
import { scopeSpec } from "./scopes.ts";

/** The outcome of a submission: approved under a scope, or waiting for the manager (and why). */
export type Submitted = {
  post: Post;
  autoApproved: boolean;
  scopeName: string | null;
  scopeProblems: string[];
};

/** Throws 422 with the block's message when errors are not justified (5.1.4, 5.2). */
export function assertNotBlocked(errorCount: number, justification: string): void {
  const block = submissionBlock({ errorCount, justification });
  if (block) throw validation(block, [{ field: "justification", message: block }]);
}

/**
 * Submits the version the operator saw for approval.
 * @param props.actor an operator of the account (post.draft)
 * @param props.input `version`, and optionally a `justification` replacing the stored one
 * @throws 409 when the post changed or is not a draft/returned post; 422 when an error finding
 *   is not justified
 */
export async function submitPost(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<Submitted> {
  const { account } = await postFor(ctx, props.actor, props.id, "post.draft");
  const input = parse(versionInput, props.input);
  return change(ctx, props.actor, "post.submit", async (tx, at) => {
    const post = await lockPost(tx, props.id);
    if (!post) throw notFound("投稿");
    await holdOperatorSeat(tx, account.id, props.actor); // 3, 4.3.2: a transfer waits, or has won
    assertUnchanged(post, { version: input.version });
    const status = nextPostStatus(post.status, "submit");
    if (!status) throw conflict(`「${postStatusLabels[post.status]}」の投稿は、承認を申請できません。`);
    // 5.3.2, 5.3.3: a correction must correct, not repeat the original under 【訂正】.
    await assertCorrects(tx, post);
    const justification = input.justification ?? post.justification;
    const images = await listImages(tx, post.id);
    const result = await checkPost(account, { ...post, imageCount: images.length }, at);
    const findings = result.findings;
    const counts = findingCounts(findings);
    assertNotBlocked(counts.errorCount, justification);

    let problems: string[] = [];
    let scopeName: string | null = null;
    let approvedBy: number | null = null;
    if (post.scopeId !== null) {
      const scope = await findScope(tx, post.scopeId);
      if (!scope) throw notFound("範囲の許可");
      scopeName = scope.name;
      const trusted = new Set(
        (result.links ?? []).filter((l) => l.category === "trusted").map((l) => l.domain),
      );
      const spec: ScopeSpec = scopeSpec(scope);
      problems = scopeProblems(
        spec,
        {
          text: post.text,
          values: scopeValuesOf(post.scopeValues),
          category: post.category,
          linkDomains: (result.links ?? []).map((l) => l.domain),
        },
        tokyoDate(at),
        (domain) => trusted.has(domain),
      );
      if (counts.errorCount > 0)
        problems.push("ガイドラインに関する指摘（エラー）があるため、自動では承認されません。");
      approvedBy = scope.createdBy;
    }
    const autoApproved = post.scopeId !== null && problems.length === 0;
    const updated = await updatePost(
      tx,
      post.id,
      {
        status: autoApproved ? "approved" : status,
        justification,
        findings,
        ...counts,
        submittedAt: at,
        ...(autoApproved
          ? { approvedAt: at, approvedBy, approvalRule: "scope", approvedVersion: post.version }
          : {}),
      },
      at,
    );
    if (autoApproved) {
      // 5.1.4 ただし書: approved in advance by the manager, under this scope.
      await insertDecision(tx, {
        postId: post.id,
        version: post.version,
        decision: "approve",
        rule: "scope",
        actorId: approvedBy,
        comment: scopeName ?? "",
        at,
      });
    }
    return {
      result: { post: updated, autoApproved, scopeName, scopeProblems: problems },
      target: { type: "post", id: post.id },
      summary: {
        version: post.version,
        status: { before: post.status, after: updated.status },
        findings: findingSummary(findings),
        ...(justification ? { justification } : {}),
        ...(post.scopeId !== null
          ? { scope: { id: post.scopeId, name: scopeName, approved: autoApproved, problems } }
          : {}),
      },
    };
  }).catch(recordLostSeat(ctx, props.actor));
}

/** A post's scope values as stored (jsonb), as strings. */
export function scopeValuesOf(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}
