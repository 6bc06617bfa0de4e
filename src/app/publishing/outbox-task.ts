/**
 * The task the post's author gets when sending one outbox row needs a person: a send that failed,
 * or a LINE narrowcast that LINE has not delivered a day after accepting it. The task names the
 * post and the outbox row, and carries the reason in Japanese.
 */
import type { Db } from "../../db/client.ts";
import type { OutboxRow } from "../../db/repos/platform-publishing.ts";
import type { Post } from "../../db/repos/posts.ts";
import { openTask } from "../../db/repos/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";

/** Opens the task (due today, Tokyo time) in the caller's transaction. */
export function openOutboxTask(
  tx: Db,
  props: { row: OutboxRow; post: Post; kind: string; title: string; reason: string; at: Date },
) {
  const { row, post, at } = props;
  return openTask(tx, {
    kind: props.kind,
    accountId: post.accountId,
    assigneeId: post.authorId,
    title: props.title,
    clause: "",
    dueDate: tokyoDate(at),
    cause: { postId: post.id, outboxId: row.id, reason: props.reason },
    openedAt: at,
  });
}
