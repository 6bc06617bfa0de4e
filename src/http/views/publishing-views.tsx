/**
 * Views of the publishing pages: the post being recorded (summary with its text), the forms to
 * record publishing, correct a publishing record, record a removal, report an error and set a
 * new schedule time, and the tables of the publishing queue. Plain forms that work without JavaScript; everything arrives as props.
 */
import type { FC } from "hono/jsx";
import type { QueueItem } from "../../app/posts/publishing-read.ts";
import type { PostView } from "../../db/repos/posts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { postCategoryShort, postStatusLabels } from "../../domain/posts.ts";
import { type Bound, windowText } from "../../domain/time-window.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge, Checkbox, Csrf, ErrorSummary, type FormState, TextArea, TextField } from "./components.tsx";
import { DateTime } from "./dates.tsx";
import { CorrectedBadge, ScheduleText } from "./publishing-panel.tsx";

/** The first characters of a post's text, for tables. */
export function excerpt(text: string, length = 60): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length > length ? `${chars.slice(0, length).join("")}…` : chars.join("");
}

/** The page heading and breadcrumb of a publishing page about one post. */
export const PostHeading: FC<{ post: PostView; title: string }> = ({ post, title }) => (
  <>
    <p class="breadcrumb">
      <a href="/posts">投稿</a> › <a href={`/posts/${post.id}`}>投稿#{post.id}</a> › {title}
    </p>
    <h1>
      {title}: {post.accountName}（{platformLabel(post.platform)}）
    </h1>
  </>
);

/** The post as it is: account, category, status, author, and its text. */
export const PostSummary: FC<{ post: PostView }> = ({ post }) => (
  <section aria-labelledby="post-summary-title">
    <h2 id="post-summary-title">投稿の内容</h2>
    <dl class="facts">
      <dt>アカウント</dt>
      <dd>
        <a href={`/accounts/${post.accountId}`}>{post.accountName}</a>（{platformLabel(post.platform)}・
        {post.divisionName}）
      </dd>
      <dt>種類・区分</dt>
      <dd>
        {post.kind === "correction" ? "訂正・" : ""}
        {postCategoryShort[post.category]}
      </dd>
      <dt>状態</dt>
      <dd>{postStatusLabels[post.status]}</dd>
      <dt>作成者</dt>
      <dd>{post.authorName}</dd>
      {post.approvedAt ? (
        <>
          <dt>承認日時</dt>
          <dd>
            <DateTime at={post.approvedAt} />
          </dd>
        </>
      ) : null}
      {post.embargoUntil ? (
        <>
          <dt>公表日時</dt>
          <dd>
            <DateTime at={post.embargoUntil} />
            （これより前には公表できません。{clauseRef("5.2.2.2")}）
          </dd>
        </>
      ) : null}
    </dl>
    <h3>本文</h3>
    <div class="card public-text">{post.text}</div>
    <p>
      <a href={`/posts/${post.id}`}>投稿のページへ戻る</a>
    </p>
  </section>
);

/** What the publish and correction forms say about the URL and the time of this post. */
export type RecordRules = {
  /** What the system checks about a post URL of this account (PublishingInfo.urlNote). */
  urlNote: string;
  /** A post of this platform has a public URL (not a LINE message). */
  urlRequired: boolean;
  /** The event a publication cannot precede, when the post has one. */
  earliest: Bound | null;
  now: Date;
};

/** The allowed range of the publication time, in words. */
const timeHint = (rules: RecordRules, latest: Bound | null = null) =>
  `${windowText(rules.earliest, latest, rules.now)}で入力してください（日本時間）。`;

