/**
 * The publishing side of one post, for the post page (`/posts/:id`) and the publishing pages:
 * the schedule time, when and where it went out and who recorded it, a removal with its reason,
 * corrections of the record (訂正履歴), an error report with its correction deadline (5.3.2),
 * 「訂正あり」 with a link to the correction (5.3.3), and the actions the person may take next. Pure
 * presentation.
 */
import type { FC } from "hono/jsx";
import type { PublishingInfo } from "../../app/posts/publishing-read.ts";
import type { PublishedCorrection, PublishingCorrection } from "../../db/repos/publishing.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { postStatusLabels } from "../../domain/posts.ts";
import { Badge, Csrf } from "./components.tsx";
import { DateTime } from "./dates.tsx";

/** 「訂正あり」 linked to the (first) published correction, for lists and pages. */
export const CorrectedBadge: FC<{ correction: Pick<PublishedCorrection, "id"> | null | undefined }> = ({
  correction,
}) =>
  correction ? (
    <a href={`/posts/${correction.id}`} class="badge badge-warn">
      訂正あり<span class="visually-hidden">（訂正の投稿を開く）</span>
    </a>
  ) : null;

/** The schedule time, with 予定時刻を過ぎています when it has passed. */
export const ScheduleText: FC<{ at: Date | null; overdue: boolean }> = ({ at, overdue }) =>
  at ? (
    <>
      <DateTime at={at} /> {overdue ? <Badge tone="error">予定時刻を過ぎています</Badge> : null}
    </>
  ) : (
    <>予約なし</>
  );

/** The link to report a problem with a post (7; the incidents feature builds the playbooks). */
export const IncidentLink: FC<{ postId: number }> = ({ postId }) => (
  <a href={`/incidents/new?postId=${postId}`}>この投稿についてインシデントを報告</a>
);

const shown = (at: Date | null) => (at ? formatDateTime(at) : "—");

/** One side of a corrected value: the value, or 「（変更なし）」 when it did not change. */
const Change: FC<{ before: string; after: string; url?: boolean }> = ({ before, after, url }) =>
  before === after ? (
    <span class="hint">
      変更なし（{url && after !== "—" ? <span class="public-url">{after}</span> : after}）
    </span>
  ) : (
    <>
      訂正前 <del class={url ? "public-url" : undefined}>{before}</del>
      <br />
      訂正後 <ins class={url ? "public-url" : undefined}>{after}</ins>
    </>
  );

/**
 * 訂正履歴: each correction of the publishing record, oldest first — when and by whom, the time and
 * the URL before and after, and why. The record is never rewritten silently.
 */
export const RecordHistory: FC<{ history: readonly PublishingCorrection[] }> = ({ history }) =>
  history.length === 0 ? null : (
    <section aria-labelledby="record-history-title" class="record-history">
      <h3 id="record-history-title">発信の記録の訂正履歴</h3>
      <p class="hint">
        訂正の古い順（{history.length}件）。上の「発信日時」「発信した投稿のURL」は訂正後の値です。
      </p>
      <ol class="timeline">
        {history.map((h) => (
          <li>
            <strong>第{h.seq}回の訂正</strong>　<DateTime at={h.correctedAt} />・{h.correctedByName ?? "—"}
            <dl class="facts">
              <dt>発信日時</dt>
              <dd>
                <Change before={shown(h.publishedAtBefore)} after={shown(h.publishedAtAfter)} />
              </dd>
              <dt>発信した投稿のURL</dt>
              <dd>
                <Change before={h.publishedUrlBefore ?? "—"} after={h.publishedUrlAfter ?? "—"} url />
              </dd>
              <dt>理由</dt>
              <dd class="public-text">{h.reason}</dd>
            </dl>
          </li>
        ))}
      </ol>
    </section>
  );

const ErrorReport: FC<{ info: PublishingInfo }> = ({ info }) => {
  const e = info.erroneous;
  if (!e) return null;
  const tone = e.answered ? "notice-info" : "notice-warning";
  return (
    <div class={`notice ${tone}`}>
      <h3>誤りの報告（{clauseRef("5.3.2")}）</h3>
      <dl class="facts">
        <dt>報告日時</dt>
        <dd>
          <DateTime at={e.at} />
          {e.byName ? `（${e.byName}さん）` : ""}
        </dd>
        <dt>誤りの内容</dt>
        <dd class="public-text">{e.note}</dd>
        <dt>訂正の期限</dt>
        <dd>
          {e.dueAt ? <DateTime at={e.dueAt} /> : "—"}{" "}
          {e.answered ? (
            <Badge tone="ok">訂正済み</Badge>
          ) : e.overdue ? (
            <Badge tone="error">期限超過</Badge>
          ) : (
            <Badge tone="warn">訂正待ち</Badge>
          )}
        </dd>
      </dl>
      {e.answered ? null : (
        <p>
          誤りは直ちに認めて訂正し、訂正したことを明記します（{clauseRef("5.3.2")}、{clauseRef("5.3.3")}
          ）。訂正の投稿は、通常の投稿と同じくアカウント管理者の承認を得て発信します。
        </p>
      )}
    </div>
  );
};

