/**
 * The account manager's decisions on a post (5.1.4): approve one version, return it with
 * comments, reject it, record a verbal approval (口頭) afterwards with the time it was given, and
 * acknowledge a post-hoc report (事後報告). The manager's named deputy may do the same during an
 * absence. Nobody decides on a post they wrote or edited. Two people deciding at the same moment:
 * the post row is locked and the version each saw is compared, so one wins and the other is told.
 * The author and the account's operators are told each outcome at once (decision-notices.ts).
 */
import type { AccountView } from "../../db/repos/accounts.ts";
import {
  insertDecision,
  listImages,
  listVersions,
  lockPost,
  type Post,
  type PostView,
  updatePost,
} from "../../db/repos/posts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import type { Target } from "../../domain/policy.ts";
import { nextPostStatus, type PostStatus, type PostStep, postStatusLabels } from "../../domain/posts.ts";
import { conflict, isUniqueViolation, notFound } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { allowed } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { checkPost, findingCounts, findingSummary } from "./checking.ts";
import { assertCorrects } from "./corrections.ts";
import { notifyDecision } from "./decision-notices.ts";
import { acknowledgeInput, decisionInput, verbalInput, versionInput } from "./input.ts";
import { assertUnchanged, isOwnPost, postFor, refuse } from "./posting.ts";
import { placed } from "./recorded-time.ts";
import { assertNotBlocked } from "./submit.ts";

type DecideAction = "post.approve" | "post.acknowledge";

/** Under which rule the person decides: as the account manager, or as the named deputy. */
export type DeciderRule = "manager" | "deputy";

type Decider = { post: PostView; account: AccountView; target: Target; rule: DeciderRule };

/** The post, after checking the actor may decide on it and did not write it. */
async function decider(ctx: AppContext, actor: Actor, id: number, action: DecideAction): Promise<Decider> {
  const { post, account, target } = await postFor(ctx, actor, id, action);
  const versions = await listVersions(ctx.db, post.id);
  if (
    isOwnPost(
      post,
      actor,
      versions.map((v) => v.authorId),
    )
  ) {
    throw await refuse(
      ctx,
      actor,
      action,
      { postId: post.id, reason: "own_post" },
      action === "post.acknowledge"
        ? `ご自身が作成・編集または発信した投稿の事後報告は、ご自身では確認できません。代理者など、ほかの承認者に確認を依頼してください（${clauseRef("5.1.4")}）。`
        : `ご自身が作成または編集した投稿（以前の版を含みます）は、ご自身では承認・差戻し・却下や口頭の許可の記録ができません。アカウント管理者の代理者など、ほかの承認者に依頼してください（${clauseRef("5.1.4")}）。`,
    );
  }
  const rule: DeciderRule = allowed(actor, action, { ...target, deputyOf: false }) ? "manager" : "deputy";
  return { post, account, target, rule };
}

/** The status after `step`, or a conflict saying why the post cannot take it now. */
function transition(post: Post, step: PostStep): PostStatus {
  const status = nextPostStatus(post.status, step);
  if (status) return status;
  if (
    post.status === "approved" ||
    post.status === "returned" ||
    post.status === "rejected" ||
    post.status === "published"
  ) {
    throw conflict(
      `この投稿はすでに処理されています（現在の状態: ${postStatusLabels[post.status]}）。ほかの方が先に処理した可能性があります。最新の状態を確認してください。`,
    );
  }
  throw conflict(`この投稿は承認待ちではありません（現在の状態: ${postStatusLabels[post.status]}）。`);
}

/** Runs a decision; a second approval of the same version (unique index) is a conflict too. */
async function once<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict("この版はすでにほかの方が処理しました。最新の状態を確認してください。");
    }
    throw error;
  }
}

/**
 * Approves the version the manager saw. The server checks it again; an unjustified error still
 * blocks (the approver sees the findings and the justification on the page).
 * @param props.actor the account manager, or the deputy named for today (post.approve)
 * @param props.input `version`, optional `comment`
 */
