/**
 * Staff pages of consultations (10 ガイドラインに定めのない事項はふるさと発信課長に協議): the
 * knowledge base with search by words and tags (/consultations), asking (/consultations/new),
 * and one consultation with its answer, the desk's answer form, and closing or reopening it
 * (/consultations/:id) with the rule of who closes it and when (10).
 */
import { Hono } from "hono";
import {
  answerConsultation,
  askConsultation,
  consultationTags,
  getConsultation,
  searchConsultations,
  setConsultationOpen,
} from "../../app/consultations/consultations.ts";
import {
  type ConsultationStatus,
  consultationStatusLabels,
  DESK_CLOSE_AFTER_DAYS,
  isConsultationStatus,
  tagsOf,
} from "../../domain/consultations.ts";
import { can } from "../../domain/policy.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import {
  Badge,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  SelectField,
  TextArea,
  TextField,
} from "../views/components.tsx";
import { DateTime } from "../views/dates.tsx";
import { Lines } from "../views/policy-view.tsx";

type Status = 200 | 409 | 422;

const statusTones: Record<ConsultationStatus, "ok" | "warn" | "muted"> = {
  open: "warn",
  answered: "ok",
  closed: "muted",
};

const StatusBadge = (props: { status: string }) =>
  isConsultationStatus(props.status) ? (
    <Badge tone={statusTones[props.status]}>{consultationStatusLabels[props.status]}</Badge>
  ) : (
    props.status
  );

const Tags = (props: { tags: unknown }) => {
  const list = tagsOf(props.tags);
  if (list.length === 0) return null;
  return (
    <ul class="report-inline-list" aria-label="タグ">
      {list.map((tag) => (
        <li>
          <a href={`/consultations?tag=${encodeURIComponent(tag)}`}>#{tag}</a>
        </li>
      ))}
    </ul>
  );
};

const Breadcrumb = () => (
  <p class="breadcrumb">
    <a href="/consultations">協議</a>
  </p>
);

async function newPage(c: HttpContext, state?: FormState, status: Status = 200) {
  const form = state ?? emptyForm();
  return render(
    c,
    "協議する",
    <>
      <Breadcrumb />
      <h1>ふるさと発信課長に協議する</h1>
      <p>
        ガイドラインに定めのない事項は、ふるさと発信課長（協議先）に協議します（第10）。回答は、同じ疑問を持つ職員のために検索できるよう公開されます。個人情報は書かないでください。
      </p>
      <ErrorSummary state={form} />
      <form method="post" action="/consultations" class="stack" novalidate>
        <Csrf token={csrfOf(c)} />
        <TextField name="title" label="件名" state={form} hint="何について知りたいかを一文で。" required />
        <TextArea name="question" label="協議の内容" state={form} rows={8} required />
        <TextField
          name="tags"
          label="タグ"
          state={form}
          hint="検索しやすくするための言葉。カンマ・読点・空白で区切ります（例: 生成AI、画像）。"
        />
        <div class="actions">
          <button type="submit">協議する</button>
          <a href="/consultations">キャンセル</a>
        </div>
      </form>
    </>,
    status,
  );
}

