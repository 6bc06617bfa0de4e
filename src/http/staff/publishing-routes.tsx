/**
 * Staff pages of the publishing part of posts: record that a post went out (/posts/:id/publish,
 * with the form to move its schedule time), correct a wrong record with a reason
 * (/posts/:id/publishing/correct), record its removal (/posts/:id/delete), report an
 * error (/posts/:id/erroneous, 5.3.2) and start the correction (5.3.3), the publishing queue
 * (/posts/queue) and an announcement post from an announced change or closure (4.5.2). Reporting
 * an incident from a post (/incidents/new?postId=, 7) belongs to the incidents feature.
 */
import { Hono } from "hono";
import { toDateTimeLocal } from "../../app/credentials/rules.ts";
import { markErroneous, startCorrection } from "../../app/posts/corrections.ts";
import {
  recordDeletion,
  recordPublishing,
  reschedulePost,
  unpublishableReason,
} from "../../app/posts/publishing.ts";
import { correctPublishingRecord } from "../../app/posts/publishing-correct.ts";
import { draftAnnouncementPost } from "../../app/posts/publishing-drafts.ts";
import { type PublishingInfo, publishingInfo, publishingQueue } from "../../app/posts/publishing-read.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { isNoticeKind, noticeKindLabels } from "../../domain/notices.ts";
import { guidelinePack, platformLabel } from "../../guideline/pack.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import { Csrf, emptyForm, type FormState } from "../views/components.tsx";
import { DateText } from "../views/dates.tsx";
import { PublishingPanel } from "../views/publishing-panel.tsx";
import {
  CorrectRecordForm,
  DeleteForm,
  ErroneousForm,
  PostHeading,
  PostSummary,
  PublishForm,
  QueueTable,
  type RecordRules,
  ScheduleForm,
} from "../views/publishing-views.tsx";

type Status = 200 | 409 | 422;

/** /posts/:id/publish: the record form (or why there is none) and the schedule form. */
async function publishPage(
  c: HttpContext,
  id: number,
  forms: { publish?: FormState; schedule?: FormState } = {},
  status: Status = 200,
) {
  const info = await publishingInfo(c.var.app, { actor: actorOf(c), postId: id });
  const { post, actions } = info;
  const csrf = csrfOf(c);
  const recordable = actions.recordPublishing || actions.recordUrl;
  const waiting = post.status === "approved" || (post.status === "published" && post.publishedUrl === null);
  return render(
    c,
    `発信の記録: ${post.accountName}`,
    <>
      <PostHeading post={post} title="発信の記録" />
      <PostSummary post={post} />
      {recordable ? (
        <PublishForm
          post={post}
          csrf={csrf}
          state={forms.publish}
          urlOnly={actions.recordUrl}
          rules={rulesOf(c, info)}
        />
      ) : (
        <p class="notice notice-info">
          {waiting
            ? `発信を記録できるのは、このアカウントの運用に携わる職員とアカウント管理者です（${clauseRef("3")}）。`
            : unpublishableReason(post.status) || "この投稿の発信は記録できません。"}
        </p>
      )}
      {actions.reschedule ? (
        <ScheduleForm
          post={post}
          csrf={csrf}
          state={forms.schedule}
          value={post.scheduledAt ? toDateTimeLocal(post.scheduledAt) : ""}
        />
      ) : null}
      <PublishingPanel info={info} csrf={csrf} />
    </>,
    status,
  );
}

/** What the forms say about the URL and the time of the post. */
function rulesOf(c: HttpContext, info: PublishingInfo): RecordRules {
  return {
    urlNote: info.urlNote,
    urlRequired: info.urlRequired,
    earliest: info.earliest,
    now: c.var.app.clock.now(),
  };
}

/** /posts/:id/publishing/correct: the account manager corrects a wrong publishing record. */
async function correctRecordPage(c: HttpContext, id: number, state?: FormState, status: Status = 200) {
  const info = await publishingInfo(c.var.app, { actor: actorOf(c), postId: id });
  const { post } = info;
  const values = {
    publishedAt: post.publishedAt ? toDateTimeLocal(post.publishedAt) : "",
    url: post.publishedUrl ?? "",
  };
  return render(
    c,
    `発信の記録の訂正: ${post.accountName}`,
    <>
      <PostHeading post={post} title="発信の記録の訂正" />
      <PostSummary post={post} />
      {info.actions.correctRecord ? (
        <CorrectRecordForm
          post={post}
          csrf={csrfOf(c)}
          state={state ?? emptyForm(values)}
          rules={rulesOf(c, info)}
        />
      ) : (
        <p class="notice notice-info">
          {post.publishedAt
            ? "発信の記録を訂正できるのは、このアカウントのアカウント管理者です。誤りに気づいたら、アカウント管理者に連絡してください。"
            : "まだ発信の記録がありません。"}
        </p>
      )}
      <PublishingPanel info={info} csrf={csrfOf(c)} />
    </>,
    status,
  );
}

