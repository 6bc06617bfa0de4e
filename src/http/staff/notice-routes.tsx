/**
 * Staff pages for changes and closures of official accounts (4.5): the account's 変更・廃止 tab
 * (its notices with their steps as a checklist and the form for the next step) and the list of
 * every notice the person may see (the policy director sees all, 4.5.1).
 */
import { Hono } from "hono";
import { visibleNotice } from "../../app/notices/access.ts";
import { accountNotices, listNoticesFor } from "../../app/notices/read.ts";
import { requestNotice } from "../../app/notices/request.ts";
import {
  cancelNotice,
  notifyPolicyDirector,
  recordSecurityNotification,
  scheduleAnnouncement,
} from "../../app/notices/steps.ts";
import { accountStatusLabels } from "../../domain/accounts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { earliestEffectiveDate } from "../../domain/deadlines.ts";
import {
  isNoticeStatus,
  noticeKindLabels,
  noticeStatuses,
  noticeStatusLabels,
} from "../../domain/notices.ts";
import { guidelinePack, platformLabel, platforms } from "../../guideline/pack.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import { AccountHeader } from "../views/account-tabs.tsx";
import { type FormState, SelectField } from "../views/components.tsx";
import { type NoticeForms, NoticeSection, NoticeTable, RequestForm } from "../views/notice-views.tsx";

type Status = 200 | 409 | 422;

/** The account's 変更・廃止 tab, with the state of a form that failed, if any. */
async function accountPage(
  c: HttpContext,
  accountId: number,
  forms: NoticeForms & { request?: FormState } = {},
  status: Status = 200,
) {
  const actor = actorOf(c);
  const draft = forms.schedule
    ? { noticeId: forms.schedule.noticeId, text: forms.schedule.state.values.announcementText ?? "" }
    : undefined;
  const page = await accountNotices(c.var.app, { actor, accountId, draft });
  const { account, entries, today } = page;
  const months = guidelinePack().deadlines.noticeMinMonths;
  const csrf = csrfOf(c);
  const open = entries.filter((e) => e.notice.status !== "effective" && e.notice.status !== "cancelled");
  const past = entries.filter((e) => !open.includes(e));
  const securityFormFor = entries.find((e) => e.security?.status === "open")?.notice.id;
  const section = (entry: (typeof entries)[number]) => (
    <NoticeSection
      entry={entry}
      canManage={page.canManage}
      csrf={csrf}
      today={today}
      months={months}
      forms={forms}
      showSecurityForm={entry.notice.id === securityFormFor}
    />
  );
  return render(
    c,
    `変更・廃止: ${account.name}`,
    <>
      <AccountHeader
        account={{
          id: account.id,
          name: account.name,
          platform: account.platform,
          divisionName: account.divisionName,
          statusLabel: accountStatusLabels[account.status],
        }}
        current="/notices"
        title="変更・廃止"
      />
      <p>
        アカウントの変更や廃止は、周知する前に総合政策部長へ届け出て（{clauseRef("4.5.1")}
        ）、変更日・廃止日の一月以上前に、このアカウントと市ホームページで周知します（{clauseRef("4.5.2")}
        ）。周知した後は、速やかに情報統括管理者へ届け出ます（{clauseRef("4.5.1")}
        ）。周知と変更・廃止は、それぞれの日になると自動で行われます。
      </p>
      {open.length === 0 && page.requestable.length === 0 ? (
        <p>現在、手続き中の変更・廃止はありません。</p>
      ) : null}
      {open.map(section)}
      {page.requestable.length > 0 ? (
        <RequestForm
          accountId={account.id}
          kinds={page.requestable}
          csrf={csrf}
          earliest={earliestEffectiveDate(today, months)}
          platformOptions={platforms.map((p) => ({ value: p, label: platformLabel(p) }))}
          state={forms.request}
        />
      ) : null}
      {past.length > 0 ? (
        <section aria-labelledby="past-title">
          <h2 id="past-title">これまでの届出</h2>
          {past.map(section)}
        </section>
      ) : null}
    </>,
    status,
  );
}

/** The notice's account (404 when the person may not see the notice). */
async function noticeAccount(c: HttpContext, id: number): Promise<number> {
  return (await visibleNotice(c.var.app, actorOf(c), id)).accountId;
}

const noticeHref = (accountId: number, noticeId: number) =>
  `/accounts/${accountId}/notices#notice-${noticeId}`;