async function detailPage(c: HttpContext, id: number, answer?: FormState, status: Status = 200) {
  const actor = actorOf(c);
  const {
    consultation: row,
    can: may,
    closeRefusal,
    deskMayCloseFrom,
  } = await getConsultation(c.var.app, {
    actor,
    id,
  });
  const csrf = csrfOf(c);
  const form = answer ?? emptyForm({ answer: row.answer, tags: tagsOf(row.tags).join("、") });
  return render(
    c,
    `協議: ${row.title}`,
    <>
      <Breadcrumb />
      <h1>
        {row.title} <StatusBadge status={row.status} />
      </h1>
      <Tags tags={row.tags} />
      <section aria-labelledby="question-title">
        <h2 id="question-title">協議の内容</h2>
        <p class="hint">
          {row.askedByName ?? "—"}（<DateTime at={row.askedAt} />）
        </p>
        <p>
          <Lines text={row.question} />
        </p>
      </section>
      <section aria-labelledby="answer-title">
        <h2 id="answer-title">回答</h2>
        {row.answer ? (
          <>
            <p class="hint">
              {row.answeredByName ?? "—"}（{row.answeredAt ? <DateTime at={row.answeredAt} /> : "—"}）
            </p>
            <p>
              <Lines text={row.answer} />
            </p>
          </>
        ) : (
          <p>ふるさと発信課長（協議先）からの回答をお待ちください。</p>
        )}
      </section>
      {may.answer ? (
        <section aria-labelledby="answer-form-title">
          <h2 id="answer-form-title">{row.answer ? "回答を直す" : "回答する"}（協議先）</h2>
          <ErrorSummary state={answer} />
          <form method="post" action={`/consultations/${row.id}/answer`} class="stack" novalidate>
            <Csrf token={csrf} />
            <TextArea name="answer" label="回答" state={form} rows={8} required />
            <TextField
              name="tags"
              label="タグ"
              state={form}
              hint="空欄の場合は、協議を申し出たときのタグのままです。"
            />
            <div class="actions">
              <button type="submit">回答を登録する</button>
            </div>
          </form>
        </section>
      ) : null}
      {row.status !== "closed" ? (
        <section aria-labelledby="resolve-title">
          <h2 id="resolve-title">解決済みにする</h2>
          <p>
            回答で解決したかどうかは、協議を申し出た職員が判断します。解決したら「解決済みにする」を、まだ解決しない場合は「協議を再開する」を押すと、協議先が改めて回答します。回答から
            {DESK_CLOSE_AFTER_DAYS}
            日たっても協議を申し出た職員から返事（解決済みにする・協議を再開する）がない場合に限り、協議先が解決済みにできます。
            {deskMayCloseFrom ? (
              <>
                この協議では、
                <DateTime at={deskMayCloseFrom} />
                以降です。
              </>
            ) : (
              ""
            )}
          </p>
          {closeRefusal && !may.close ? <p class="hint">{closeRefusal}</p> : null}
        </section>
      ) : null}
      {may.close || may.reopen ? (
        <div class="actions">
          {may.close ? (
            <form method="post" action={`/consultations/${row.id}/close`}>
              <Csrf token={csrf} />
              <button type="submit" class="secondary">
                解決済みにする
              </button>
            </form>
          ) : null}
          {may.reopen ? (
            <form method="post" action={`/consultations/${row.id}/reopen`}>
              <Csrf token={csrf} />
              <button type="submit" class="secondary">
                協議を再開する
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
    </>,
    status,
  );
}

export function consultationRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/consultations", async (c) => {
    const actor = actorOf(c);
    const q = c.req.query();
    const text = q.q?.trim() || undefined;
    const tag = q.tag?.trim() || undefined;
    const status = q.status && isConsultationStatus(q.status) ? q.status : undefined;
    const [{ rows, total }, tags] = await Promise.all([
      searchConsultations(c.var.app, { actor, filter: { text, tag, status } }),
      consultationTags(c.var.app, { actor }),
    ]);
    const desk = can(actor, "consultation.answer");
    return render(
      c,
      "協議",
      <>
        <h1>協議（ガイドラインに定めのない事項）</h1>
        <p>
          ガイドラインに定めのない事項は、ふるさと発信課長（協議先）に協議します（第10）。これまでの協議と回答を検索できます。
        </p>
        <p>
          <a class="button" href="/consultations/new">
            協議する
          </a>
        </p>
        <form method="get" action="/consultations" class="filters" aria-label="協議の検索">
          <TextField name="q" label="キーワード（件名・内容・回答・タグ）" type="search" value={text} />
          <TextField name="tag" label="タグ" value={tag} />
          <SelectField
            name="status"
            label="状態"
            options={(["open", "answered", "closed"] as const).map((s) => ({
              value: s,
              label: consultationStatusLabels[s],
            }))}
            blank="すべて"
            value={status ?? ""}
          />
          <button type="submit">検索</button>
        </form>
        {tags.length > 0 ? (
          <nav aria-label="よく使われているタグ">
            <ul class="report-inline-list">
              {tags.slice(0, 20).map((t) => (
                <li>
                  <a href={`/consultations?tag=${encodeURIComponent(t.tag)}`}>
                    #{t.tag}（{t.n}）
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {desk ? <p class="hint">協議先として、回答待ちの協議も含めてすべて表示しています。</p> : null}
        {rows.length === 0 ? (
          <p>条件に合う協議はありません。</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>{`協議（${total}件${total > rows.length ? `のうち${rows.length}件を表示` : ""}）`}</caption>
              <thead>
                <tr>
                  <th scope="col">件名</th>
                  <th scope="col">状態</th>
                  <th scope="col">申出日</th>
                  <th scope="col">タグ</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr>
                    <td>
                      <a href={`/consultations/${row.id}`}>{row.title}</a>
                    </td>
                    <td>
                      <StatusBadge status={row.status} />
                    </td>
                    <td>
                      <DateTime at={row.askedAt} />
                    </td>
                    <td>
                      <Tags tags={row.tags} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>,
    );
  });

  r.get("/consultations/new", (c) => newPage(c));

  r.post("/consultations", async (c) => {
    const values = await formBody(c);
    const result = await submit(values, () =>
      askConsultation(c.var.app, { actor: actorOf(c), input: values }),
    );
    if (!result.ok) return newPage(c, result.state, result.status);
    return done(
      c,
      `/consultations/${result.result.id}`,
      "協議を受け付けました。ふるさと発信課長（協議先）が回答します。",
    );
  });

  r.get("/consultations/:id", (c) => detailPage(c, intParam(c.req.param("id"))));

  r.post("/consultations/:id/answer", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      answerConsultation(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!result.ok) return detailPage(c, id, result.state, result.status);
    return done(c, `/consultations/${id}`, "回答を登録しました。");
  });

  for (const [path, closed] of [
    ["close", true],
    ["reopen", false],
  ] as const) {
    r.post(`/consultations/:id/${path}`, async (c) => {
      const id = intParam(c.req.param("id"));
      await setConsultationOpen(c.var.app, { actor: actorOf(c), id, closed });
      return done(c, `/consultations/${id}`, closed ? "協議を解決済みにしました。" : "協議を再開しました。");
    });
  }

  return r;
}
