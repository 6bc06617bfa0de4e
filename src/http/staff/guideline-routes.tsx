/**
 * Staff pages of the guideline (8): the versions with the one in force, one version with what it
 * changed (clause by clause and in the rules) and its whole text, the policy director's drafts
 * (a copy of the current version or an imported pack file; wording edited here), publishing with
 * an effective date and a summary, the pack file download, the acknowledgement page with
 * 「確認しました」 (8.2), and the acknowledgement rates by department.
 */
import { Hono } from "hono";
import {
  acknowledgeGuideline,
  acknowledgementStatus,
  acknowledgementView,
  setAcknowledgementScope,
} from "../../app/guideline/acknowledgement.ts";
import { versionInForceOn } from "../../app/guideline/in-force.ts";
import { MAX_PACK_FILE_BYTES } from "../../app/guideline/pack-file.ts";
import {
  discardGuidelineDraft,
  draftFromCurrent,
  exportGuidelineVersion,
  getGuidelineVersion,
  importGuidelinePack,
  listGuidelineVersions,
  publishGuidelineVersion,
  updateGuidelineDraft,
} from "../../app/guideline/versions.ts";
import type { GuidelineVersionSummary } from "../../db/repos/guideline.ts";
import { formatDate, formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { ackScopeLabels, ackScopes } from "../../domain/guideline-ack.ts";
import { orderedClauseIds } from "../../domain/guideline-diff.ts";
import { can } from "../../domain/policy.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import {
  Badge,
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
import { DateText, DateTime } from "../views/dates.tsx";
import {
  AcknowledgementTable,
  ClauseChanges,
  ClauseText,
  clauseName,
  RuleChanges,
} from "../views/guideline-views.tsx";
import { Lines } from "../views/policy-view.tsx";

type Status = 200 | 409 | 422;

/** The state of a version as people see it: draft, in force, to take effect, or past. */
function stateOf(
  version: Pick<GuidelineVersionSummary, "id" | "status" | "effectiveDate">,
  inForceId: number | null,
  today: string,
): { tone: "ok" | "warn" | "muted"; label: string } {
  if (version.status === "draft") return { tone: "warn", label: "下書き" };
  if (version.id === inForceId) return { tone: "ok", label: "施行中" };
  if (version.effectiveDate > today) return { tone: "warn", label: "施行予定" };
  return { tone: "muted", label: "過去の版" };
}

const Breadcrumb = () => (
  <p class="breadcrumb">
    <a href="/guideline">ガイドライン</a>
  </p>
);

async function listPage(c: HttpContext, importState?: FormState, status: Status = 200) {
  const actor = actorOf(c);
  const ctx = c.var.app;
  const today = tokyoDate(ctx.clock.now());
  const [versions, inForce, mine] = await Promise.all([
    listGuidelineVersions(ctx, { actor }),
    versionInForceOn(ctx, today),
    acknowledgementView(ctx, { actor }),
  ]);
  const publisher = can(actor, "guideline.publish");
  const upcoming = versions.find((v) => v.status === "published" && v.effectiveDate > today);
  const csrf = csrfOf(c);
  return render(
    c,
    "ガイドライン",
    <>
      <h1>ソーシャルメディア運用ガイドライン</h1>
      <p>
        ガイドラインは総合政策部長が社会環境やICT技術の変化に合わせて見直し（第8-1）、見直した版は施行日から投稿の確認などの基準になります。職員は新しい版の内容を確認し、「確認しました」を押してください（第8-2）。
      </p>
      {mine.acknowledgedAt ? (
        <div class="notice notice-success" role="status">
          <p>
            最新の版（{mine.version.label}）は <DateTime at={mine.acknowledgedAt} /> に確認済みです。
          </p>
        </div>
      ) : mine.required ? (
        <div class="notice notice-warning" role="status">
          <p>
            最新の版（{mine.version.label}）をまだ確認していません。{" "}
            <a href="/guideline/acknowledge">内容を確認する</a>
          </p>
        </div>
      ) : (
        <p>
          <a href="/guideline/acknowledge">最新の版（{mine.version.label}）の内容を読む</a>
        </p>
      )}
      {upcoming ? (
        <div class="notice notice-info">
          <p>
            新しい版「{upcoming.label}」が <DateText date={upcoming.effectiveDate} /> から施行されます。{" "}
            <a href={`/guideline/versions/${upcoming.id}`}>変更点を見る</a>
          </p>
        </div>
      ) : null}
      {can(actor, "guideline.ack_status") ? (
        <p>
          <a href="/guideline/acknowledgements">部ごとの確認状況を見る</a>
        </p>
      ) : null}

      <section aria-labelledby="versions-title">
        <h2 id="versions-title">版の一覧</h2>
        <div class="table-wrap">
          <table>
            <caption>ガイドラインの版（新しい順）</caption>
            <thead>
              <tr>
                <th scope="col">版</th>
                <th scope="col">施行日</th>
                <th scope="col">状態</th>
                <th scope="col">公開</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => {
                const state = stateOf(v, inForce?.id ?? null, today);
                return (
                  <tr>
                    <td>
                      <a href={`/guideline/versions/${v.id}`}>{v.label}</a>
                    </td>
                    <td>
                      <DateText date={v.effectiveDate} />
                    </td>
                    <td>
                      <Badge tone={state.tone}>{state.label}</Badge>
                    </td>
                    <td>
                      {v.publishedAt
                        ? `${formatDate(tokyoDate(v.publishedAt))}（${v.publishedByName ?? "システム"}）`
                        : "—"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      {publisher ? (
        <section aria-labelledby="new-title">
          <h2 id="new-title">新しい版をつくる（総合政策部長）</h2>
          <p>
            現行の版をもとに下書きを作成して条項の文言を改めるか、ガイドラインパックのファイル（JSON）を取り込みます。他の自治体は、書き出したファイルを自らのガイドラインに合わせて編集し、取り込むことができます。下書きは公開するまで総合政策部長にしか表示されません。
          </p>
          <form method="post" action="/guideline/versions" class="actions">
            <Csrf token={csrf} />
            <button type="submit">現行の版をもとに下書きを作成</button>
          </form>
          <h3 id="import-title">ファイルから取り込む</h3>
          <ErrorSummary state={importState} />
          <form
            method="post"
            action="/guideline/import"
            enctype="multipart/form-data"
            class="stack"
            aria-labelledby="import-title"
            novalidate
          >
            <Csrf token={csrf} />
            <div class="field">
              <label for="f-file">
                ガイドラインパック（JSON）<span class="required">必須</span>
              </label>
              <span class="hint" id="f-file-hint">
                各版のページの「パックをファイルで書き出す」で保存した形式です（5MBまで）。取り込む前に、条項・規則・期限・文例のすべてを検査します。
              </span>
              <input
                type="file"
                id="f-file"
                name="file"
                accept=".json,application/json"
                required
                aria-describedby="f-file-hint"
              />
            </div>
            <div class="actions">
              <button type="submit">取り込んで下書きを作成</button>
            </div>
          </form>
        </section>
      ) : null}
    </>,
    status,
  );
}

/** Form values of a draft (for the edit form): its fields and one `c:<id>` per clause. */
function draftValues(version: GuidelineVersionSummary, clauses: Record<string, string>): FormValues {
  const values: FormValues = {
    label: version.label,
    effectiveDate: version.effectiveDate,
    summary: version.summary,
  };
  for (const [id, text] of Object.entries(clauses)) values[`c:${id}`] = text;
  return values;
}

/** The clauses of an edit form: `c:<id>` fields plus the new clause, if given. */
function clausesFrom(values: FormValues): Record<string, string> {
  const clauses: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith("c:") && value !== undefined) clauses[key.slice(2)] = value;
  }
  const id = values.newClauseId?.trim();
  const text = values.newClauseText?.trim();
  if (id && text) clauses[id] = text;
  return clauses;
}

async function versionPage(
  c: HttpContext,
  id: number,
  forms: { publish?: FormState } = {},
  status: Status = 200,
) {
  const actor = actorOf(c);
  const ctx = c.var.app;
  const today = tokyoDate(ctx.clock.now());
  const [detail, inForce] = await Promise.all([
    getGuidelineVersion(ctx, { actor, id }),
    versionInForceOn(ctx, today),
  ]);
  const v = detail.version;
  const state = stateOf(v, inForce?.id ?? null, today);
  const draft = v.status === "draft";
  const csrf = csrfOf(c);
  const publish =
    forms.publish ?? emptyForm({ effectiveDate: [v.effectiveDate, today].sort()[1], summary: v.summary });
  const whole = orderedClauseIds(detail.clauses).map((cid) => ({ id: cid, text: detail.clauses[cid] ?? "" }));
  return render(
    c,
    `ガイドライン ${v.label}`,
    <>
      <Breadcrumb />
      <h1>
        ガイドライン {v.label} <Badge tone={state.tone}>{state.label}</Badge>
      </h1>
      <dl class="facts">
        <dt>施行日</dt>
        <dd>
          <DateText date={v.effectiveDate} />
          {draft ? "（予定）" : ""}
        </dd>
        <dt>公開</dt>
        <dd>
          {v.publishedAt
            ? `${formatDateTime(v.publishedAt)}（${v.publishedByName ?? "システム"}）`
            : "未公開（下書き）"}
        </dd>
        {draft ? (
          <>
            <dt>作成</dt>
            <dd>{v.createdByName ?? "—"}</dd>
          </>
        ) : null}
        <dt>規則（チェッカー・期限・文例）</dt>
        <dd>
          {detail.source === "shipped"
            ? "システムに同梱のいわき市の規則"
            : "取り込んだガイドラインパックの規則"}
        </dd>
      </dl>
      {v.summary ? (
        <section aria-labelledby="summary-title">
          <h2 id="summary-title">改正の概要</h2>
          <p>
            <Lines text={v.summary} />
          </p>
        </section>
      ) : null}
      <p>
        <a href={`/guideline/versions/${v.id}/pack.json`}>パックをファイルで書き出す（JSON）</a>
      </p>

      {draft ? (
        <section aria-labelledby="publish-title">
          <h2 id="publish-title">この下書きを公開する</h2>
          <p>
            公開すると、施行日からこの版が投稿の確認などの基準になり、役割のある職員全員に確認を求めます（第8-1、第8-2）。公開した版は変更できません。
          </p>
          <p>
            <a class="button secondary" href={`/guideline/versions/${v.id}/edit`}>
              名称・条項の文言を編集する
            </a>
          </p>
          <ErrorSummary state={publish} />
          <form method="post" action={`/guideline/versions/${v.id}/publish`} class="stack" novalidate>
            <Csrf token={csrf} />
            <TextField
              name="effectiveDate"
              label="施行日"
              type="date"
              state={publish}
              hint="今日以降の日付にしてください。"
              required
            />
            <TextArea
              name="summary"
              label="改正の概要（何を変えたか）"
              state={publish}
              rows={4}
              hint="職員が確認する画面の先頭に表示されます。"
              required
            />
            <div class="actions">
              <button type="submit">公開する</button>
            </div>
          </form>
          <form method="post" action={`/guideline/versions/${v.id}/discard`} class="actions">
            <Csrf token={csrf} />
            <button type="submit" class="danger">
              この下書きを破棄する
            </button>
          </form>
        </section>
      ) : null}

      {detail.previous ? (
        <section aria-labelledby="changes-title">
          <h2 id="changes-title">前の版（{detail.previous.label}）からの変更点</h2>
          <ClauseChanges changes={detail.clauseChanges} />
          <h3>規則の変更</h3>
          <RuleChanges changes={detail.ruleChanges} total={detail.ruleChangesTotal} />
        </section>
      ) : null}

      <section aria-labelledby="text-title">
        <h2 id="text-title">全文</h2>
        {detail.previous ? (
          <details>
            <summary>全文を表示する（{whole.length}条項）</summary>
            <ClauseText clauses={whole} headings={detail.headings} />
          </details>
        ) : (
          <ClauseText clauses={whole} headings={detail.headings} />
        )}
      </section>
    </>,
    status,
  );
}

async function editPage(c: HttpContext, id: number, state?: FormState, status: Status = 200) {
  const actor = actorOf(c);
  const detail = await getGuidelineVersion(c.var.app, { actor, id });
  const v = detail.version;
  if (v.status !== "draft") return c.redirect(`/guideline/versions/${v.id}`, 303);
  const form = state ?? emptyForm(draftValues(v, detail.clauses));
  const ids = orderedClauseIds(detail.clauses);
  return render(
    c,
    `下書きの編集: ${v.label}`,
    <>
      <Breadcrumb />
      <h1>下書きの編集: {v.label}</h1>
      <p>
        条項の文言を改めます。本文を空にした条項は削除され、新しい条項は最後の欄で追加できます。チェッカーの語彙や期限などの規則を変えるときは、パックを書き出して編集し、取り込んでください。
      </p>
      <ErrorSummary state={form} />
      <form method="post" action={`/guideline/versions/${v.id}`} class="stack" novalidate>
        <Csrf token={csrfOf(c)} />
        <TextField name="label" label="版の名称" state={form} hint="例: 令和8年4月1日改正" required />
        <TextField name="effectiveDate" label="施行日（予定）" type="date" state={form} required />
        <TextArea name="summary" label="改正の概要" state={form} rows={3} />
        <fieldset>
          <legend>条項</legend>
          {ids.map((cid) => (
            <TextArea name={`c:${cid}`} label={clauseName(cid)} state={form} rows={3} />
          ))}
          <TextField name="newClauseId" label="新しい条項の番号" state={form} hint="例: 5.3.8（第5-3(8)）" />
          <TextArea name="newClauseText" label="新しい条項の本文" state={form} rows={3} />
        </fieldset>
        <div class="actions">
          <button type="submit">保存する</button>
          <a href={`/guideline/versions/${v.id}`}>キャンセル</a>
        </div>
      </form>
    </>,
    status,
  );
}

async function acknowledgePage(c: HttpContext, error?: string, status: Status = 200) {
  const actor = actorOf(c);
  const view = await acknowledgementView(c.var.app, { actor });
  const v = view.version;
  return render(
    c,
    "ガイドラインの確認",
    <>
      <Breadcrumb />
      <h1>ガイドラインの確認（{v.label}）</h1>
      <p>
        総合政策部長は、ガイドラインを見直した場合は速やかに職員に周知徹底しなければなりません（第8-2）。内容を読み、最後の「確認しました」を押してください。
      </p>
      {error ? <ErrorSummary state={refusal(error)} /> : null}
      {view.acknowledgedAt ? (
        <div class="notice notice-success" role="status">
          <p>
            この版は <DateTime at={view.acknowledgedAt} /> に確認済みです。
          </p>
        </div>
      ) : null}
      <dl class="facts">
        <dt>施行日</dt>
        <dd>
          <DateText date={v.effectiveDate} />
        </dd>
        <dt>公開</dt>
        <dd>{v.publishedAt ? <DateTime at={v.publishedAt} /> : "—"}</dd>
      </dl>
      {v.summary ? (
        <section aria-labelledby="summary-title">
          <h2 id="summary-title">改正の概要</h2>
          <p>
            <Lines text={v.summary} />
          </p>
        </section>
      ) : null}
      {view.base ? (
        <section aria-labelledby="changes-title">
          <h2 id="changes-title">
            前回確認した版（{view.base.label}、<DateText date={tokyoDate(view.base.acknowledgedAt)} />
            確認）からの変更点
          </h2>
          <ClauseChanges changes={view.clauses} />
        </section>
      ) : (
        <section aria-labelledby="text-title">
          <h2 id="text-title">ガイドラインの全文</h2>
          <p>初めての確認のため、全文を表示しています。</p>
          <ClauseText
            clauses={view.clauses.map((cl) => ({ id: cl.id, text: cl.after }))}
            headings={view.headings}
          />
        </section>
      )}
      {view.acknowledgedAt ? null : (
        <form method="post" action="/guideline/acknowledge" class="actions">
          <Csrf token={csrfOf(c)} />
          <input type="hidden" name="versionId" value={String(v.id)} />
          <button type="submit">確認しました</button>
        </form>
      )}
    </>,
    status,
  );
}

export function guidelineRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/guideline", (c) => listPage(c));

  r.post("/guideline/versions", async (c) => {
    const draft = await draftFromCurrent(c.var.app, { actor: actorOf(c) });
    return done(c, `/guideline/versions/${draft.id}/edit`, "現行の版をもとに下書きを作成しました。");
  });

  r.post("/guideline/import", async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    const values: FormValues = {};
    if (!(file instanceof File) || file.size === 0) {
      return listPage(
        c,
        { values, issues: [{ field: "file", message: "取り込むファイルを選択してください。" }] },
        422,
      );
    }
    if (file.size > MAX_PACK_FILE_BYTES) {
      return listPage(
        c,
        { values, issues: [{ field: "file", message: "ファイルが大きすぎます（5MBまで）。" }] },
        422,
      );
    }
    const text = await file.text();
    const result = await submit(values, () =>
      importGuidelinePack(c.var.app, { actor: actorOf(c), input: text }),
    );
    if (!result.ok) return listPage(c, result.state, result.status);
    return done(
      c,
      `/guideline/versions/${result.result.id}`,
      "ファイルを取り込み、下書きを作成しました。変更点を確認してから公開してください。",
    );
  });

  r.get("/guideline/versions/:id", (c) => versionPage(c, intParam(c.req.param("id"))));

  r.get("/guideline/versions/:id/pack.json", async (c) => {
    const id = intParam(c.req.param("id"));
    const file = await exportGuidelineVersion(c.var.app, { actor: actorOf(c), id });
    c.header("Content-Disposition", `attachment; filename="guideline-pack-${id}.json"`);
    return c.body(JSON.stringify(file, null, 2), 200, { "Content-Type": "application/json; charset=utf-8" });
  });

  r.get("/guideline/versions/:id/edit", (c) => editPage(c, intParam(c.req.param("id"))));

  r.post("/guideline/versions/:id", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const input = {
      label: values.label,
      effectiveDate: values.effectiveDate,
      summary: values.summary,
      clauses: clausesFrom(values),
    };
    const result = await submit(values, () =>
      updateGuidelineDraft(c.var.app, { actor: actorOf(c), id, input }),
    );
    if (!result.ok) return editPage(c, id, result.state, result.status);
    return done(c, `/guideline/versions/${id}`, "下書きを保存しました。");
  });

  r.post("/guideline/versions/:id/publish", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      publishGuidelineVersion(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!result.ok) return versionPage(c, id, { publish: result.state }, result.status);
    return done(
      c,
      `/guideline/versions/${id}`,
      `「${result.result.label}」を公開しました。${formatDate(result.result.effectiveDate)}から施行されます。`,
    );
  });

  r.post("/guideline/versions/:id/discard", async (c) => {
    await discardGuidelineDraft(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return done(c, "/guideline", "下書きを破棄しました。");
  });

  r.get("/guideline/acknowledge", (c) => acknowledgePage(c));

  r.post("/guideline/acknowledge", async (c) => {
    const values = await formBody(c);
    const result = await submit(values, () =>
      acknowledgeGuideline(c.var.app, { actor: actorOf(c), input: values }),
    );
    if (!result.ok)
      return acknowledgePage(c, result.state.message ?? result.state.issues[0]?.message, result.status);
    return done(c, "/guideline", "ガイドラインの確認を記録しました。ありがとうございました。");
  });

  const statusPage = async (c: HttpContext, scopeState?: FormState, status: Status = 200) => {
    const actor = actorOf(c);
    const ack = await acknowledgementStatus(c.var.app, { actor });
    return render(
      c,
      "ガイドラインの確認状況",
      <>
        <Breadcrumb />
        <h1>ガイドラインの確認状況（{ack.version.label}）</h1>
        <p>
          確認の対象は「{ackScopeLabels[ack.scope]}」です（第8-2 周知徹底。対象は総合政策部長が決めます）。
          初期設定用の部の職員は数えません。まだ確認していない職員には、
          <DateText date={ack.remindOn} />
          （公開または施行から{ack.reminderDays}
          日後）にタスクでお知らせします。
        </p>
        {can(actor, "guideline.ack_scope") ? (
          <section aria-labelledby="scope-title">
            <h2 id="scope-title">確認の対象とする職員</h2>
            <ErrorSummary state={scopeState} />
            <form method="post" action="/guideline/acknowledgements/scope" class="stack" novalidate>
              <Csrf token={csrfOf(c)} />
              <SelectField
                name="scope"
                label="対象"
                required
                state={scopeState}
                value={ack.scope}
                options={ackScopes.map((s) => ({ value: s, label: ackScopeLabels[s] }))}
              />
              <div class="actions">
                <button type="submit">対象を変更する</button>
              </div>
            </form>
          </section>
        ) : null}
        <AcknowledgementTable rates={ack} caption={`部ごとの確認状況（全体 ${ack.percent}%）`} pending />
      </>,
      status,
    );
  };

  r.get("/guideline/acknowledgements", (c) => statusPage(c));

  r.post("/guideline/acknowledgements/scope", async (c) => {
    const values = await formBody(c);
    const result = await submit(values, () =>
      setAcknowledgementScope(c.var.app, { actor: actorOf(c), input: values }),
    );
    if (!result.ok) return statusPage(c, result.state, result.status);
    return done(
      c,
      "/guideline/acknowledgements",
      `確認の対象を「${ackScopeLabels[result.result]}」に変更しました。`,
    );
  });

  return r;
}