/** /posts/:id/delete */
async function deletePage(c: HttpContext, id: number, state?: FormState, status: Status = 200) {
  const info = await publishingInfo(c.var.app, { actor: actorOf(c), postId: id });
  const { post } = info;
  const now = toDateTimeLocal(c.var.app.clock.now());
  return render(
    c,
    `削除の記録: ${post.accountName}`,
    <>
      <PostHeading post={post} title="削除の記録" />
      <PostSummary post={post} />
      {info.actions.recordDeletion ? (
        <DeleteForm post={post} csrf={csrfOf(c)} state={state} now={now} />
      ) : (
        <p class="notice notice-info">
          {post.status === "published"
            ? `削除を記録できるのは、このアカウントの運用に携わる職員とアカウント管理者です（${clauseRef("3")}）。`
            : post.status === "deleted"
              ? "この投稿は既に削除済みとして記録されています。"
              : "発信済みの投稿だけを、プラットフォームから削除したものとして記録できます。"}
        </p>
      )}
      <PublishingPanel info={info} csrf={csrfOf(c)} />
    </>,
    status,
  );
}

/** /posts/:id/erroneous */
async function erroneousPage(c: HttpContext, id: number, state?: FormState, status: Status = 200) {
  const info = await publishingInfo(c.var.app, { actor: actorOf(c), postId: id });
  const { post } = info;
  const open = info.erroneous !== null && !info.erroneous.answered;
  return render(
    c,
    `誤りの報告: ${post.accountName}`,
    <>
      <PostHeading post={post} title="誤りの報告" />
      <PostSummary post={post} />
      {info.actions.markErroneous ? (
        <ErroneousForm
          post={post}
          csrf={csrfOf(c)}
          state={state}
          hours={guidelinePack().posts.correctionDueHours}
        />
      ) : (
        <p class="notice notice-info">
          {open
            ? "この投稿は既に誤りとして報告され、訂正を待っています。"
            : "誤りとして報告できるのは、発信済みの投稿です。発信前の投稿に誤りがあれば、作成者に修正を依頼してください。"}
        </p>
      )}
      <PublishingPanel info={info} csrf={csrfOf(c)} />
    </>,
    status,
  );
}

