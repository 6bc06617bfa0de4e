/**
 * The posts part of posts: its plug-in points (see app/feature.ts). Its tasks on the dashboard:
 * for the account manager (and the deputy named for today), the posts waiting for approval and
 * the post-hoc reports to acknowledge, due within the pack's business days and overdue once past
 * (5.1.4); for an author, the posts returned to them and the approved posts without a schedule
 * time that have not been published yet (承認済み・未発信). And the demo posts.
 */
import { pendingInDivisions, postsByAuthor, unacknowledgedReports } from "../../db/repos/post-queues.ts";
import { formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { postCategoryShort, postExcerpt } from "../../domain/posts.ts";
import { platformLabel } from "../../guideline/pack.ts";
import type { AppContext, StaffActor } from "../context.ts";
import type { Feature, Task } from "../feature.ts";
import { demoPosts } from "./demo.ts";
import { decidingDivisions, notWrittenBy } from "./read.ts";

/** The account with its service: one text sent to 「いわき市」 on X and on Facebook is two tasks. */
function accountOf(p: { accountName: string; platform: string }): string {
  return `${p.accountName}（${platformLabel(p.platform)}）`;
}

/** The Tokyo date of a due instant that ends a day (24:00 is the end of the day before). */
function dueDay(at: Date): string {
  return tokyoDate(new Date(at.getTime() - 1));
}

async function postTasks(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const divisions = await decidingDivisions(ctx, actor);
  const now = ctx.clock.now();
  const [waiting, reports, mine] = await Promise.all([
    pendingInDivisions(ctx.db, divisions),
    unacknowledgedReports(ctx.db, divisions),
    postsByAuthor(ctx.db, actor.staffId, { statuses: ["returned", "approved"] }),
  ]);
  const returned = mine.filter((p) => p.status === "returned");
  // 5.1.4: not the posts they wrote or edited, nor the reports they made.
  const approvals: Task[] = (await notWrittenBy(ctx, actor, waiting)).map((p) => ({
    kind: "post_approval",
    title: `投稿の承認「${postExcerpt(p.text, 20)}」（${accountOf(p)}・${p.authorName}さん作成・第${p.version}版）`,
    href: `/posts/${p.id}`,
    due: null,
    overdue: false,
    clause: "5.1.4",
  }));
  const acknowledgements: Task[] = (await notWrittenBy(ctx, actor, reports)).map((p) => ({
    kind: "post_report",
    title: `事後報告の確認「${postExcerpt(p.text, 20)}」（${accountOf(p)}・${postCategoryShort[p.category]}・${p.authorName}さん発信）`,
    href: `/posts/${p.id}`,
    due: p.reportDueAt ? dueDay(p.reportDueAt) : null,
    overdue: p.reportDueAt !== null && p.reportDueAt.getTime() < now.getTime(),
    clause: "5.1.4",
  }));
  const fixes: Task[] = returned.map((p) => ({
    kind: "post_returned",
    title: `差し戻された投稿の修正「${postExcerpt(p.text, 20)}」（${p.accountName}）`,
    href: `/posts/${p.id}`,
    due: null,
    overdue: false,
    clause: "5.1.4",
  }));
  // Approved without a schedule time: nothing reminds the author at a time, so the post stays on
  // their list until it is published (or sent back by an edit). Scheduled ones get a reminder
  // task at their time (publishing-tasks.ts).
  const unpublished: Task[] = mine
    .filter((p) => p.status === "approved" && p.scheduledAt === null)
    .map((p) => ({
      kind: "post_approved_unpublished",
      title: `承認済み・未発信: 発信して記録してください「${postExcerpt(p.text, 20)}」（${p.accountName}・${p.approvedAt ? `${formatDateTime(p.approvedAt)}承認` : "承認済み"}）`,
      href: `/posts/${p.id}/publish`,
      due: null,
      overdue: false,
      clause: "5.1.4",
    }));
  return [...acknowledgements, ...approvals, ...fixes, ...unpublished];
}

export const postsFeature: Feature = { name: "posts", tasks: postTasks, demo: demoPosts };
