/**
 * The notices feature's plug-in points (see app/feature.ts): the periodic job that announces
 * changes and closures on their announcement date and applies them on their effective date
 * (4.5.2), and the steps it reminds account managers of — send the 届出 to the policy director
 * (4.5.1), schedule the announcement in time once it is confirmed (4.5.2). The task to send the
 * 届出 to the security director after the announcement (4.5.1), the directors' confirmations and
 * the task to keep a change notice on the account (4.5.2) are rows of `tasks`, listed with the others.
 * Its demo records put a change and a closure in their public window.
 */
import { listFilings } from "../../db/repos/filings.ts";
import { listNotices } from "../../db/repos/notices.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { latestAnnouncementDate } from "../../domain/deadlines.ts";
import { noticeKindLabels } from "../../domain/notices.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { type AppContext, type StaffActor, systemActor } from "../context.ts";
import type { Feature, Task } from "../feature.ts";
import { demoNotices } from "./demo.ts";
import { advanceDueNotices } from "./job.ts";

/** How often the job looks for notices whose day has come. */
const everyMs = 5 * 60_000;

async function noticeTasks(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const today = tokyoDate(ctx.clock.now());
  // The task to notify the security director is a row of `tasks`; the credentials feature lists
  // every open task of a person. Here: the steps of a notice that are not rows of `tasks`.
  const out: Task[] = [];
  const divisions = actor.grants.flatMap((g) =>
    g.role === "account_manager" && g.scope.type === "division" ? [g.scope.id] : [],
  );
  if (divisions.length === 0) return out;
  const waiting = await listNotices(ctx.db, {
    statuses: ["requested", "notified"],
    visible: { divisionIds: divisions, departmentIds: [] },
  });
  const months = guidelinePack().deadlines.noticeMinMonths;
  const filings = await listFilings(ctx.db, {
    noticeIds: waiting.map((n) => n.id),
    kinds: ["notice_policy"],
  });
  for (const n of waiting) {
    // Sent and waiting for the policy director, or questioned (the answer task is a row of tasks).
    const latest = filings.find((f) => f.noticeId === n.id);
    if (n.status === "requested" && latest && latest.status !== "withdrawn" && latest.status !== "superseded")
      continue;
    // 4.5.2: the announcement must start by this date for the effective date to hold.
    const due = latestAnnouncementDate(n.effectiveDate, months);
    const what = `「${n.accountName}」の${noticeKindLabels[n.kind]}`;
    out.push(
      n.status === "requested"
        ? {
            kind: "notice_notify_policy_director",
            title: `${what}を総合政策部長へ届け出る`,
            href: `/accounts/${n.accountId}/notices`,
            due,
            overdue: due < today,
            clause: "4.5.1",
          }
        : {
            kind: "notice_schedule",
            title: `${what}の周知日を設定する`,
            href: `/accounts/${n.accountId}/notices`,
            due,
            overdue: due < today,
            clause: "4.5.2",
          },
    );
  }
  return out;
}

export const noticesFeature: Feature = {
  name: "notices",
  tasks: noticeTasks,
  demo: demoNotices,
  periodic: [
    {
      name: "announce and apply account changes and closures",
      everyMs,
      run: async (ctx) => {
        const taken = await advanceDueNotices(ctx, systemActor("scheduler"));
        if (taken > 0) ctx.log.info("notice steps taken", { taken });
      },
    },
  ],
};
