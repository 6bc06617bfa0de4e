/**
 * The dashboard: who I am, which guideline roles I hold and where, my tasks, and the accounts I
 * look after at a glance (every account for the overseers); for an administrator, the first-day
 * setup checklist until everything on it is done.
 */
import { Hono } from "hono";
import { accountHealth } from "../../app/accounts/health.ts";
import { allowed } from "../../app/authorize.ts";
import { acknowledgementStatus } from "../../app/guideline/acknowledgement.ts";
import { openIncidentsFor } from "../../app/incidents/read.ts";
import { forOneRequest } from "../../app/read-once.ts";
import { recordBackupByHand, setupChecklist } from "../../app/setup-checklist.ts";
import { myTasks } from "../../app/tasks.ts";
import { findStaffView } from "../../db/repos/staff.ts";
import type { AppEnv } from "../env.ts";
import { orgNames } from "../org-names.ts";
import { actorOf, csrfOf, done, render } from "../render.tsx";
import { AccountHealthTable } from "../views/account-health.tsx";
import { AcknowledgementTable } from "../views/guideline-views.tsx";
import { OpenIncidents } from "../views/incident-views.tsx";
import { RoleList } from "../views/roles.tsx";
import { SetupChecklist } from "../views/setup-checklist.tsx";
import { WorkTable } from "../views/task-list.tsx";

export function dashboardRoutes() {
  const r = new Hono<AppEnv>();
  r.get("/", async (c) => {
    const actor = actorOf(c);
    // One page, several use cases: their repeated pure reads are made once (app/read-once.ts).
    const ctx = forOneRequest(c.var.app);
    const [person, names, tasks, health, guideline, setup] = await Promise.all([
      findStaffView(ctx.db, actor.staffId),
      orgNames(ctx, c.var.session?.staffDirectoryVersion ?? null),
      myTasks(ctx, actor),
      accountHealth(ctx, { actor }),
      allowed(actor, "guideline.ack_status") ? acknowledgementStatus(ctx, { actor }) : Promise.resolve(null),
      setupChecklist(ctx, { actor }),
    ]);
    // 7: open incidents come first.
    const incidents = await openIncidentsFor(ctx, { actor });
    const overseer = allowed(actor, "account.read_all");
    return render(
      c,
      "ダッシュボード",
      <>
        <h1>ダッシュボード</h1>
        <p>
          {actor.name} さん（{person?.departmentName}
          {person?.divisionName ? ` ${person.divisionName}` : ""} {person?.positionName}）
        </p>
        {setup ? <SetupChecklist items={setup} csrf={csrfOf(c)} /> : null}
        <OpenIncidents rows={incidents.rows} total={incidents.total} />
        <section aria-labelledby="tasks-title">
          <h2 id="tasks-title">あなたのタスク</h2>
          {tasks.length === 0 ? <p>現在、対応が必要なタスクはありません。</p> : <WorkTable tasks={tasks} />}
        </section>
        <section aria-labelledby="health-title">
          <h2 id="health-title">{overseer ? "公式アカウントの状況" : "担当アカウントの状況"}</h2>
          <AccountHealthTable
            rows={health}
            caption={
              overseer
                ? "すべての公式アカウント（承認済み・運用中）"
                : "あなたが管理または運用する公式アカウント"
            }
          />
        </section>
        {guideline ? (
          <section aria-labelledby="guideline-title">
            <h2 id="guideline-title">ガイドラインの確認状況（第8-2）</h2>
            <AcknowledgementTable
              rates={guideline}
              caption={`${guideline.version.label}の部ごとの確認率（全体 ${guideline.percent}%）`}
            />
            <p>
              <a href="/guideline/acknowledgements">まだ確認していない職員を見る</a>
            </p>
          </section>
        ) : null}
        <section aria-labelledby="roles-title">
          <h2 id="roles-title">あなたの役割</h2>
          <RoleList grants={actor.grants} names={names} />
        </section>
      </>,
    );
  });
  // The backup of an external PostgreSQL server cannot be seen from here: recorded by hand.
  r.post("/setup/backup-recorded", async (c) => {
    await recordBackupByHand(c.var.app, { actor: actorOf(c) });
    return done(c, "/", "バックアップを取ったことを記録しました。");
  });
  return r;
}