/** Recording that the post went out (or the URL of a post published first, 5.1.4 ①–④). */
export const PublishForm: FC<{
  post: PostView;
  csrf: string;
  state?: FormState | undefined;
  urlOnly: boolean;
  rules: RecordRules;
}> = ({ post, csrf, state, urlOnly, rules }) => (
  <section aria-labelledby="publish-title">
    <h2 id="publish-title">{urlOnly ? "発信した投稿のURLを記録する" : "発信を記録する"}</h2>
    {urlOnly ? (
      <p>
        この投稿は、事後報告で発信できる場合（{clauseRef("5.1.4")}
        ①〜④）として先に発信されました。プラットフォーム上の投稿のURLを記録してください。
      </p>
    ) : (
      <p>
        承認された内容のとおりにプラットフォームで発信したら、その投稿のURLと発信した日時を記録してください。記録すると、この投稿は変更できなくなります。記録は公文書として残るため、システムで確かめられることは確かめてから記録します。
      </p>
    )}
    <form method="post" action={`/posts/${post.id}/publish`} class="stack" novalidate>
      <Csrf token={csrf} />
      <ErrorSummary state={state} />
      <TextField
        name="url"
        label="発信した投稿のURL"
        type="url"
        hint={`${platformLabel(post.platform)}で発信した投稿を開き、アドレス欄のURLをそのまま貼り付けてください。${rules.urlNote}`}
        state={state}
        required={rules.urlRequired}
      />
      <TextField
        name="publishedAt"
        label="発信した日時"
        type="datetime-local"
        hint={
          urlOnly && post.publishedAt
            ? `空欄のときは、記録済みの発信日時（${formatDateTime(post.publishedAt)}）のままです。変える場合は、${timeHint(rules)}`
            : `${timeHint(rules)}空欄のときは、記録する時刻（現在）を発信した日時とします。`
        }
        state={state}
      />
      <div class="actions">
        <button type="submit">{urlOnly ? "URLを記録する" : "発信を記録する"}</button>
      </div>
    </form>
  </section>
);

/** Correcting a wrong publishing record (the account manager, with a reason). */
export const CorrectRecordForm: FC<{
  post: PostView;
  csrf: string;
  state: FormState;
  rules: RecordRules;
}> = ({ post, csrf, state, rules }) => (
  <section aria-labelledby="correct-record-title">
    <h2 id="correct-record-title">発信の記録を訂正する</h2>
    <p>
      発信の記録は公文書です。誤りがあるときは書き換えず、正しい値と訂正の理由を記録します。訂正前の値は「訂正履歴」に残り、投稿のページ、投稿の記録の出力（CSV・報告書）と監査ログに表示されます。
    </p>
    <form method="post" action={`/posts/${post.id}/publishing/correct`} class="stack" novalidate>
      <Csrf token={csrf} />
      <ErrorSummary state={state} />
      <TextField
        name="publishedAt"
        label="発信した日時"
        type="datetime-local"
        hint={`${timeHint(rules, post.deletedAt ? { at: post.deletedAt, what: "削除" } : null)}分まで表示しています。変えない場合はそのままにしてください。`}
        state={state}
        required
      />
      <TextField
        name="url"
        label="発信した投稿のURL"
        type="url"
        hint={rules.urlNote}
        state={state}
        required={rules.urlRequired}
      />
      <TextArea
        name="reason"
        label="訂正の理由"
        hint="例: 発信した投稿を取り違えてURLを記録していたため、正しい投稿のURLに訂正します。"
        rows={3}
        state={state}
        required
      />
      <div class="actions">
        <button type="submit">訂正を記録する</button>
      </div>
    </form>
  </section>
);

/** Moving or clearing the schedule time of an approved post. */
export const ScheduleForm: FC<{
  post: PostView;
  csrf: string;
  state?: FormState | undefined;
  value: string;
}> = ({ post, csrf, state, value }) => (
  <section aria-labelledby="schedule-title">
    <h2 id="schedule-title">予約日時を変更する</h2>
    <p>
      予約日時になると、作成者に「発信して記録する」タスクが届きます。本文は変わらないため、承認はそのまま有効です。空欄にすると予約を取り消します。
    </p>
    <form method="post" action={`/posts/${post.id}/schedule`} class="stack" novalidate>
      <Csrf token={csrf} />
      <ErrorSummary state={state} />
      <TextField
        name="scheduledAt"
        label="予約日時"
        type="datetime-local"
        hint="例: 2026-12-05 10:00（日本時間）"
        value={value}
        state={state}
      />
      <div class="actions">
        <button type="submit" class="secondary">
          予約日時を保存する
        </button>
      </div>
    </form>
  </section>
);