export function noticeRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/accounts/:id/notices", (c) => accountPage(c, intParam(c.req.param("id"))));

  r.post("/accounts/:id/notices", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      requestNotice(c.var.app, { actor: actorOf(c), accountId, input: values }),
    );
    if (!result.ok) return accountPage(c, accountId, { request: result.state }, result.status);
    const n = result.result;
    return done(
      c,
      noticeHref(accountId, n.id),
      `${noticeKindLabels[n.kind]}を申請しました。総合政策部長へ届け出たら、「届け出たことを記録する」を押してください。`,
    );
  });

  r.post("/notices/:id/notify-policy-director", async (c) => {
    const id = intParam(c.req.param("id"));
    const accountId = await noticeAccount(c, id);
    const result = await submit({}, () =>
      notifyPolicyDirector(c.var.app, { actor: actorOf(c), noticeId: id }),
    );
    if (!result.ok)
      return accountPage(c, accountId, { action: { noticeId: id, state: result.state } }, result.status);
    return done(
      c,
      noticeHref(accountId, id),
      "総合政策部長への届出を記録しました。次に周知日を設定してください。",
    );
  });

  r.post("/notices/:id/schedule", async (c) => {
    const id = intParam(c.req.param("id"));
    const accountId = await noticeAccount(c, id);
    const values = await formBody(c);
    const result = await submit(values, () =>
      scheduleAnnouncement(c.var.app, { actor: actorOf(c), noticeId: id, input: values }),
    );
    if (!result.ok)
      return accountPage(c, accountId, { schedule: { noticeId: id, state: result.state } }, result.status);
    return done(
      c,
      noticeHref(accountId, id),
      "周知日を設定しました。周知日になると、公開ページへの掲載とアカウントの状態の変更が自動で行われます。",
    );
  });

  r.post("/notices/:id/security-notification", async (c) => {
    const id = intParam(c.req.param("id"));
    const accountId = await noticeAccount(c, id);
    const values = await formBody(c);
    const result = await submit(values, () =>
      recordSecurityNotification(c.var.app, { actor: actorOf(c), noticeId: id, input: values }),
    );
    if (!result.ok)
      return accountPage(c, accountId, { security: { noticeId: id, state: result.state } }, result.status);
    return done(c, noticeHref(accountId, id), "情報統括管理者への届出を記録しました。");
  });

  r.post("/notices/:id/cancel", async (c) => {
    const id = intParam(c.req.param("id"));
    const accountId = await noticeAccount(c, id);
    const result = await submit({}, () => cancelNotice(c.var.app, { actor: actorOf(c), noticeId: id }));
    if (!result.ok)
      return accountPage(c, accountId, { action: { noticeId: id, state: result.state } }, result.status);
    return done(c, noticeHref(accountId, id), "届出を取り消しました。");
  });

  r.get("/notices/:id", async (c) => {
    const id = intParam(c.req.param("id"));
    return c.redirect(noticeHref(await noticeAccount(c, id), id), 303);
  });

  r.get("/notices", async (c) => {
    const actor = actorOf(c);
    const raw = c.req.query("status") ?? "";
    const status = isNoticeStatus(raw) ? raw : undefined;
    const open = raw === "open";
    const notices = await listNoticesFor(c.var.app, {
      actor,
      statuses: status ? [status] : open ? ["requested", "notified", "scheduled", "announced"] : undefined,
    });
    return render(
      c,
      "変更・廃止の届出",
      <>
        <h1>変更・廃止の届出</h1>
        <p>
          公式アカウントの変更・廃止の届出の一覧です。周知の前に総合政策部長へ届け出ること（
          {clauseRef("4.5.1")}
          ）、変更日・廃止日の一月以上前に周知すること（{clauseRef("4.5.2")}）を、届出ごとに確認できます。
        </p>
        <form method="get" action="/notices" class="filters" aria-label="届出の絞り込み">
          <SelectField
            name="status"
            label="状態"
            options={[
              { value: "open", label: "手続き中のすべて" },
              ...noticeStatuses.map((s) => ({ value: s, label: noticeStatusLabels[s] })),
            ]}
            blank="すべて"
            value={raw}
          />
          <button type="submit">絞り込む</button>
        </form>
        {notices.length === 0 ? (
          <p>該当する届出はありません。</p>
        ) : (
          <NoticeTable notices={notices} caption={`変更・廃止の届出（${notices.length}件）`} />
        )}
      </>,
    );
  });

  return r;
}
