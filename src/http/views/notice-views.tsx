/**
 * Views of change and closure notices (4.5): the checklist of steps, the facts of one notice,
 * the forms for each step (request, notify the policy director, schedule the announcement with
 * the checker's findings, record the notification to the security director, cancel) and the
 * table of all notices. Pure presentation: everything arrives as props.
 */
import type { FC } from "hono/jsx";
import type { NoticeEntry } from "../../app/notices/read.ts";
import type { Finding } from "../../checker/index.ts";
import type { FilingView } from "../../db/repos/filings.ts";
import type { NoticeView } from "../../db/repos/notices.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatDate, formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { earliestEffectiveDate, latestAnnouncementDate } from "../../domain/deadlines.ts";
import {
  type ChecklistState,
  cancelProblem,
  detailLabels,
  effectiveDateLabel,
  type NoticeDetails,
  type NoticeKind,
  noticeKindLabels,
  noticeStatusLabel,
} from "../../domain/notices.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { findingLine } from "../client/findings-model.ts";
import {
  Badge,
  Csrf,
  ErrorSummary,
  type FormState,
  type Option,
  SelectField,
  TextArea,
  TextField,
} from "./components.tsx";
import { DateText, DateTime } from "./dates.tsx";
import { FilingStatusBadge } from "./filing-views.tsx";

const stateBadges: Record<ChecklistState, { tone: "ok" | "warn" | "error" | "muted"; label: string }> = {
  done: { tone: "ok", label: "完了" },
  todo: { tone: "warn", label: "対応が必要" },
  auto: { tone: "muted", label: "自動（予定）" },
  waiting: { tone: "muted", label: "未着手" },
  skipped: { tone: "muted", label: "取消のため実施せず" },
  late: { tone: "error", label: "期限後・未了" },
};

/** The status of a notice as a badge. */
export const NoticeStatusBadge: FC<{ notice: Pick<NoticeView, "kind" | "status"> }> = ({ notice }) => {
  const tone =
    notice.status === "effective"
      ? "ok"
      : notice.status === "cancelled"
        ? "muted"
        : notice.status === "requested" || notice.status === "notified"
          ? "warn"
          : "ok";
  return <Badge tone={tone}>{noticeStatusLabel(notice.kind, notice.status)}</Badge>;
};

/** 「アカウント名: 「新しい名前」」… one line per changed field. */
export const DetailsList: FC<{ details: NoticeDetails }> = ({ details }) => {
  const rows: Array<[string, string]> = [];
  if (details.name) rows.push([detailLabels.name, details.name]);
  if (details.alias) rows.push([detailLabels.alias, details.alias]);
  if (details.handle) rows.push([detailLabels.handle, details.handle]);
  if (details.platform) rows.push([detailLabels.platform, platformLabel(details.platform)]);
  if (details.url) rows.push([detailLabels.url, details.url]);
  if (rows.length === 0) return <>—</>;
  return (
    <ul>
      {rows.map(([label, value]) => (
        <li>
          {label}: <span class={label === detailLabels.url ? "mono" : undefined}>{value}</span>
        </li>
      ))}
    </ul>
  );
};

const Checklist: FC<{ entry: NoticeEntry; headingId: string }> = ({ entry, headingId }) => (
  <ol aria-labelledby={headingId}>
    {entry.checklist.map((item) => (
      <li>
        <strong>{item.label}</strong>{" "}
        <Badge tone={stateBadges[item.state].tone}>{stateBadges[item.state].label}</Badge> {item.detail}（
        {clauseRef(item.clause)}）
      </li>
    ))}
  </ol>
);

const severityLabels: Record<Finding["severity"], { tone: "error" | "warn" | "muted"; label: string }> = {
  error: { tone: "error", label: "要修正" },
  warning: { tone: "warn", label: "注意" },
  info: { tone: "muted", label: "参考" },
};

/** The checker's findings on the announcement draft. */
export const Findings: FC<{ findings: Finding[] }> = ({ findings }) => {
  if (findings.length === 0) return <p>チェックの結果、問題は見つかりませんでした。</p>;
  return (
    <ul>
      {findings.map((f) => (
        <li>
          <Badge tone={severityLabels[f.severity].tone}>{severityLabels[f.severity].label}</Badge>{" "}
          {findingLine(f)}
          {f.hint ? <span class="hint"> {f.hint}</span> : null}
        </li>
      ))}
    </ul>
  );
};