export async function approvePost(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<Post> {
  const { account, rule } = await decider(ctx, props.actor, props.id, "post.approve");
  const input = parse(versionInput, props.input);
  return once(
    change(ctx, props.actor, "post.approve", async (tx, at) => {
      const post = await lockPost(tx, props.id);
      if (!post) throw notFound("投稿");
      assertUnchanged(post, { version: input.version });
      const status = transition(post, "approve");
      await assertCorrects(tx, post);
      const images = await listImages(tx, post.id);
      const result = await checkPost(account, { ...post, imageCount: images.length }, at);
      const counts = findingCounts(result.findings);
      assertNotBlocked(counts.errorCount, post.justification);
      const updated = await updatePost(
        tx,
        post.id,
        {
          status,
          findings: result.findings,
          ...counts,
          approvedAt: at,
          approvedBy: actorId(props.actor),
          approvalRule: rule,
          approvedVersion: post.version,
        },
        at,
      );
      await insertDecision(tx, {
        postId: post.id,
        version: post.version,
        decision: "approve",
        rule,
        actorId: actorId(props.actor),
        comment: input.comment,
        at,
      });
      await notifyDecision(ctx, tx, props.actor, {
        post: updated,
        accountName: account.name,
        decision: "approve",
        comment: input.comment,
      });
      return {
        result: updated,
        target: { type: "post", id: post.id },
        summary: {
          version: post.version,
          rule,
          comment: input.comment,
          status: { before: post.status, after: status },
          findings: findingSummary(result.findings),
          ...(post.justification ? { justification: post.justification } : {}),
        },
      };
    }),
  );
}

async function returnOrReject(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
  decision: "return" | "reject",
): Promise<Post> {
  const { rule, account } = await decider(ctx, props.actor, props.id, "post.approve");
  const input = parse(decisionInput, props.input);
  return change(ctx, props.actor, decision === "return" ? "post.return" : "post.reject", async (tx, at) => {
    const post = await lockPost(tx, props.id);
    if (!post) throw notFound("投稿");
    assertUnchanged(post, { version: input.version });
    const status = transition(post, decision);
    const updated = await updatePost(tx, post.id, { status }, at);
    await insertDecision(tx, {
      postId: post.id,
      version: post.version,
      decision,
      rule,
      actorId: actorId(props.actor),
      comment: input.comment,
      at,
    });
    await notifyDecision(ctx, tx, props.actor, {
      post: updated,
      accountName: account.name,
      decision,
      comment: input.comment,
    });
    return {
      result: updated,
      target: { type: "post", id: post.id },
      summary: {
        version: post.version,
        rule,
        comment: input.comment,
        status: { before: post.status, after: status },
      },
    };
  });
}

/**
 * Returns the post to its author with comments (差戻し); they may fix it and submit again.
 * @param props.input `version`, `comment` (required)
 */
export function returnPost(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<Post> {
  return returnOrReject(ctx, props, "return");
}

/**
 * Rejects the post (却下): it will not be published.
 * @param props.input `version`, `comment` (required)
 */
export function rejectPost(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<Post> {
  return returnOrReject(ctx, props, "reject");
}

/**
 * Records afterwards that the manager approved the version verbally (口頭, 5.1.4), and when: a
 * time between the submission of that version for approval and now (the window every recorded
 * time shares, domain/time-window.ts).
 * @param props.input `version`, `givenAt`, optional `comment`
 * @throws 422 when `givenAt` lies before the submission of the version or in the future
 */
export async function recordVerbalApproval(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<Post> {
  const { rule, account } = await decider(ctx, props.actor, props.id, "post.approve");
  const input = parse(verbalInput, props.input);
  return once(
    change(ctx, props.actor, "post.approve_verbal", async (tx, at) => {
      const post = await lockPost(tx, props.id);
      if (!post) throw notFound("投稿");
      assertUnchanged(post, { version: input.version });
      const status = transition(post, "approve");
      await assertCorrects(tx, post);
      const submitted = post.submittedAt ?? post.updatedAt;
      const givenAt = placed("givenAt", "口頭で承認した日時", new Date(input.givenAt), {
        earliest: { at: submitted, what: `第${post.version}版の承認申請` },
        now: at,
      });
      const updated = await updatePost(
        tx,
        post.id,
        {
          status,
          approvedAt: givenAt,
          approvedBy: actorId(props.actor),
          approvalRule: "verbal",
          approvedVersion: post.version,
        },
        at,
      );
      await insertDecision(tx, {
        postId: post.id,
        version: post.version,
        decision: "approve",
        rule: "verbal",
        actorId: actorId(props.actor),
        comment: input.comment,
        givenAt,
        at,
      });
      await notifyDecision(ctx, tx, props.actor, {
        post: updated,
        accountName: account.name,
        decision: "verbal",
        comment: input.comment,
        givenAt,
      });
      return {
        result: updated,
        target: { type: "post", id: post.id },
        summary: { version: post.version, rule: "verbal", as: rule, givenAt, comment: input.comment },
      };
    }),
  );
}

/**
 * Acknowledges a post-hoc report (事後報告, 5.1.4 ①–④): the manager has seen what went out.
 * @param props.input optional `comment`
 * @throws 409 when it is not a post-hoc report or was acknowledged already
 */
export async function acknowledgeReport(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<Post> {
  const { rule } = await decider(ctx, props.actor, props.id, "post.acknowledge");
  const { comment } = parse(acknowledgeInput, props.input ?? {});
  return once(
    change(ctx, props.actor, "post.acknowledge", async (tx, at) => {
      const post = await lockPost(tx, props.id);
      if (!post) throw notFound("投稿");
      if (post.approvalRule !== "post_hoc" || post.reportDueAt === null) {
        throw conflict("この投稿は事後報告の対象ではありません。");
      }
      if (post.acknowledgedAt !== null) {
        throw conflict(`この事後報告は${formatDateTime(post.acknowledgedAt)}に確認済みです。`);
      }
      const updated = await updatePost(
        tx,
        post.id,
        { acknowledgedAt: at, acknowledgedBy: actorId(props.actor) },
        at,
      );
      await insertDecision(tx, {
        postId: post.id,
        version: post.version,
        decision: "acknowledge",
        rule,
        actorId: actorId(props.actor),
        comment,
        at,
      });
      return {
        result: updated,
        target: { type: "post", id: post.id },
        summary: {
          version: post.version,
          rule,
          category: post.category,
          dueAt: post.reportDueAt,
          late: at.getTime() > post.reportDueAt.getTime(),
          comment,
        },
      };
    }),
  );
}
