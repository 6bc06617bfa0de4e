/**
 * A table of tasks (the /tasks board): the task, its account, due date with a red 期限超過 badge
 * when overdue, the assignee, and the clause it comes from.
 */
import type { FC } from "hono/jsx";
import type { TaskItem } from "../../app/credentials/tasks.ts";
import type { Task } from "../../app/feature.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge } from "./components.tsx";
import { DateText, DateTime } from "./dates.tsx";

/** The due date with its state, in words. */
export const DueBadge: FC<{ task: TaskItem }> = ({ task }) => {
  if (task.status === "done") return <Badge tone="ok">完了</Badge>;
  if (task.status === "cancelled") return <Badge tone="muted">取消</Badge>;
  return task.overdue ? <Badge tone="error">期限超過</Badge> : <Badge tone="warn">未完了</Badge>;
};

/** The account a task belongs to, linked. */
export const TaskAccount: FC<{ task: TaskItem }> = ({ task }) =>
  task.accountId === null || task.accountName === null ? (
    <>—</>
  ) : (
    <>
      <a href={`/accounts/${task.accountId}`}>{task.accountName}</a>
      <br />
      <span class="hint">
        {task.accountPlatform ? platformLabel(task.accountPlatform) : ""}・{task.accountDivisionName}
      </span>
    </>
  );

export const TaskTable: FC<{ tasks: TaskItem[]; caption: string; done?: boolean }> = ({
  tasks,
  caption,
  done,
}) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">タスク</th>
          <th scope="col">アカウント</th>
          <th scope="col">{done ? "完了日時" : "期限"}</th>
          <th scope="col">担当</th>
          <th scope="col">根拠</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr>
            <td>
              <a href={`/tasks/${t.id}`}>{t.title}</a>
              <br />
              <span class="hint">{t.kindLabel}</span>
            </td>
            <td>
              <TaskAccount task={t} />
            </td>
            <td>
              {done ? (
                <>
                  {t.doneAt ? <DateTime at={t.doneAt} /> : "—"}
                  {t.doneByName ? `（${t.doneByName}さん）` : ""}
                </>
              ) : (
                <>
                  {t.dueDate ? <DateText date={t.dueDate} /> : "期限なし"} <DueBadge task={t} />
                </>
              )}
            </td>
            <td>{t.assigneeName ?? "未割当て"}</td>
            <td>{t.clause ? clauseRef(t.clause) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** What is waiting for someone, from every feature (dashboard, /tasks): each links to where it is done. */
export const WorkTable: FC<{ tasks: readonly Task[]; caption?: string }> = ({ tasks, caption }) => (
  <div class="table-wrap">
    <table>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">タスク</th>
          <th scope="col">期限</th>
          <th scope="col">根拠</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr>
            <td>
              <a href={t.href}>{t.title}</a>
            </td>
            <td>
              {t.due ? <DateText date={t.due} /> : "—"}{" "}
              {t.overdue ? <Badge tone="error">期限超過</Badge> : null}
            </td>
            <td>{t.clause ? clauseRef(t.clause) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