/** The forms a person may need on one notice, with any error from the last attempt. */
export type NoticeForms = {
  /** An error from a button without fields (notify, cancel) on notice `noticeId`. */
  action?: { noticeId: number; state: FormState };
  schedule?: { noticeId: number; state: FormState };
  security?: { noticeId: number; state: FormState };
  policy?: { noticeId: number; state: FormState };
  keep?: { noticeId: number; state: FormState };
};

const ScheduleForm: FC<{
  entry: NoticeEntry;
  csrf: string;
  today: string;
  months: number;
  state: FormState | undefined;
}> = ({ entry, csrf, today, months, state }) => {
  const n = entry.notice;
  const label = effectiveDateLabel(n.kind);
  const latest = latestAnnouncementDate(n.effectiveDate, months);
  const hint =
    latest >= today
      ? `${label}（${formatDate(n.effectiveDate)}）に間に合う周知日は${formatDate(latest)}までです。今日周知すると、${label}は${formatDate(earliestEffectiveDate(today, months))}以降にできます（${clauseRef("4.5.2")}）。`
      : `${label}（${formatDate(n.effectiveDate)}）までの周知期間が足りません。${label}を${formatDate(earliestEffectiveDate(today, months))}以降に変更してください（${clauseRef("4.5.2")}）。`;
  return (
    <section aria-labelledby={`schedule-${n.id}-title`}>
      <h3 id={`schedule-${n.id}-title`}>周知日の設定</h3>
      <ErrorSummary state={state} />
      <form method="post" action={`/notices/${n.id}/schedule`} class="stack" novalidate>
        <Csrf token={csrf} />
        <TextField
          name="announcementDate"
          label="周知日"
          type="date"
          hint={hint}
          value={n.announcementDate ?? (latest >= today ? today : "")}
          state={state}
          required
        />
        <TextField
          name="effectiveDate"
          label={label}
          type="date"
          hint={`変更する場合だけ書き換えてください。周知日から${months === 1 ? "一月" : `${months}か月`}以上あける必要があります。`}
          value={n.effectiveDate}
          state={state}
          required
        />
        <TextArea
          name="announcementText"
          label="告知投稿の文案"
          hint="テンプレートから作成した文案です。必要に応じて編集してください。「要修正」の指摘があるうちは周知日を設定できません。"
          rows={7}
          value={entry.draft?.text ?? ""}
          state={state}
          required
        />
        <div>
          <p>
            <strong>文案のチェック結果</strong>
          </p>
          <Findings findings={entry.draft?.findings ?? []} />
        </div>
        <div class="actions">
          <button type="submit">{n.status === "scheduled" ? "周知日を変更する" : "周知日を設定する"}</button>
        </div>
      </form>
    </section>
  );
};

/** The manager's form to send a 届出 to a director (4.5.1). */
const FilingSendForm: FC<{
  action: string;
  title: string;
  intro: string;
  button: string;
  id: string;
  csrf: string;
  state: FormState | undefined;
}> = ({ action, title, intro, button, id, csrf, state }) => (
  <section aria-labelledby={`${id}-title`}>
    <h3 id={`${id}-title`}>{title}</h3>
    <p>{intro}</p>
    <ErrorSummary state={state} />
    <form method="post" action={action} class="stack" novalidate>
      <Csrf token={csrf} />
      <TextArea name="message" label="コメント（任意）" rows={2} state={state} />
      <div class="actions">
        <button type="submit">{button}</button>
      </div>
    </form>
  </section>
);

/** Where a 届出 stands, with a link to it (and to the answer form when it was questioned). */
const FilingStatusLine: FC<{ filing: FilingView | undefined; director: string; canAnswer: boolean }> = ({
  filing,
  director,
  canAnswer,
}) => {
  if (!filing || filing.status === "withdrawn" || filing.status === "superseded") return null;
  return (
    <div class={filing.status === "questioned" ? "notice notice-warning" : undefined}>
      <p>
        {director}への届出（第{filing.round}回、
        <DateTime at={filing.sentAt} /> 送付）: <FilingStatusBadge status={filing.status} />
        {filing.confirmedAt
          ? ` ${formatDateTime(filing.confirmedAt)} ${filing.confirmedByName ?? ""} が確認`
          : ""}
        {filing.status === "questioned" ? ` 質問: ${filing.question}` : ""}{" "}
        <a href={`/filings/${filing.id}`}>
          {filing.status === "questioned" && canAnswer ? "回答して再送する" : "届出を見る"}
        </a>
      </p>
    </div>
  );
};