/**
 * The publishing panel of a post. Place it on the post page below the post's text:
 * `<PublishingPanel info={await publishingInfo(ctx, { actor, postId })} csrf={csrfOf(c)} />`.
 */
export const PublishingPanel: FC<{ info: PublishingInfo; csrf: string }> = ({ info, csrf }) => {
  const { post, actions } = info;
  const out = post.status === "published" || post.status === "deleted";
  const inProgress = info.corrections.filter((c) => c.status !== "published" && c.status !== "deleted");
  return (
    <section aria-labelledby="publishing-title">
      <h2 id="publishing-title">
        発信の記録 {info.published.length > 0 ? <CorrectedBadge correction={info.published[0]} /> : null}
      </h2>
      <dl class="facts">
        <dt>状態</dt>
        <dd>{postStatusLabels[post.status]}</dd>
        {post.status === "approved" || post.scheduledAt ? (
          <>
            <dt>予約日時</dt>
            <dd>
              <ScheduleText at={post.scheduledAt} overdue={info.overdueSchedule} />
            </dd>
          </>
        ) : null}
        {out ? (
          <>
            <dt>発信日時</dt>
            <dd>{post.publishedAt ? <DateTime at={post.publishedAt} /> : "—"}</dd>
            <dt>発信した投稿のURL</dt>
            <dd class="public-url">
              {post.publishedUrl ? (
                <>
                  <a href={post.publishedUrl} rel="noopener noreferrer">
                    {post.publishedUrl}
                  </a>
                  {info.urlScope === "host" ? (
                    <span class="hint">
                      {" "}
                      このURLがこのアカウントの投稿であることは、システムでは確認できません（URLにアカウント名が含まれないため）。
                    </span>
                  ) : null}
                </>
              ) : info.urlRequired ? (
                <Badge tone="warn">URL未記録</Badge>
              ) : (
                "なし（公開されたURLのない投稿）"
              )}
            </dd>
            <dt>記録した職員</dt>
            <dd>{info.publishedByName ?? "—"}</dd>
          </>
        ) : null}
        {post.status === "deleted" ? (
          <>
            <dt>削除日時</dt>
            <dd>{post.deletedAt ? <DateTime at={post.deletedAt} /> : "—"}</dd>
            <dt>削除した理由</dt>
            <dd class="public-text">{post.deletedReason ?? ""}</dd>
          </>
        ) : null}
        {info.corrects ? (
          <>
            <dt>訂正の対象</dt>
            <dd>
              <a href={`/posts/${info.corrects.id}`}>訂正する元の投稿（#{info.corrects.id}）</a>
            </dd>
          </>
        ) : null}
        {info.published.length > 0 ? (
          <>
            <dt>訂正</dt>
            <dd>
              <ul>
                {info.published.map((c) => (
                  <li>
                    <a href={`/posts/${c.id}`}>訂正の投稿（#{c.id}）</a>
                    {c.publishedAt ? (
                      <>
                        　<DateTime at={c.publishedAt} />
                        に発信
                      </>
                    ) : (
                      ""
                    )}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {inProgress.length > 0 ? (
          <>
            <dt>作成中の訂正</dt>
            <dd>
              <ul>
                {inProgress.map((c) => (
                  <li>
                    <a href={`/posts/${c.id}`}>訂正の投稿（#{c.id}）</a>　{postStatusLabels[c.status]}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      <RecordHistory history={info.history} />
      <ErrorReport info={info} />
      {post.status === "approved" ? (
        <p class="hint">
          このシステムはプラットフォームへの投稿を行いません。承認された投稿をプラットフォームで発信したら、その投稿のURLを記録してください。予約日時になると、作成者にタスクでお知らせします。
        </p>
      ) : null}
      <div class="actions">
        {actions.recordPublishing ? (
          <a class="button" href={`/posts/${post.id}/publish`}>
            発信を記録する
          </a>
        ) : null}
        {actions.recordUrl ? (
          <a class="button" href={`/posts/${post.id}/publish`}>
            発信した投稿のURLを記録する
          </a>
        ) : null}
        {actions.reschedule ? (
          <a href={`/posts/${post.id}/publish#schedule-title`}>予約日時を変更する</a>
        ) : null}
        {actions.startCorrection ? (
          <form method="post" action={`/posts/${post.id}/correction`}>
            <Csrf token={csrf} />
            <button type="submit">訂正の投稿を作成する</button>
          </form>
        ) : null}
        {actions.markErroneous ? <a href={`/posts/${post.id}/erroneous`}>誤りを報告する</a> : null}
        {actions.recordDeletion ? (
          <a href={`/posts/${post.id}/delete`}>プラットフォームからの削除を記録する</a>
        ) : null}
        {actions.correctRecord ? (
          <a href={`/posts/${post.id}/publishing/correct`}>発信の記録を訂正する</a>
        ) : null}
        <IncidentLink postId={post.id} />
      </div>
    </section>
  );
};
