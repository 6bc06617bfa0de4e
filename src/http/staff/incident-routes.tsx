/**
 * Staff pages for incidents (7): /incidents (open ones first, filters), /incidents/new (the
 * report, from the menu, an account or a post), /incidents/:id (summary, type panel, playbook,
 * drafts, files, notes, timeline, closing) and the POST of each of its forms. A form that fails
 * shows the page again with that form's messages; a success redirects with a message.
 */
import { Hono } from "hono";
import { toDateTimeLocal } from "../../app/credentials/rules.ts";
import { addAttachment, attachmentFile } from "../../app/incidents/attachments.ts";
import { draftIncidentPost } from "../../app/incidents/drafts.ts";
import {
  confirmHijackReport,
  publishHijackMarking,
  recordHijackRecovery,
  reportHijackToDirector,
} from "../../app/incidents/hijack.ts";
import {
  addImpersonation,
  publishWarning,
  recordTakedown,
  recordTakedownAnswer,
  updateWarning,
  withdrawWarning,
} from "../../app/incidents/impersonation.ts";
import { publishNotice, recordClaim, withdrawNotice } from "../../app/incidents/notices.ts";
import {
  type IncidentListFilter,
  incidentDetail,
  listIncidents,
  reportOptions,
} from "../../app/incidents/read.ts";
import { reportIncident, type UploadedFile } from "../../app/incidents/report.ts";
import {
  acknowledgeIncident,
  addNote,
  changeSeverity,
  changeStatus,
  closeIncident,
  recordContact,
  recordStatement,
} from "../../app/incidents/respond.ts";
import { assignStep, completeStep, reopenStep } from "../../app/incidents/steps.ts";
import { clauseRef } from "../../domain/clauses.ts";
import {
  incidentSeverities,
  incidentSeverityLabels,
  incidentStatuses,
  incidentStatusLabels,
  incidentTypeLabels,
  incidentTypes,
  isIncidentSeverity,
  isIncidentStatus,
  isIncidentType,
} from "../../domain/incidents.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formAll, formBody, intParam, render, submit } from "../render.tsx";
import { emptyForm, type FormState, type FormValues, Pagination, SelectField } from "../views/components.tsx";
import type { IncidentForms } from "../views/incident-ctx.ts";
import { IncidentPage } from "../views/incident-page.tsx";
import { ReportForm } from "../views/incident-report.tsx";
import { IncidentTable } from "../views/incident-views.tsx";

type Status = 200 | 409 | 422;

/** `Content-Disposition` for a download: an ASCII fallback plus the UTF-8 name (RFC 6266, 5987). */
function disposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** A multipart body: its text fields and the uploaded file, if any. */
async function multipart(c: HttpContext): Promise<{ values: FormValues; file: UploadedFile | null }> {
  const body = await c.req.parseBody();
  const values: FormValues = {};
  let file: UploadedFile | null = null;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string") {
      if (key !== "_csrf") values[key] = value;
    } else if (value instanceof File && key === "file" && (value.size > 0 || value.name !== "")) {
      file = { filename: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
    }
  }
  return { values, file };
}

function listFilter(c: HttpContext): IncidentListFilter {
  const status = c.req.query("status") ?? "open";
  const type = c.req.query("type") ?? "";
  const severity = c.req.query("severity") ?? "";
  const accountId = Number(c.req.query("accountId") ?? "");
  return {
    status: status === "all" || status === "open" ? status : isIncidentStatus(status) ? status : "open",
    ...(isIncidentType(type) ? { type } : {}),
    ...(isIncidentSeverity(severity) ? { severity } : {}),
    ...(Number.isSafeInteger(accountId) && accountId > 0 ? { accountId } : {}),
    page: Math.max(1, Number(c.req.query("page") ?? "1") || 1),
  };
}

