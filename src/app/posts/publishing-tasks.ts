/**
 * The tasks of the publishing part: at a post's schedule time its author is reminded to publish
 * it (a `publish_reminder` row of `tasks`, opened once per schedule time even when several
 * instances run the job), and open tasks that the record has made moot are closed — a reminder
 * whose post went out, changed or was rescheduled, a correction task (5.3.2) whose correction
 * has been published. The system does not post to the platforms itself: when a publishing
 * connector exists, it will post at the schedule time; until then people post and record it.
 */
import type { Db } from "../../db/client.ts";
import { findAccount } from "../../db/repos/accounts.ts";
import {
  claimPostForReminder,
  lockOpenPostTasks,
  lockOpenTask,
  POST_CORRECTION,
  PUBLISH_REMINDER,
  postsDueForReminder,
  settledPostTasks,
} from "../../db/repos/publishing.ts";
import { closeTask, openTask } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { reminderTitle } from "./publishing-rules.ts";

/** Posts looked at per round, and rounds per run (a backlog clears over the next runs). */
const BATCH = 100;
const MAX_ROUNDS = 50;

/** Thrown inside a transaction when there is nothing left to do (another instance did it). */
class NothingToDo extends Error {}

/**
 * Closes the open tasks of `kind` opened for the post, in the caller's transaction; returns
 * their ids.
 */
export async function closePostTasks(
  tx: Db,
  props: {
    kind: string;
    postId: number;
    status: "done" | "cancelled";
    doneBy: number | null;
    at: Date;
    resolution: Record<string, unknown>;
  },
): Promise<number[]> {
  const open = await lockOpenPostTasks(tx, props.kind, props.postId);
  for (const task of open) {
    await closeTask(tx, task.id, {
      status: props.status,
      doneBy: props.doneBy,
      doneAt: props.at,
      resolution: props.resolution,
    });
  }
  return open.map((t) => t.id);
}

/** Opens the reminder of one due post, unless another instance has (or did). */
async function remindOne(ctx: AppContext, actor: Actor, postId: number): Promise<boolean> {
  try {
    await change(ctx, actor, "post.publish_reminder", async (tx, at) => {
      const post = await claimPostForReminder(tx, postId, at);
      if (!post?.scheduledAt) throw new NothingToDo();
      const account = await findAccount(tx, post.accountId);
      const task = await openTask(tx, {
        kind: PUBLISH_REMINDER,
        accountId: post.accountId,
        assigneeId: post.authorId,
        title: reminderTitle(account?.name ?? `アカウント#${post.accountId}`),
        clause: "",
        dueDate: tokyoDate(post.scheduledAt),
        cause: { postId: post.id, scheduledAt: post.scheduledAt.toISOString() },
        openedAt: at,
      });
      return {
        result: task.id,
        target: { type: "post", id: post.id },
        summary: { taskId: task.id, assigneeId: post.authorId, scheduledAt: post.scheduledAt.toISOString() },
      };
    });
    return true;
  } catch (error) {
    if (error instanceof NothingToDo) return false;
    throw error;
  }
}

/**
 * Opens a reminder for every approved post whose schedule time has come (once per post and
 * schedule time). Returns how many were opened. Safe with several instances: each post is
 * claimed with FOR UPDATE SKIP LOCKED and checked again inside its own transaction.
 */
export async function remindScheduledPosts(ctx: AppContext, actor: Actor): Promise<number> {
  let opened = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const due = await postsDueForReminder(ctx.db, ctx.clock.now(), BATCH);
    let progressed = 0;
    for (const id of due) {
      try {
        if (await remindOne(ctx, actor, id)) progressed++;
      } catch (error) {
        ctx.log.error("publish reminder failed", { postId: id, error });
      }
    }
    opened += progressed;
    if (due.length < BATCH || progressed === 0) break;
  }
  return opened;
}

/**
 * Closes open tasks the record has made moot (a post published by the post-hoc route, an
 * approved post sent back by an edit, a correction published elsewhere). Returns how many.
 */
export async function settlePostTasks(ctx: AppContext, actor: Actor): Promise<number> {
  const moot = await settledPostTasks(ctx.db);
  let closed = 0;
  for (const item of moot) {
    const done =
      item.kind === POST_CORRECTION ||
      (item.kind === PUBLISH_REMINDER && (item.postStatus === "published" || item.postStatus === "deleted"));
    try {
      await change(ctx, actor, "task.settle", async (tx, at) => {
        const task = await lockOpenTask(tx, item.taskId);
        if (!task) throw new NothingToDo();
        const resolution = { reason: done ? "post_recorded" : "post_changed", postStatus: item.postStatus };
        await closeTask(tx, task.id, {
          status: done ? "done" : "cancelled",
          doneBy: null,
          doneAt: at,
          resolution,
        });
        return {
          result: null,
          target: { type: "task", id: task.id },
          summary: {
            kind: task.kind,
            postId: item.postId,
            status: done ? "done" : "cancelled",
            ...resolution,
          },
        };
      });
      closed++;
    } catch (error) {
      if (!(error instanceof NothingToDo))
        ctx.log.error("settling a post task failed", { taskId: item.taskId, error });
    }
  }
  return closed;
}