/** The announcement post on the account (4.5.2): where it stands, or the button to draft it. */
const SnsPanel: FC<{ entry: NoticeEntry; canDraft: boolean; csrf: string; months: number }> = ({
  entry,
  canDraft,
  csrf,
  months,
}) => {
  const n = entry.notice;
  const latest = latestAnnouncementDate(n.effectiveDate, months);
  const post = entry.post;
  return (
    <section aria-labelledby={`sns-${n.id}-title`}>
      <h3 id={`sns-${n.id}-title`}>アカウントでの周知（{clauseRef("4.5.2")}）</h3>
      {n.snsPublishedAt ? null : (
        <p>
          このアカウント自身でも、
          <DateText date={latest} />
          までに告知投稿を発信してください（
          {effectiveDateLabel(n.kind)}の一月以上前）。発信を記録すると、ここに反映されます。
        </p>
      )}
      {n.snsPublishedAt ? (
        <p>
          <DateTime at={n.snsPublishedAt} /> に発信しました
          {n.snsPublishedUrl ? (
            <>
              （<span class="mono">{n.snsPublishedUrl}</span>）
            </>
          ) : null}
          。{tokyoDate(n.snsPublishedAt) > latest ? <Badge tone="error">期限後の発信</Badge> : null}
        </p>
      ) : post ? (
        <p>
          告知投稿: <a href={`/posts/${post.id}`}>投稿 番号{post.id}</a>（
          {post.scheduledAt ? (
            <>
              予約 <DateTime at={post.scheduledAt} />、
            </>
          ) : (
            ""
          )}
          {postStatusWord(post.status)}）
        </p>
      ) : canDraft ? (
        <form method="post" action={`/notices/${n.id}/announcement-post`} class="actions">
          <Csrf token={csrf} />
          <button type="submit" class="secondary">
            告知文から投稿の下書きを作成する
          </button>
        </form>
      ) : (
        <p class="hint">
          このアカウントの運用に携わる職員が、告知文から投稿の下書きを作成します（{clauseRef("3")}）。
        </p>
      )}
    </section>
  );
};

function postStatusWord(status: string): string {
  const words: Record<string, string> = {
    draft: "下書き",
    pending: "承認待ち",
    returned: "差戻し",
    rejected: "却下",
    approved: "承認済み・発信待ち",
    published: "発信済み",
    deleted: "削除済み",
  };
  return words[status] ?? status;
}

