/**
 * Task pages: /tasks (my open tasks, my division's for an account manager, recently done ones)
 * and /tasks/:id (the task, its account and cause, and the closing form its kind needs).
 */
import { Hono } from "hono";
import { toDateTimeLocal } from "../../app/credentials/rules.ts";
import {
  completeTask,
  DONE_WINDOW_DAYS,
  getTask,
  type TaskDetail,
  taskBoard,
} from "../../app/credentials/tasks.ts";
import { myTasks } from "../../app/tasks.ts";
import { clauseRef } from "../../domain/clauses.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formAll, formBody, intParam, render, submit } from "../render.tsx";
import type { FormState } from "../views/components.tsx";
import { DateText, DateTime } from "../views/dates.tsx";
import { TaskCloseForm } from "../views/task-forms.tsx";
import { DueBadge, TaskAccount, TaskTable, WorkTable } from "../views/task-list.tsx";

async function taskPage(c: HttpContext, id: number, state?: FormState, status: 200 | 409 | 422 = 200) {
  const actor = actorOf(c);
  const detail: TaskDetail = await getTask(c.var.app, { actor, id });
  const t = detail.task;
  const defaults = {
    changedAt: toDateTimeLocal(c.var.app.clock.now()),
    changedById: String(
      detail.changers.some((p) => p.id === actor.staffId) ? actor.staffId : (detail.changers[0]?.id ?? ""),
    ),
  };
  return render(
    c,
    t.title,
    <>
      <p class="breadcrumb">
        <a href="/tasks">タスク</a> › {t.kindLabel}
      </p>
      <h1>{t.title}</h1>
      <dl class="facts">
        <dt>状態</dt>
        <dd>
          <DueBadge task={t} />
        </dd>
        <dt>種類</dt>
        <dd>{t.kindLabel}</dd>
        <dt>アカウント</dt>
        <dd>
          <TaskAccount task={t} />
        </dd>
        <dt>期限</dt>
        <dd>{t.dueDate ? <DateText date={t.dueDate} /> : "期限なし"}</dd>
        <dt>担当</dt>
        <dd>
          {t.assigneeName ? `${t.assigneeName}さん` : "未割当て（アカウント管理者の着任を待っています）"}
        </dd>
        <dt>きっかけ</dt>
        <dd>{detail.causeText ?? "—"}</dd>
        <dt>根拠</dt>
        <dd>{t.clause ? `ガイドライン${clauseRef(t.clause)}` : "—"}</dd>
        <dt>発生日時</dt>
        <dd>
          <DateTime at={t.openedAt} />
        </dd>
        {t.doneAt ? (
          <>
            <dt>完了日時</dt>
            <dd>
              <DateTime at={t.doneAt} />
              {t.doneByName ? `（${t.doneByName}さん）` : ""}
            </dd>
          </>
        ) : null}
      </dl>
      {detail.resolutionLines.length > 0 ? (
        <section aria-labelledby="resolution-title">
          <h2 id="resolution-title">記録された内容</h2>
          <ul>
            {detail.resolutionLines.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {t.status === "open" && !detail.canClose ? (
        <p>このタスクを完了にできるのは、担当者・アカウント管理者・システム管理者です。</p>
      ) : null}
      <TaskCloseForm detail={detail} csrf={csrfOf(c)} state={state} defaults={defaults} />
    </>,
    status,
  );
}

export function taskRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/tasks", async (c) => {
    const actor = actorOf(c);
    const [board, work] = await Promise.all([taskBoard(c.var.app, { actor }), myTasks(c.var.app, actor)]);
    // The dashboard's other work (posts to approve, 届出 to confirm, …): the stored tasks are above.
    const other = work.filter((t) => !/^\/tasks\/\d+$/.test(t.href));
    return render(
      c,
      "タスク",
      <>
        <h1>タスク</h1>
        <section aria-labelledby="mine-title">
          <h2 id="mine-title">あなたのタスク</h2>
          {board.mine.length === 0 ? (
            <p>あなたが担当する未完了のタスクはありません。</p>
          ) : (
            <TaskTable
              tasks={board.mine}
              caption={`あなたが担当する未完了のタスク（${board.mine.length}件）`}
            />
          )}
        </section>
        <section aria-labelledby="other-title">
          <h2 id="other-title">ほかに対応が必要なこと</h2>
          {other.length === 0 ? (
            <p>承認や確認を待っているものはありません。</p>
          ) : (
            <WorkTable tasks={other} caption={`承認・確認などを待っているもの（${other.length}件）`} />
          )}
        </section>
        {board.managesDivisions ? (
          <section aria-labelledby="division-title">
            <h2 id="division-title">所管アカウントのタスク</h2>
            <p>アカウント管理者として、課のアカウントのほかの未完了タスクも確認できます。</p>
            {board.division.length === 0 ? (
              <p>ほかに未完了のタスクはありません。</p>
            ) : (
              <TaskTable
                tasks={board.division}
                caption={`課のアカウントの未完了タスク（${board.division.length}件）`}
              />
            )}
          </section>
        ) : null}
        <section aria-labelledby="done-title">
          <h2 id="done-title">完了したタスク</h2>
          <details>
            <summary>{`過去${DONE_WINDOW_DAYS}日間に完了したタスク（${board.done.length}件）を表示`}</summary>
            {board.done.length === 0 ? (
              <p>完了したタスクはありません。</p>
            ) : (
              <TaskTable tasks={board.done} caption="完了したタスク" done />
            )}
          </details>
        </section>
      </>,
    );
  });

  r.get("/tasks/:id", (c) => taskPage(c, intParam(c.req.param("id"))));

  r.post("/tasks/:id/close", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const lists = { operatorIds: await formAll(c, "operatorIds"), holderIds: await formAll(c, "holderIds") };
    const input = { ...values, ...lists };
    const result = await submit(values, () => completeTask(c.var.app, { actor: actorOf(c), id, input }));
    if (!result.ok) {
      const state = {
        ...result.state,
        values: { ...values, operatorIds: lists.operatorIds.join(","), holderIds: lists.holderIds.join(",") },
      };
      return taskPage(c, id, state, result.status);
    }
    const others = result.result.closedTaskIds.filter((x) => x !== id).length;
    return done(
      c,
      `/tasks/${id}`,
      others > 0
        ? `タスクを完了にしました。同じパスワード変更で、このアカウントのほかのタスク${others}件も完了にしました。`
        : "タスクを完了にしました。",
    );
  });

  return r;
}
