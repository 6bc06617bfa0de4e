/**
 * Staff pages for changes and closures of official accounts (4.5): the account's 変更・廃止 tab
 * (its notices with their steps as a checklist and the form for the next step) and the list of
 * every notice the person may see (the policy director sees all, 4.5.1).
 */
import { Hono } from "hono";
import { accountTarget } from "../../app/accounts/read.ts";
import { mayRecordDocument, recordDocument } from "../../app/documents/record.ts";
import { visibleNotice } from "../../app/notices/access.ts";
import { fileWithPolicyDirector, fileWithSecurityDirector } from "../../app/notices/filings.ts";
import { accountNotices, listNoticesFor, noticeDetail } from "../../app/notices/read.ts";
import { requestNotice } from "../../app/notices/request.ts";
import { endKeepPosted } from "../../app/notices/sns.ts";
import { cancelNotice, scheduleAnnouncement } from "../../app/notices/steps.ts";
import { documentVersions } from "../../db/repos/documents.ts";
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
import { DocumentNumberPanel } from "../views/document-views.tsx";
import { NoticeDocumentView } from "../views/notice-document.tsx";
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
  const section = (entry: (typeof entries)[number]) => (
    <NoticeSection
      entry={entry}
      canManage={page.canManage}
      canDraftPost={page.canDraftPost}
      csrf={csrf}
      today={today}
      months={months}
      forms={forms}
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
        アカウントの変更や廃止は、周知する前に総合政策部長へ届け出て確認を受け（{clauseRef("4.5.1")}
        ）、変更日・廃止日の一月以上前に、このアカウントと市ホームページで周知します（{clauseRef("4.5.2")}
        ）。周知した後は、速やかに情報統括管理者へ届け出ます（{clauseRef("4.5.1")}
        ）。市ホームページへの掲載と変更・廃止の反映は、それぞれの日になると自動で行われます。変更後は、ホームページとアカウントの両方に1年程度お知らせを掲載し続けます。
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
      `${noticeKindLabels[n.kind]}を申請しました。次に、総合政策部長へ届け出てください。`,
    );
  });

  r.post("/notices/:id/notify-policy-director", async (c) => {
    const id = intParam(c.req.param("id"));
    const accountId = await noticeAccount(c, id);
    const values = await formBody(c);
    const result = await submit(values, () =>
      fileWithPolicyDirector(c.var.app, { actor: actorOf(c), noticeId: id, input: values }),
    );
    if (!result.ok)
      return accountPage(c, accountId, { policy: { noticeId: id, state: result.state } }, result.status);
    return done(
      c,
      noticeHref(accountId, id),
      "総合政策部長へ届出を送りました。総合政策部長が確認すると、周知日を設定できます。",
    );
  });

  r.post("/notices/:id/keep-done", async (c) => {
    const id = intParam(c.req.param("id"));
    const accountId = await noticeAccount(c, id);
    const values = await formBody(c);
    const result = await submit(values, () =>
      endKeepPosted(c.var.app, { actor: actorOf(c), noticeId: id, input: values }),
    );
    if (!result.ok)
      return accountPage(c, accountId, { keep: { noticeId: id, state: result.state } }, result.status);
    return done(c, noticeHref(accountId, id), "変更のお知らせの掲載を終了したことを記録しました。");
  });

  const documentPage = async (c: HttpContext, state?: FormState, status: 200 | 409 | 422 = 200) => {
    const id = intParam(c.req.param("id"));
    const actor = actorOf(c);
    const detail = await noticeDetail(c.var.app, { actor, noticeId: id });
    const n = detail.notice;
    const documents = await documentVersions(c.var.app.db, { type: "notice", id });
    return render(
      c,
      `${noticeKindLabels[n.kind]}の申請書: ${n.accountName}`,
      <>
        <p class="breadcrumb screen-only">
          <a href="/notices">変更・廃止</a> › <a href={noticeHref(n.accountId, n.id)}>{n.accountName}</a> ›
          申請書
        </p>
        <p class="screen-only">
          このページを印刷すると、{noticeKindLabels[n.kind]}
          の申請書（A4）になります。文書管理システムで付いた文書番号と決裁日は、下の欄に記録してください。
        </p>
        <NoticeDocumentView
          notice={n}
          filings={detail.filings}
          documents={documents}
          cityName={c.var.app.config.cityName}
        />
        <DocumentNumberPanel
          action={`/notices/${id}/document`}
          csrf={csrfOf(c)}
          versions={documents}
          canRecord={mayRecordDocument(actor, accountTarget(n))}
          state={state}
        />
      </>,
      status,
    );
  };

  r.get("/notices/:id/document", (c) => documentPage(c));

  r.post("/notices/:id/document", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      recordDocument(c.var.app, { actor: actorOf(c), subject: { type: "notice", id }, input: values }),
    );
    if (!result.ok) return documentPage(c, result.state, result.status);
    return done(c, `/notices/${id}/document`, "文書番号・決裁日を記録しました。");
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
      fileWithSecurityDirector(c.var.app, { actor: actorOf(c), noticeId: id, input: values }),
    );
    if (!result.ok)
      return accountPage(c, accountId, { security: { noticeId: id, state: result.state } }, result.status);
    return done(c, noticeHref(accountId, id), "情報統括管理者へ届出を送りました。");
  });

  r.post("/notices/:id/cancel", async (c) => {
    const id = intParam(c.req.param("id"));
    const accountId = await noticeAccount(c, id);
    const result = await submit({}, () => cancelNotice(c.var.app, { actor: actorOf(c), noticeId: id }));
    if (!result.ok)
      return accountPage(c, accountId, { action: { noticeId: id, state: result.state } }, result.status);
    return done(c, noticeHref(accountId, id), "申請を取り消しました。");
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