/** Recording that the post was removed from the platform, with the reason. */
export const DeleteForm: FC<{ post: PostView; csrf: string; state?: FormState | undefined; now: string }> = ({
  post,
  csrf,
  state,
  now,
}) => (
  <section aria-labelledby="delete-title">
    <h2 id="delete-title">プラットフォームからの削除を記録する</h2>
    <p>
      プラットフォーム上で投稿を削除したら、その理由と日時を記録してください。このシステムの記録は削除されず、削除済みとして残ります。誤りを理由に削除した場合も、訂正したことを明記した投稿が必要です（
      {clauseRef("5.3.3")}）。
    </p>
    <form method="post" action={`/posts/${post.id}/delete`} class="stack" novalidate>
      <Csrf token={csrf} />
      <ErrorSummary state={state} />
      <TextArea name="reason" label="削除した理由" rows={4} state={state} required />
      <TextField name="deletedAt" label="削除した日時" type="datetime-local" value={now} state={state} />
      <Checkbox
        name="deletedManually"
        label="接続を使わずにプラットフォームの画面で削除した"
        checked={state?.values.deletedManually === "on"}
        hint="自動発信した投稿は、チェックしなければ接続を通じてプラットフォームから削除し、その応答を記録します。"
      />
      <div class="actions">
        <button type="submit" class="danger">
          削除を記録する
        </button>
      </div>
    </form>
  </section>
);

/** Reporting an error in a published post (5.3.2). */
export const ErroneousForm: FC<{
  post: PostView;
  csrf: string;
  state?: FormState | undefined;
  hours: number;
}> = ({ post, csrf, state, hours }) => (
  <section aria-labelledby="erroneous-title">
    <h2 id="erroneous-title">誤りを報告する</h2>
    <p>
      発信した投稿の誤りは、直ちに認めて訂正します（{clauseRef("5.3.2")}
      ）。報告すると、投稿の作成者とアカウント管理者に訂正のタスクが届き、{hours}
      時間以内（この市の設定）の訂正が求められます。
    </p>
    <form method="post" action={`/posts/${post.id}/erroneous`} class="stack" novalidate>
      <Csrf token={csrf} />
      <ErrorSummary state={state} />
      <TextArea
        name="note"
        label="誤りの内容"
        hint="どこがどう誤っているか、正しい内容が分かれば書いてください。"
        rows={5}
        state={state}
        required
      />
      <div class="actions">
        <button type="submit">誤りを報告する</button>
      </div>
    </form>
  </section>
);

/** A table of posts in the queue. */
export const QueueTable: FC<{
  items: Array<QueueItem & { correctionOverdue?: boolean }>;
  caption: string;
  when: "scheduled" | "approved" | "published" | "correction";
}> = ({ items, caption, when }) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">
            {when === "scheduled"
              ? "予約日時"
              : when === "approved"
                ? "承認日時"
                : when === "published"
                  ? "発信日時"
                  : "訂正の期限"}
          </th>
          <th scope="col">アカウント</th>
          <th scope="col">本文</th>
          <th scope="col">作成者</th>
          <th scope="col">次にすること</th>
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr>
            <td>
              {when === "scheduled" ? (
                <ScheduleText at={p.scheduledAt} overdue={p.overdue} />
              ) : when === "approved" ? (
                p.approvedAt ? (
                  <DateTime at={p.approvedAt} />
                ) : (
                  "—"
                )
              ) : when === "published" ? (
                p.publishedAt ? (
                  <DateTime at={p.publishedAt} />
                ) : (
                  "—"
                )
              ) : p.correctionDueAt ? (
                <>
                  <DateTime at={p.correctionDueAt} />{" "}
                  {p.correctionOverdue ? <Badge tone="error">期限超過</Badge> : null}
                </>
              ) : (
                "—"
              )}
            </td>
            <td>
              {p.accountName}
              <br />
              <span class="hint">{platformLabel(p.platform)}</span>
            </td>
            <td>
              <a href={`/posts/${p.id}`}>{excerpt(p.text)}</a> <CorrectedBadge correction={p.corrected} />
            </td>
            <td>{p.authorName}</td>
            <td>
              {when === "correction" ? (
                <a href={`/posts/${p.id}`}>訂正を作成・確認する</a>
              ) : (
                <a href={`/posts/${p.id}/publish`}>
                  {when === "published" ? "URLを記録する" : "発信を記録する"}
                </a>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