async function listPage(c: HttpContext) {
  const filter = listFilter(c);
  const result = await listIncidents(c.var.app, { actor: actorOf(c), filter });
  const query = {
    status: filter.status,
    type: filter.type,
    severity: filter.severity,
    accountId: filter.accountId ? String(filter.accountId) : undefined,
  };
  return render(
    c,
    "インシデント",
    <>
      <h1>インシデント</h1>
      <p>
        情報漏えい、炎上、なりすまし、公式アカウントの乗っ取り、デマ・誤情報、投稿への誤解・苦情など、問題が起きたときの報告と対応の記録です（
        {clauseRef("7")}）。
        {result.seesAll
          ? "すべてのインシデントを表示しています。"
          : "あなたが報告したもの、あなたの課や所管するアカウントのもの、あなたが担当するものを表示しています。"}
      </p>
      <p>
        <a class="button" href="/incidents/new">
          インシデントを報告する
        </a>
      </p>
      <form method="get" action="/incidents" class="filters" aria-label="インシデントの絞り込み">
        <SelectField
          name="status"
          label="状態"
          value={filter.status}
          options={[
            { value: "open", label: "対応中・監視中" },
            ...incidentStatuses.map((s) => ({ value: s, label: incidentStatusLabels[s] })),
            { value: "all", label: "すべて" },
          ]}
        />
        <SelectField
          name="type"
          label="種類"
          value={filter.type ?? ""}
          blank="すべて"
          options={incidentTypes.map((t) => ({ value: t, label: incidentTypeLabels[t] }))}
        />
        <SelectField
          name="severity"
          label="深刻度"
          value={filter.severity ?? ""}
          blank="すべて"
          options={incidentSeverities.map((s) => ({ value: s, label: incidentSeverityLabels[s] }))}
        />
        {filter.accountId ? <input type="hidden" name="accountId" value={String(filter.accountId)} /> : null}
        <button type="submit" class="secondary">
          絞り込む
        </button>
      </form>
      {result.rows.length === 0 ? (
        <p>条件に合うインシデントはありません。</p>
      ) : (
        <>
          <IncidentTable rows={result.rows} caption={`インシデント（${result.total}件、対応中のものから）`} />
          <Pagination
            basePath="/incidents"
            query={query}
            page={result.page}
            pageSize={result.pageSize}
            total={result.total}
          />
        </>
      )}
    </>,
  );
}

async function reportPage(c: HttpContext, given: FormState = emptyForm(), status: Status = 200) {
  // A link may preselect the type (the profile watch offers `?type=hijack&accountId=…`).
  const typeRaw = c.req.query("type");
  const state =
    given.values.type === undefined && typeRaw !== undefined && isIncidentType(typeRaw)
      ? { ...given, values: { ...given.values, type: typeRaw } }
      : given;
  const postRaw = state.values.postId ?? c.req.query("postId");
  const accountRaw = c.req.query("accountId");
  const options = await reportOptions(c.var.app, {
    actor: actorOf(c),
    postId: postRaw ? intParam(postRaw) : undefined,
    accountId: accountRaw ? Number(accountRaw) : undefined,
  });
  return render(
    c,
    "インシデントを報告する",
    <ReportForm
      options={options}
      csrf={csrfOf(c)}
      state={state}
      now={toDateTimeLocal(c.var.app.clock.now())}
    />,
    status,
  );
}

async function detailPage(c: HttpContext, id: number, forms: IncidentForms = {}, status: Status = 200) {
  const d = await incidentDetail(c.var.app, { actor: actorOf(c), id });
  return render(
    c,
    `${incidentTypeLabels[d.incident.type]}: ${d.incident.title}`,
    <IncidentPage d={d} csrf={csrfOf(c)} forms={forms} nowLocal={toDateTimeLocal(c.var.app.clock.now())} />,
    status,
  );
}

/**
 * Runs one form of the incident page: on a validation or conflict error the page is shown again
 * with that form's values and messages; on success, a redirect with `message`.
 */
async function act<T>(
  c: HttpContext,
  prefix: string,
  work: (values: FormValues) => Promise<T>,
  message: string | ((result: T) => string),
  anchor = "",
) {
  const id = intParam(c.req.param("id"));
  const values = await formBody(c);
  const result = await submit(values, () => work(values));
  if (!result.ok) return detailPage(c, id, { [prefix]: result.state }, result.status);
  return done(c, `/incidents/${id}${anchor}`, typeof message === "string" ? message : message(result.result));
}