/** One notice on the account's page: its facts, checklist, draft and the forms for its next step. */
export const NoticeSection: FC<{
  entry: NoticeEntry;
  canManage: boolean;
  canDraftPost: boolean;
  csrf: string;
  today: string;
  months: number;
  forms: NoticeForms;
}> = ({ entry, canManage, canDraftPost, csrf, today, months, forms }) => {
  const n = entry.notice;
  const titleId = `notice-${n.id}-title`;
  const stepsId = `notice-${n.id}-steps`;
  const label = effectiveDateLabel(n.kind);
  const policy = entry.filings.policy[0];
  const security = entry.filings.security[0];
  const open = (f: FilingView | undefined) => !f || f.status === "withdrawn" || f.status === "superseded";
  const showPolicyForm = canManage && n.status === "requested" && open(policy);
  const showSecurityForm = canManage && entry.security?.status === "open" && open(security);
  const showKeep = canManage && entry.keep?.status === "open";
  const mine = (form: { noticeId: number; state: FormState } | undefined) =>
    form?.noticeId === n.id ? form.state : undefined;
  // An error from a form that is not on the page (the step is not open yet) shows at the top.
  const actionState =
    mine(forms.action) ??
    (!(canManage && entry.draft) ? mine(forms.schedule) : undefined) ??
    (!showPolicyForm ? mine(forms.policy) : undefined) ??
    (!showSecurityForm ? mine(forms.security) : undefined) ??
    (!showKeep ? mine(forms.keep) : undefined);
  const cancellable = canManage && cancelProblem(n, today) === null;
  const snsOpen = n.status === "scheduled" || n.status === "announced" || n.status === "effective";
  return (
    <section id={`notice-${n.id}`} class="card" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {noticeKindLabels[n.kind]}の申請（{label} <DateText date={n.effectiveDate} />）
      </h2>
      <p>
        <NoticeStatusBadge notice={n} /> <a href={`/notices/${n.id}/document`}>申請書を見る・印刷する</a>
      </p>
      <ErrorSummary state={actionState} />
      <dl class="facts">
        <dt>種類</dt>
        <dd>{noticeKindLabels[n.kind]}</dd>
        <dt>{label}</dt>
        <dd>
          <DateText date={n.effectiveDate} />
        </dd>
        {n.kind === "change" ? (
          <>
            <dt>変更の内容</dt>
            <dd>
              <DetailsList details={n.details} />
            </dd>
          </>
        ) : null}
        <dt>理由</dt>
        <dd>{n.reason || "—"}</dd>
        <dt>周知日</dt>
        <dd>{n.announcementDate ? <DateText date={n.announcementDate} /> : "未設定"}</dd>
        <dt>公開ページへの掲載</dt>
        <dd>
          {n.announcementDate && n.displayUntil
            ? `${formatDate(n.announcementDate)}から${formatDate(n.displayUntil)}まで（${clauseRef("4.5.2")}）`
            : "周知日の設定後に決まります"}
        </dd>
      </dl>
      <h3 id={stepsId}>手続きの状況</h3>
      <Checklist entry={entry} headingId={stepsId} />
      <FilingStatusLine filing={policy} director="総合政策部長" canAnswer={canManage} />
      {showPolicyForm ? (
        <FilingSendForm
          id={`policy-${n.id}`}
          action={`/notices/${n.id}/notify-policy-director`}
          title="総合政策部長への届出"
          intro={`周知する前に、総合政策部長へ${noticeKindLabels[n.kind]}を届け出てください（${clauseRef("4.5.1")}）。届出は総合政策部長に通知され、総合政策部長が確認すると周知日を設定できます。`}
          button="総合政策部長へ届け出る"
          csrf={csrf}
          state={mine(forms.policy)}
        />
      ) : null}
      {canManage && entry.draft ? (
        <ScheduleForm entry={entry} csrf={csrf} today={today} months={months} state={mine(forms.schedule)} />
      ) : null}
      {n.announcementText && snsOpen && n.status !== "effective" ? (
        <div class="field">
          <label for={`announcement-${n.id}`}>告知投稿の文案</label>
          <span class="hint" id={`announcement-${n.id}-hint`}>
            チェック済みの文案です。投稿の下書きにして、承認を得てから発信します（{clauseRef("4.5.2")}）。
          </span>
          <textarea
            id={`announcement-${n.id}`}
            rows={6}
            readonly
            aria-describedby={`announcement-${n.id}-hint`}
          >
            {n.announcementText}
          </textarea>
        </div>
      ) : null}
      {snsOpen ? <SnsPanel entry={entry} canDraft={canDraftPost} csrf={csrf} months={months} /> : null}
      <FilingStatusLine filing={security} director="情報統括管理者" canAnswer={canManage} />
      {showSecurityForm ? (
        <FilingSendForm
          id={`security-${n.id}`}
          action={`/notices/${n.id}/security-notification`}
          title="情報統括管理者への届出"
          intro={`周知した後は、速やかに情報統括管理者へ届け出てください（${clauseRef("4.5.1")}）。届出は情報統括管理者に通知され、確認されると記録に残ります。`}
          button="情報統括管理者へ届け出る"
          csrf={csrf}
          state={mine(forms.security)}
        />
      ) : null}
      {entry.security?.status === "done" && entry.security.note ? (
        <p>情報統括管理者への届出の備考: {entry.security.note}</p>
      ) : null}
      {showKeep && entry.keep ? (
        <section aria-labelledby={`keep-${n.id}-title`}>
          <h3 id={`keep-${n.id}-title`}>変更後の掲載（{clauseRef("4.5.2")} 変更後は１年程度）</h3>
          <p>
            {n.displayUntil ? <DateText date={n.displayUntil} /> : ""}
            まで、アカウントの固定投稿またはプロフィール欄に変更のお知らせを掲載し続けてください
            {n.snsPublishedUrl ? `（告知投稿: ${n.snsPublishedUrl}）` : ""}
            。市ホームページへの掲載は自動です。
            {entry.keep.dueDate ? (
              <>
                <DateText date={entry.keep.dueDate} />
                から外せます。
              </>
            ) : (
              ""
            )}
          </p>
          <ErrorSummary state={mine(forms.keep)} />
          <form method="post" action={`/notices/${n.id}/keep-done`} class="stack" novalidate>
            <Csrf token={csrf} />
            <TextArea name="note" label="メモ（任意）" rows={2} state={mine(forms.keep)} />
            <div class="actions">
              <button type="submit" class="secondary">
                掲載期間が終わり、お知らせを外したことを記録する
              </button>
            </div>
          </form>
        </section>
      ) : null}
      {cancellable ? (
        <form method="post" action={`/notices/${n.id}/cancel`}>
          <Csrf token={csrf} />
          <div class="actions">
            <button type="submit" class="secondary">
              この{noticeKindLabels[n.kind]}の申請を取り消す
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
};

/** The form to request a change or closure. */
export const RequestForm: FC<{
  accountId: number;
  kinds: NoticeKind[];
  csrf: string;
  earliest: string;
  platformOptions: Option[];
  state: FormState | undefined;
}> = ({ accountId, kinds, csrf, earliest, platformOptions, state }) => (
  <section aria-labelledby="request-title">
    <h2 id="request-title">変更・廃止の申請</h2>
    <p>
      アカウント名・通称・ユーザー名・URLの変更、別のソーシャルメディアへの移行、またはアカウントの廃止を申請します。周知する前に総合政策部長へ届け出て（
      {clauseRef("4.5.1")}）、
      <DateText date={earliest} />
      以降の日付であれば、変更日・廃止日の一月以上前に周知できます（{clauseRef("4.5.2")}）。
    </p>
    <ErrorSummary state={state} />
    <form method="post" action={`/accounts/${accountId}/notices`} class="stack" novalidate>
      <Csrf token={csrf} />
      <SelectField
        name="kind"
        label="種類"
        options={kinds.map((k) => ({ value: k, label: k === "change" ? "変更" : "廃止" }))}
        value={kinds[0]}
        state={state}
        required
      />
      <TextField
        name="effectiveDate"
        label="変更日・廃止日"
        type="date"
        hint={`今日周知を始めても、${formatDate(earliest)}より前にはできません（${clauseRef("4.5.2")}）。`}
        value={earliest}
        state={state}
        required
      />
      <TextArea name="reason" label="理由" rows={3} state={state} required />
      {kinds.includes("change") ? (
        <fieldset>
          <legend>変更する内容（変更の場合。変えない項目は空欄のまま）</legend>
          <TextField name="name" label="新しいアカウント名" state={state} />
          <TextField name="alias" label="新しい通称" state={state} />
          <TextField
            name="handle"
            label="新しいユーザー名（ハンドル）"
            hint="URLを入力した場合は、URLから読み取ります。"
            state={state}
          />
          <SelectField
            name="platform"
            label="移行先のソーシャルメディア"
            options={platformOptions}
            blank="移行しない"
            state={state}
          />
          <TextField
            name="url"
            label="新しいアカウントURL"
            type="url"
            hint="https:// から始まる正式なURLを入力してください。短縮URLは使えません。"
            state={state}
          />
        </fieldset>
      ) : null}
      <div class="actions">
        <button type="submit">申請する</button>
      </div>
    </form>
  </section>
);

/** The table of notices (the /notices list). */
export const NoticeTable: FC<{ notices: NoticeView[]; caption: string }> = ({ notices, caption }) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">アカウント</th>
          <th scope="col">所管</th>
          <th scope="col">種類</th>
          <th scope="col">変更日・廃止日</th>
          <th scope="col">周知日</th>
          <th scope="col">総合政策部長への届出</th>
          <th scope="col">状態</th>
        </tr>
      </thead>
      <tbody>
        {notices.map((n) => (
          <tr>
            <td>
              <a href={`/accounts/${n.accountId}/notices#notice-${n.id}`}>
                {n.accountName}（{platformLabel(n.accountPlatform)}）
              </a>
            </td>
            <td>
              {n.departmentName} {n.divisionName}
            </td>
            <td>{noticeKindLabels[n.kind]}</td>
            <td>
              <DateText date={n.effectiveDate} />
            </td>
            <td>{n.announcementDate ? <DateText date={n.announcementDate} /> : "未設定"}</td>
            <td>
              {n.status !== "requested" && n.status !== "cancelled" && n.policyDirectorNotifiedAt
                ? `${formatDate(tokyoDate(n.policyDirectorNotifiedAt))} 送付・確認済み`
                : n.policyDirectorNotifiedAt
                  ? `${formatDate(tokyoDate(n.policyDirectorNotifiedAt))} 送付${n.policyDirectorNotifiedByName ? `（${n.policyDirectorNotifiedByName}）` : ""}、確認待ち`
                  : "未届出"}
            </td>
            <td>
              <NoticeStatusBadge notice={n} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
