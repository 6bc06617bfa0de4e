/**
 * Staff pages of violation records (9 懲戒処分等), for the policy director, the security director
 * and auditors (read only): the list, recording and editing a record, closing it. When the act
 * answered a malicious demand through the proper procedure (9 ただし書), the record says so at
 * the top: not subject to discipline. Everyone else gets the same 404 as for a page that does
 * not exist, on every path here, whatever the id.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { requireViolationReader } from "../../app/violations/access.ts";
import {
  createViolation,
  getViolation,
  listViolations,
  setViolationStatus,
  updateViolation,
  violationClauseOptions,
} from "../../app/violations/violations.ts";
import type { ViolationView } from "../../db/repos/violations.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { can } from "../../domain/policy.ts";
import {
  isViolationSeverity,
  isViolationStatus,
  violationRoleLabels,
  violationRoles,
  violationSeverities,
  violationSeverityLabels,
  violationStatusLabels,
} from "../../domain/violations.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import {
  Badge,
  Checkbox,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  type FormValues,
  refusal,
  SelectField,
  TextArea,
  TextField,
} from "../views/components.tsx";
import { DateTime } from "../views/dates.tsx";
import { Lines } from "../views/policy-view.tsx";

type Status = 200 | 409 | 422;

const clauseName = (id: string) => (/^\d+(\.\d+)*$/.test(id) ? clauseRef(id) : id);
const severityTone = { low: "muted", medium: "warn", high: "error" } as const;

const Breadcrumb = () => (
  <p class="breadcrumb">
    <a href="/violations">違反の記録</a>
  </p>
);

const Restricted = () => (
  <p class="hint">
    この記録は、総合政策部長・情報統括管理者・監査担当だけが閲覧できます。記録があることを他の職員に知らせないでください。
  </p>
);

const ProperProcedureNotice = () => (
  <div class="notice notice-info" role="note">
    <h2>処罰の対象とはなりません（第9 ただし書）</h2>
    <p>
      悪意をもって行われた要求に対し、規定等に定められた正規の手続きを経て応じた行為です。ガイドライン第9ただし書により、処罰の対象とはなりません。
    </p>
  </div>
);

function formValues(v: ViolationView): FormValues {
  const numbers = (role: string) =>
    v.people
      .filter((p) => p.role === role)
      .map((p) => p.employeeNo)
      .join(", ");
  return {
    clause: v.clause,
    severity: v.severity,
    circumstances: v.circumstances,
    properProcedure: v.properProcedure ? "on" : "",
    outcome: v.outcome,
    postId: v.postId ? String(v.postId) : "",
    incidentId: v.incidentId ? String(v.incidentId) : "",
    violators: numbers("violator"),
    abettors: numbers("abettor"),
    supervisors: numbers("supervisor"),
  };
}

async function formPage(c: HttpContext, mode: { id?: number }, state: FormState, status: Status = 200) {
  const actor = actorOf(c);
  const clauses = await violationClauseOptions(c.var.app, { actor });
  const editing = mode.id !== undefined;
  const title = editing ? `違反の記録 #${mode.id} の編集` : "違反の記録を作成";
  return render(
    c,
    title,
    <>
      <Breadcrumb />
      <h1>{title}</h1>
      <Restricted />
      <ErrorSummary state={state} />
      <form
        method="post"
        action={editing ? `/violations/${mode.id}` : "/violations"}
        class="stack"
        novalidate
      >
        <Csrf token={csrfOf(c)} />
        <SelectField
          name="clause"
          label="違反した条項"
          options={clauses.map((cl) => ({ value: cl.id, label: cl.label }))}
          blank="選択してください"
          state={state}
          required
        />
        <SelectField
          name="severity"
          label="重大性"
          options={violationSeverities.map((s) => ({ value: s, label: violationSeverityLabels[s] }))}
          blank="選択してください"
          state={state}
          required
        />
        <TextArea name="circumstances" label="事案の状況" state={state} rows={6} required />
        <TextField
          name="violators"
          label={violationRoleLabels.violator}
          state={state}
          hint="職員番号を入力してください（複数の場合はカンマ区切り）。"
          required
        />
        <TextField
          name="abettors"
          label={violationRoleLabels.abettor}
          state={state}
          hint="職員番号（任意）"
        />
        <TextField
          name="supervisors"
          label={violationRoleLabels.supervisor}
          state={state}
          hint="職員番号（任意）"
        />
        <TextField name="postId" label="関連する投稿の番号" state={state} inputmode="numeric" hint="任意" />
        <TextField
          name="incidentId"
          label="関連するインシデントの番号"
          state={state}
          inputmode="numeric"
          hint="任意"
        />
        <Checkbox
          name="properProcedure"
          label="悪意をもって行われた要求に対し、規定等に定められた正規の手続きを経て応じた行為である（第9 ただし書: 処罰の対象とはなりません）"
          checked={state.values.properProcedure === "on" || state.values.properProcedure === "true"}
        />
        <TextArea
          name="outcome"
          label="処分等の結果"
          state={state}
          rows={4}
          hint="決まったら記入してください。"
        />
        <div class="actions">
          <button type="submit">{editing ? "保存する" : "記録する"}</button>
          <a href={editing ? `/violations/${mode.id}` : "/violations"}>キャンセル</a>
        </div>
      </form>
    </>,
    status,
  );
}

async function detailPage(c: HttpContext, id: number, error?: string, status: Status = 200) {
  const actor = actorOf(c);
  const v = await getViolation(c.var.app, { actor, id });
  const manage = can(actor, "violation.manage");
  const csrf = csrfOf(c);
  const severity = isViolationSeverity(v.severity) ? v.severity : "medium";
  const state = isViolationStatus(v.status) ? v.status : "open";
  return render(
    c,
    `違反の記録 #${v.id}`,
    <>
      <Breadcrumb />
      <h1>
        違反の記録 #{v.id}{" "}
        <Badge tone={state === "open" ? "warn" : "muted"}>{violationStatusLabels[state]}</Badge>
      </h1>
      {v.properProcedure ? <ProperProcedureNotice /> : null}
      {error ? <ErrorSummary state={refusal(error)} /> : null}
      <Restricted />
      <dl class="facts">
        <dt>違反した条項</dt>
        <dd>{clauseName(v.clause)}</dd>
        <dt>重大性</dt>
        <dd>
          <Badge tone={severityTone[severity]}>{violationSeverityLabels[severity]}</Badge>
        </dd>
        {violationRoles.map((role) => {
          const list = v.people.filter((p) => p.role === role);
          return (
            <>
              <dt>{violationRoleLabels[role]}</dt>
              <dd>
                {list.length === 0
                  ? "—"
                  : list.map((p, i) => (
                      <>
                        {i > 0 ? "、" : ""}
                        <a href={`/staff/${p.staffId}`}>{p.name}</a>（{p.employeeNo}）
                      </>
                    ))}
              </dd>
            </>
          );
        })}
        <dt>正規の手続き（第9 ただし書）</dt>
        <dd>{v.properProcedure ? "該当する（処罰の対象外）" : "該当しない"}</dd>
        <dt>関連する投稿</dt>
        <dd>{v.postId ? <a href={`/posts/${v.postId}`}>投稿 #{v.postId}</a> : "—"}</dd>
        <dt>関連するインシデント</dt>
        <dd>
          {v.incidentId ? <a href={`/incidents/${v.incidentId}`}>インシデント #{v.incidentId}</a> : "—"}
        </dd>
        <dt>記録</dt>
        <dd>
          <DateTime at={v.createdAt} />（{v.createdByName ?? "—"}）
        </dd>
        <dt>最終更新</dt>
        <dd>
          <DateTime at={v.updatedAt} />
        </dd>
      </dl>
      <section aria-labelledby="circumstances-title">
        <h2 id="circumstances-title">事案の状況</h2>
        <p>
          <Lines text={v.circumstances} />
        </p>
      </section>
      <section aria-labelledby="outcome-title">
        <h2 id="outcome-title">処分等の結果</h2>
        <p>{v.outcome ? <Lines text={v.outcome} /> : "（未記入）"}</p>
      </section>
      {manage ? (
        <div class="actions">
          {state === "open" ? (
            <a class="button secondary" href={`/violations/${v.id}/edit`}>
              編集する
            </a>
          ) : null}
          <form method="post" action={`/violations/${v.id}/status`}>
            <Csrf token={csrf} />
            <input type="hidden" name="status" value={state === "open" ? "closed" : "open"} />
            <button type="submit" class="secondary">
              {state === "open" ? "終結にする" : "対応中に戻す"}
            </button>
          </form>
        </div>
      ) : null}
    </>,
    status,
  );
}

export function violationRoutes() {
  const r = new Hono<AppEnv>();
  // Before anything is read from the request: to those who may not read violations, every page
  // here is the same 404.
  const gate: MiddlewareHandler<AppEnv> = async (c, next) => {
    await requireViolationReader(c.var.app, actorOf(c));
    await next();
  };
  r.use("/violations", gate);
  r.use("/violations/*", gate);

  r.get("/violations", async (c) => {
    const actor = actorOf(c);
    const q = c.req.query();
    const status = q.status && isViolationStatus(q.status) ? q.status : undefined;
    const text = q.q?.trim() || undefined;
    const rows = await listViolations(c.var.app, { actor, filter: { status, text } });
    return render(
      c,
      "違反の記録",
      <>
        <h1>違反の記録（第9）</h1>
        <p>
          ガイドラインに違反した職員、違反を助長した職員及び監督責任者は、その重大性や事案の状況に応じて懲戒処分の対象となります。ただし、悪意をもって行われた要求に対し、規定等に定められた正規の手続きを経て応じた行為は、処罰の対象とはなりません（第9）。
        </p>
        <Restricted />
        {can(actor, "violation.manage") ? (
          <p>
            <a class="button" href="/violations/new">
              記録を作成する
            </a>
          </p>
        ) : null}
        <form method="get" action="/violations" class="filters" aria-label="違反の記録の検索">
          <TextField name="q" label="状況・結果のキーワード" type="search" value={text} />
          <SelectField
            name="status"
            label="状態"
            options={[
              { value: "open", label: violationStatusLabels.open },
              { value: "closed", label: violationStatusLabels.closed },
            ]}
            blank="すべて"
            value={status ?? ""}
          />
          <button type="submit">検索</button>
        </form>
        {rows.length === 0 ? (
          <p>条件に合う記録はありません。</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>{`違反の記録（${rows.length}件、新しい順）`}</caption>
              <thead>
                <tr>
                  <th scope="col">記録</th>
                  <th scope="col">条項</th>
                  <th scope="col">重大性</th>
                  <th scope="col">違反した職員</th>
                  <th scope="col">第9 ただし書</th>
                  <th scope="col">状態</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((v) => {
                  const severity = isViolationSeverity(v.severity) ? v.severity : "medium";
                  return (
                    <tr>
                      <td>
                        <a href={`/violations/${v.id}`}>#{v.id}</a>
                        <span class="hint">
                          {" "}
                          <DateTime at={v.createdAt} />
                        </span>
                      </td>
                      <td>{clauseName(v.clause)}</td>
                      <td>
                        <Badge tone={severityTone[severity]}>{violationSeverityLabels[severity]}</Badge>
                      </td>
                      <td>
                        {v.people
                          .filter((p) => p.role === "violator")
                          .map((p) => p.name)
                          .join("、")}
                      </td>
                      <td>{v.properProcedure ? <Badge tone="ok">処罰の対象外</Badge> : "—"}</td>
                      <td>{isViolationStatus(v.status) ? violationStatusLabels[v.status] : v.status}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </>,
    );
  });

  r.get("/violations/new", (c) => formPage(c, {}, emptyForm()));

  r.post("/violations", async (c) => {
    const values = await formBody(c);
    const result = await submit(values, () =>
      createViolation(c.var.app, { actor: actorOf(c), input: values }),
    );
    if (!result.ok) return formPage(c, {}, result.state, result.status);
    return done(c, `/violations/${result.result.id}`, "違反の記録を作成しました。");
  });

  r.get("/violations/:id", (c) => detailPage(c, intParam(c.req.param("id"))));

  r.get("/violations/:id/edit", async (c) => {
    const id = intParam(c.req.param("id"));
    const v = await getViolation(c.var.app, { actor: actorOf(c), id });
    return formPage(c, { id }, emptyForm(formValues(v)));
  });

  r.post("/violations/:id", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      updateViolation(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!result.ok) return formPage(c, { id }, result.state, result.status);
    return done(c, `/violations/${id}`, "違反の記録を保存しました。");
  });

  r.post("/violations/:id/status", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      setViolationStatus(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!result.ok)
      return detailPage(c, id, result.state.message ?? result.state.issues[0]?.message, result.status);
    return done(
      c,
      `/violations/${id}`,
      result.result.status === "closed" ? "記録を終結にしました。" : "記録を対応中に戻しました。",
    );
  });

  return r;
}