export function incidentRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/incidents", (c) => listPage(c));
  r.get("/incidents/new", (c) => reportPage(c));

  r.post("/incidents", async (c) => {
    const { values, file } = await multipart(c);
    const files = file ? [{ ...file, description: values.fileDescription ?? "" }] : [];
    const result = await submit(values, () =>
      reportIncident(c.var.app, { actor: actorOf(c), input: values, files }),
    );
    if (!result.ok) return reportPage(c, result.state, result.status);
    return done(
      c,
      `/incidents/${result.result.id}`,
      "インシデントを報告しました。アカウント管理者に通知しました（第7）。気づいたことは、このページのメモやファイルで追加できます。",
    );
  });

  r.get("/incidents/:id", (c) => detailPage(c, intParam(c.req.param("id"))));

  r.get("/incidents/:id/attachments/:attachmentId", async (c) => {
    const file = await attachmentFile(c.var.app, {
      actor: actorOf(c),
      incidentId: intParam(c.req.param("id")),
      attachmentId: intParam(c.req.param("attachmentId")),
    });
    c.header("Content-Disposition", disposition(file.filename));
    return c.body(Buffer.from(file.bytes), 200, { "Content-Type": file.contentType });
  });

  r.post("/incidents/:id/attachments", async (c) => {
    const id = intParam(c.req.param("id"));
    const { values, file } = await multipart(c);
    const result = await submit(values, () =>
      addAttachment(c.var.app, {
        actor: actorOf(c),
        incidentId: id,
        file: file ?? { filename: "", bytes: new Uint8Array() },
        input: values,
      }),
    );
    if (!result.ok) return detailPage(c, id, { attach: result.state }, result.status);
    return done(c, `/incidents/${id}#files-title`, "ファイルを添付しました。");
  });

  r.post("/incidents/:id/acknowledge", (c) =>
    act(
      c,
      "ack",
      () => acknowledgeIncident(c.var.app, { actor: actorOf(c), incidentId: intParam(c.req.param("id")) }),
      "報告を受けたことを記録しました。手順に沿って対応してください。",
    ),
  );

  r.post("/incidents/:id/steps/:stepId/complete", (c) => {
    const stepId = intParam(c.req.param("stepId"));
    return act(
      c,
      `step-${stepId}`,
      (values) =>
        completeStep(c.var.app, {
          actor: actorOf(c),
          incidentId: intParam(c.req.param("id")),
          stepId,
          input: values,
        }),
      "手順の完了を記録しました。",
      "#steps-title",
    );
  });

  r.post("/incidents/:id/steps/:stepId/reopen", (c) => {
    const stepId = intParam(c.req.param("stepId"));
    return act(
      c,
      `step-${stepId}`,
      () => reopenStep(c.var.app, { actor: actorOf(c), incidentId: intParam(c.req.param("id")), stepId }),
      "手順を未完了に戻しました。",
      "#steps-title",
    );
  });

  r.post("/incidents/:id/steps/:stepId/assign", (c) => {
    const stepId = intParam(c.req.param("stepId"));
    return act(
      c,
      `assign-${stepId}`,
      (values) =>
        assignStep(c.var.app, {
          actor: actorOf(c),
          incidentId: intParam(c.req.param("id")),
          stepId,
          input: values,
        }),
      "手順の担当・期限を変更しました。",
      "#steps-title",
    );
  });

  const simple = (
    path: string,
    prefix: string,
    run: (c: HttpContext, incidentId: number, values: FormValues) => Promise<unknown>,
    message: string,
    anchor = "",
  ) =>
    r.post(`/incidents/:id/${path}`, (c) =>
      act(c, prefix, (values) => run(c, intParam(c.req.param("id")), values), message, anchor),
    );

  simple(
    "notes",
    "note",
    (c, incidentId, input) => addNote(c.var.app, { actor: actorOf(c), incidentId, input }),
    "メモを残しました。",
    "#timeline-title",
  );
  simple(
    "severity",
    "severity",
    (c, incidentId, input) => changeSeverity(c.var.app, { actor: actorOf(c), incidentId, input }),
    "深刻度を変更しました。",
  );
  simple(
    "status",
    "status",
    (c, incidentId, input) => changeStatus(c.var.app, { actor: actorOf(c), incidentId, input }),
    "状態を変更しました。",
  );
  simple(
    "close",
    "close",
    (c, incidentId, input) => closeIncident(c.var.app, { actor: actorOf(c), incidentId, input }),
    "インシデントを終結しました。振り返りを記録しました。",
  );
  simple(
    "statement",
    "statement",
    (c, incidentId, input) => recordStatement(c.var.app, { actor: actorOf(c), incidentId, input }),
    "公式な説明を記録しました（第7-2(3)）。",
  );
  simple(
    "contacts",
    "contact",
    (c, incidentId, input) => recordContact(c.var.app, { actor: actorOf(c), incidentId, input }),
    "機関・メディアへの連絡を記録しました（第7-3(2)）。",
    "#imp-title",
  );
  simple(
    "claim",
    "claim",
    (c, incidentId, input) => recordClaim(c.var.app, { actor: actorOf(c), incidentId, input }),
    "誤った情報の内容を記録しました。",
    "#mis-title",
  );
  simple(
    "public-notice",
    "notice",
    (c, incidentId, input) => publishNotice(c.var.app, { actor: actorOf(c), incidentId, input }),
    "公開ページにお知らせを掲載しました（第7-4）。",
    "#mis-title",
  );
  simple(
    "public-notice/withdraw",
    "notice",
    (c, incidentId) => withdrawNotice(c.var.app, { actor: actorOf(c), incidentId }),
    "公開ページのお知らせの掲載を終了しました。",
    "#mis-title",
  );
  r.post("/incidents/:id/impersonations", (c) =>
    act(
      c,
      "imp-add",
      (input) =>
        addImpersonation(c.var.app, { actor: actorOf(c), incidentId: intParam(c.req.param("id")), input }),
      (row) =>
        row.warningPublishedAt
          ? "なりすましアカウントを記録し、公開ページに注意喚起を掲載しました（第7-3(1)）。"
          : "なりすましアカウントを記録しました。注意喚起は、アカウント管理者など対応する職員が確認して公開します（第7-3(1)）。",
      "#imp-title",
    ),
  );

  simple(
    "hijack/publish",
    "hijack-publish",
    (c, incidentId, input) => publishHijackMarking(c.var.app, { actor: actorOf(c), incidentId, input }),
    "公開ページに「現在、不正アクセスを受けています」と表示しました（第7-3(1)）。",
    "#hijack-title",
  );
  simple(
    "hijack/report",
    "hijack-report",
    (c, incidentId) => reportHijackToDirector(c.var.app, { actor: actorOf(c), incidentId }),
    "情報統括管理者へ報告しました。通知とタスクが届いています（第4-3(3)）。",
    "#hijack-title",
  );
  simple(
    "hijack/confirm",
    "hijack-confirm",
    (c, incidentId) => confirmHijackReport(c.var.app, { actor: actorOf(c), incidentId }),
    "報告を確認したことを記録しました。",
    "#hijack-title",
  );
  simple(
    "hijack/recover",
    "hijack-recover",
    (c, incidentId, input) => recordHijackRecovery(c.var.app, { actor: actorOf(c), incidentId, input }),
    "回復を記録しました。公開ページの表示を終えました（第7-3(1)）。",
    "#hijack-title",
  );

  r.post("/incidents/:id/drafts", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const accountIds = await formAll(c, "accountIds");
    const result = await submit(values, () =>
      draftIncidentPost(c.var.app, { actor: actorOf(c), incidentId: id, input: { ...values, accountIds } }),
    );
    if (!result.ok) return detailPage(c, id, { draft: result.state }, result.status);
    return done(
      c,
      `/posts/${result.result.post.id}/edit`,
      "下書きを作成しました。内容を確認・修正して、承認を依頼してください（第5-1(4)）。",
    );
  });

  const onFake = (
    path: string,
    prefix: string,
    run: (
      c: HttpContext,
      incidentId: number,
      impersonationId: number,
      values: FormValues,
    ) => Promise<unknown>,
    message: string,
  ) =>
    r.post(`/incidents/:id/impersonations/:impersonationId/${path}`, (c) => {
      const impersonationId = intParam(c.req.param("impersonationId"));
      return act(
        c,
        `${prefix}-${impersonationId}`,
        (values) => run(c, intParam(c.req.param("id")), impersonationId, values),
        message,
        "#imp-title",
      );
    });

  onFake(
    "takedown",
    "takedown",
    (c, incidentId, impersonationId, input) =>
      recordTakedown(c.var.app, { actor: actorOf(c), incidentId, impersonationId, input }),
    "削除依頼を記録しました（第7-3(1)）。",
  );
  onFake(
    "answer",
    "answer",
    (c, incidentId, impersonationId, input) =>
      recordTakedownAnswer(c.var.app, { actor: actorOf(c), incidentId, impersonationId, input }),
    "プラットフォームの回答を記録しました。",
  );
  onFake(
    "publish",
    "publish",
    (c, incidentId, impersonationId) =>
      publishWarning(c.var.app, { actor: actorOf(c), incidentId, impersonationId }),
    "注意喚起を公開ページ（お知らせ・公式アカウントの確認）に掲載しました（第7-3(1)）。",
  );
  onFake(
    "warning",
    "warning",
    (c, incidentId, impersonationId, input) =>
      updateWarning(c.var.app, { actor: actorOf(c), incidentId, impersonationId, input }),
    "注意喚起の文面を変更しました。掲載中の注意喚起は、公開ページに反映されています。",
  );
  onFake(
    "withdraw",
    "warning",
    (c, incidentId, impersonationId) =>
      withdrawWarning(c.var.app, { actor: actorOf(c), incidentId, impersonationId }),
    "お知らせへの注意喚起の掲載を終了しました。",
  );

  return r;
}
