/**
 * Telling the author the outcome (5.1.4): when the account manager (or the deputy) approves a
 * post, records a verbal approval, returns or rejects it, its author and the account's operators
 * — who publish it and record the publication — are notified at once, in the app and by e-mail as
 * each of them chose for 「申請・投稿の結果」 (notifications/kinds.ts). Written in the decision's
 * own transaction, so a decision that does not commit tells nobody.
 */
import type { Db } from "../../db/client.ts";
import { listOperators } from "../../db/repos/accounts.ts";
import type { Post } from "../../db/repos/posts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { postExcerpt } from "../../domain/posts.ts";
import type { Actor, AppContext } from "../context.ts";
import { notify } from "../notifications/notify.ts";

/** A decision on a post, as the notification tells it. */
export type DecisionNotice = {
  post: Post;
  accountName: string;
  decision: "approve" | "verbal" | "return" | "reject";
  comment: string;
  /** For a verbal approval: when it was given. */
  givenAt?: Date;
};

function actorName(actor: Actor): string {
  return actor.kind === "staff" ? `${actor.name}さん` : "システム";
}

function titleOf(n: DecisionNotice): string {
  const what = `（${n.accountName}・第${n.post.version}版）`;
  switch (n.decision) {
    case "approve":
    case "verbal":
      return `投稿が承認されました${what}`;
    case "return":
      return `投稿が差し戻されました${what}`;
    case "reject":
      return `投稿が却下されました${what}`;
  }
}

function bodyOf(actor: Actor, n: DecisionNotice): string {
  return `「${postExcerpt(n.post.text)}」\n${outcomeOf(actor, n)}`;
}

function outcomeOf(actor: Actor, n: DecisionNotice): string {
  const by = actorName(actor);
  const comment = n.comment ? `\nコメント: ${n.comment}` : "";
  switch (n.decision) {
    case "approve":
    case "verbal": {
      const how =
        n.decision === "verbal" && n.givenAt
          ? `${by}が口頭での許可（${formatDateTime(n.givenAt)}）を記録しました（${clauseRef("5.1.4")}）。`
          : `${by}が承認しました（${clauseRef("5.1.4")}）。`;
      const next = n.post.scheduledAt
        ? `予約日時（${formatDateTime(n.post.scheduledAt)}）になると、発信のタスクが届きます。`
        : "予約日時がないため、発信して記録するまで「承認済み・未発信」のタスクとして表示されます。";
      return `${how}${next}プラットフォームで発信したら、投稿のURLと日時を記録してください。${comment}`;
    }
    case "return":
      return `${by}が差し戻しました。コメントを確認して内容を修正し、あらためて承認を申請してください。${comment}`;
    case "reject":
      return `${by}が却下しました。この投稿は発信できません。${comment}`;
  }
}

/**
 * Notifies the post's author and the account's operators (not the person deciding) of a decision,
 * in the caller's transaction; returns the notification ids.
 */
export async function notifyDecision(
  ctx: AppContext,
  tx: Db,
  actor: Actor,
  notice: DecisionNotice,
): Promise<number[]> {
  const { post } = notice;
  const operators = await listOperators(tx, post.accountId);
  const self = actor.kind === "staff" ? actor.staffId : null;
  const recipientIds = [post.authorId, ...operators.map((o) => o.staffId)].filter((id) => id !== self);
  const step = notice.decision === "verbal" ? "approve" : notice.decision;
  return notify(ctx, tx, {
    recipientIds,
    kind: "decision",
    title: titleOf(notice),
    body: bodyOf(actor, notice),
    href: `/posts/${post.id}`,
    dedupeKey: `post:${post.id}:v${post.version}:${step}`,
  });
}