export function publishingRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/posts/queue", async (c) => {
    const q = await publishingQueue(c.var.app, { actor: actorOf(c) });
    const csrf = csrfOf(c);
    return render(
      c,
      "発信予定と記録待ちの投稿",
      <>
        <p class="breadcrumb">
          <a href="/posts">投稿</a> › 発信予定と記録待ち
        </p>
        <h1>発信予定と記録待ちの投稿</h1>
        <p>
          承認済みの投稿を予約日時の順に表示します（予定時刻を過ぎたものが先頭）。このシステムはプラットフォームへの投稿を行いません。プラットフォームで発信したら、投稿のURLを記録してください。予約日時になると、作成者にタスクでお知らせします。
        </p>
        {q.announcements.length > 0 ? (
          <section aria-labelledby="announcements-title">
            <h2 id="announcements-title">告知の投稿がまだない変更・廃止（{clauseRef("4.5.2")}）</h2>
            <ul>
              {q.announcements.map((n) => (
                <li>
                  「{n.accountName}」（{platformLabel(n.platform)}）の
                  {isNoticeKind(n.kind) ? noticeKindLabels[n.kind] : n.kind}（
                  <DateText date={n.effectiveDate} />
                  ）の告知です
                  {n.announcementDate ? (
                    <>
                      （周知日 <DateText date={n.announcementDate} />）
                    </>
                  ) : (
                    ""
                  )}
                  。
                  {n.canDraft ? (
                    <form method="post" action={`/notices/${n.noticeId}/announcement-post`} class="actions">
                      <Csrf token={csrf} />
                      <button type="submit" class="secondary">
                        告知文から投稿の下書きを作成する
                      </button>
                    </form>
                  ) : (
                    <span class="hint">
                      　このアカウントの運用に携わる職員が、告知文から投稿の下書きを作成できます（
                      {clauseRef("3")}）。
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="scheduled-title">
          <h2 id="scheduled-title">予約日時のある承認済みの投稿</h2>
          {q.scheduled.length === 0 ? (
            <p>予約日時のある承認済みの投稿はありません。</p>
          ) : (
            <QueueTable
              items={q.scheduled}
              caption={`予約日時の順（${q.scheduled.length}件）`}
              when="scheduled"
            />
          )}
        </section>
        <section aria-labelledby="unscheduled-title">
          <h2 id="unscheduled-title">予約日時のない承認済みの投稿</h2>
          {q.unscheduled.length === 0 ? (
            <p>予約日時のない承認済みの投稿はありません。</p>
          ) : (
            <QueueTable
              items={q.unscheduled}
              caption={`承認の古い順（${q.unscheduled.length}件）`}
              when="approved"
            />
          )}
        </section>
        <section aria-labelledby="without-url-title">
          <h2 id="without-url-title">URLが未記録の投稿（事後報告で発信、{clauseRef("5.1.4")}①〜④）</h2>
          {q.withoutUrl.length === 0 ? (
            <p>URLが未記録の投稿はありません。</p>
          ) : (
            <QueueTable
              items={q.withoutUrl}
              caption={`発信の古い順（${q.withoutUrl.length}件）`}
              when="published"
            />
          )}
        </section>
        <section aria-labelledby="corrections-title">
          <h2 id="corrections-title">訂正を待っている投稿（{clauseRef("5.3.2")}）</h2>
          {q.awaitingCorrection.length === 0 ? (
            <p>訂正を待っている投稿はありません。</p>
          ) : (
            <QueueTable
              items={q.awaitingCorrection}
              caption={`訂正の期限の近い順（${q.awaitingCorrection.length}件）`}
              when="correction"
            />
          )}
        </section>
      </>,
    );
  });

  r.get("/posts/:id/publish", (c) => publishPage(c, intParam(c.req.param("id"))));

  r.post("/posts/:id/publish", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      recordPublishing(c.var.app, { actor: actorOf(c), postId: id, input: values }),
    );
    if (!result.ok) return publishPage(c, id, { publish: result.state }, result.status);
    const post = result.result;
    return done(
      c,
      `/posts/${id}`,
      post.kind === "correction"
        ? "訂正の投稿の発信を記録しました。元の投稿に「訂正あり」と表示され、訂正のタスクは完了になりました。"
        : `発信を記録しました（${post.publishedAt ? formatDateTime(post.publishedAt) : ""}）。発信済みの投稿は変更できません。`,
    );
  });

  r.post("/posts/:id/schedule", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      reschedulePost(c.var.app, { actor: actorOf(c), postId: id, input: values }),
    );
    if (!result.ok) return publishPage(c, id, { schedule: result.state }, result.status);
    const at = result.result.scheduledAt;
    return done(
      c,
      `/posts/${id}/publish`,
      at ? `予約日時を${formatDateTime(at)}にしました。` : "予約日時を取り消しました。",
    );
  });

  r.get("/posts/:id/publishing/correct", (c) => correctRecordPage(c, intParam(c.req.param("id"))));

  r.post("/posts/:id/publishing/correct", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      correctPublishingRecord(c.var.app, { actor: actorOf(c), postId: id, input: values }),
    );
    if (!result.ok) return correctRecordPage(c, id, result.state, result.status);
    return done(
      c,
      `/posts/${id}`,
      "発信の記録を訂正しました。訂正前の値と理由は「発信の記録の訂正履歴」に残ります。",
    );
  });

  r.get("/posts/:id/delete", (c) => deletePage(c, intParam(c.req.param("id"))));

  r.post("/posts/:id/delete", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      recordDeletion(c.var.app, { actor: actorOf(c), postId: id, input: values }),
    );
    if (!result.ok) return deletePage(c, id, result.state, result.status);
    return done(
      c,
      `/posts/${id}`,
      "プラットフォームからの削除を記録しました。投稿の記録は削除済みとして残ります。",
    );
  });

  r.get("/posts/:id/erroneous", (c) => erroneousPage(c, intParam(c.req.param("id"))));

  r.post("/posts/:id/erroneous", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      markErroneous(c.var.app, { actor: actorOf(c), postId: id, input: values }),
    );
    if (!result.ok) return erroneousPage(c, id, result.state, result.status);
    const due = result.result.post.correctionDueAt;
    return done(
      c,
      `/posts/${id}`,
      `誤りとして報告しました。投稿の作成者とアカウント管理者に訂正のタスクを送りました（訂正の期限: ${due ? formatDateTime(due) : "—"}）。`,
    );
  });

  r.post("/posts/:id/correction", async (c) => {
    const id = intParam(c.req.param("id"));
    const { post, created } = await startCorrection(c.var.app, { actor: actorOf(c), postId: id });
    return done(
      c,
      `/posts/${post.id}`,
      created
        ? `訂正の投稿の下書きを作成しました。本文を正しい内容に直し、訂正したことが分かる書き方のまま（${clauseRef("5.3.3")}）、承認を申請してください。`
        : "この投稿の訂正は既に作成中です。",
    );
  });

  r.post("/notices/:id/announcement-post", async (c) => {
    const noticeId = intParam(c.req.param("id"));
    const { postId, created } = await draftAnnouncementPost(c.var.app, { actor: actorOf(c), noticeId });
    return done(
      c,
      `/posts/${postId}`,
      created
        ? "告知文から投稿の下書きを作成しました。内容を確認し、承認を申請してください。"
        : "この告知の投稿は既に作成されています。",
    );
  });

  return r;
}
