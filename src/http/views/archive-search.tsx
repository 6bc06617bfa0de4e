/**
 * The archive search page (/posts/archive): the conditions as a plain GET form, the results newest
 * first with keyset page links, and the exports for information-disclosure requests (情報公開請求)
 * for those who may make them. Works without JavaScript.
 */
import type { FC } from "hono/jsx";
import type { ArchivePage } from "../../app/posts/archive.ts";
import {
  type ArchiveFilter,
  categoryLabel,
  clauseLabel,
  dateFieldLabels,
  filterHref,
  filterParams,
  findingClauses,
  findingClausesOf,
  kindLabels,
  severityLabels,
  statusLabel,
} from "../../app/posts/archive-filter.ts";
import type { AccountChoice, ArchiveRow } from "../../db/repos/archive.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { type PostStatus, postCategories, postCategoryLabels, postStatuses } from "../../domain/posts.ts";
import { platformLabel } from "../../guideline/pack.ts";
import {
  Badge,
  Checkbox,
  ErrorSummary,
  type FormState,
  type Option,
  SelectField,
  TextField,
} from "./components.tsx";
import { DateTime } from "./dates.tsx";

/** How a status looks as a badge. */
export function statusTone(status: PostStatus): "ok" | "warn" | "error" | "muted" {
  if (status === "published" || status === "approved") return "ok";
  if (status === "pending") return "warn";
  if (status === "returned") return "error";
  return "muted";
}

const excerpt = (text: string, max = 80) => {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
};

const Findings: FC<{ findings: unknown }> = ({ findings }) => {
  const list = findingClausesOf(findings);
  if (list.length === 0) return <span>なし</span>;
  return (
    <ul class="report-inline-list">
      {list.map((f) => (
        <li>
          <Badge tone={f.severity === "error" ? "error" : f.severity === "warning" ? "warn" : "muted"}>
            {`${clauseRef(f.clause)} ${severityLabels[f.severity] ?? f.severity}`}
          </Badge>
        </li>
      ))}
    </ul>
  );
};

const ResultRow: FC<{ row: ArchiveRow }> = ({ row }) => (
  <tr>
    <td class="num">
      <a href={`/posts/${row.id}`}>{row.id}</a>
    </td>
    <td>
      <DateTime at={row.createdAt} />
    </td>
    <td>
      {row.accountName}
      <br />
      <small>{platformLabel(row.platform)}</small>
    </td>
    <td>{row.divisionName}</td>
    <td>
      {categoryLabel(row.category)}
      {row.kind === "correction" ? (
        <>
          {" "}
          <Badge tone="warn">{kindLabels.correction}</Badge>
        </>
      ) : null}
    </td>
    <td>
      <Badge tone={statusTone(row.status)}>{statusLabel(row.status)}</Badge>
      {row.erroneousAt ? (
        <>
          {" "}
          <Badge tone="error">誤りの指摘あり</Badge>
        </>
      ) : null}
    </td>
    <td>{excerpt(row.text)}</td>
    <td>
      <Findings findings={row.findings} />
    </td>
    <td>{row.publishedAt ? <DateTime at={row.publishedAt} /> : "—"}</td>
  </tr>
);

/** Everything the search page shows. */
export type ArchiveSearchProps = {
  /** The validated conditions, or undefined when they were refused (see `state`). */
  filter: ArchiveFilter | undefined;
  /** The conditions as typed, with the problems, when refused. */
  state: FormState | undefined;
  /** The raw query (to re-show what was typed). */
  query: Record<string, string>;
  page: ArchivePage | undefined;
  accounts: AccountChoice[];
  mayExport: boolean;
};

/** The archive search page's content. */
export const ArchiveSearch: FC<ArchiveSearchProps> = (props) => {
  const q = props.query;
  const divisions = new Map<number, string>();
  for (const a of props.accounts) divisions.set(a.divisionId, a.divisionName);
  const accountOptions: Option[] = props.accounts.map((a) => ({
    value: String(a.id),
    label: `${a.name}（${platformLabel(a.platform)}・${a.divisionName}）`,
  }));
  const divisionOptions: Option[] = [...divisions].map(([id, name]) => ({ value: String(id), label: name }));
  const page = props.page;
  const filter = props.filter;
  return (
    <>
      <p class="breadcrumb">
        <a href="/posts">投稿</a> › 投稿の記録
      </p>
      <h1>投稿の記録（検索・情報公開請求への対応）</h1>
      <p>
        投稿の本文、保存したすべての版とそのときのチェック結果、承認・差戻しの記録、事後報告の確認、発信・削除の記録、誤りの指摘と訂正は、すべて保存されています。条件を指定して検索できます。情報公開請求には、検索結果をCSVまたは印刷用レポート（1投稿ごとに改ページ）で書き出してください。
      </p>
      <ErrorSummary state={props.state} />
      <form method="get" action="/posts/archive" class="filters" aria-label="投稿の検索条件">
        <TextField
          name="q"
          label="本文に含む語句"
          type="search"
          value={q.q}
          state={props.state}
          maxlength={100}
        />
        <SelectField
          name="accountId"
          label="アカウント"
          options={accountOptions}
          blank="すべて"
          value={q.accountId}
          state={props.state}
        />
        <SelectField
          name="divisionId"
          label="所管課"
          options={divisionOptions}
          blank="すべて"
          value={q.divisionId}
          state={props.state}
        />
        <SelectField
          name="dateField"
          label="期間の対象"
          options={[
            { value: "created", label: dateFieldLabels.created },
            { value: "published", label: dateFieldLabels.published },
          ]}
          value={q.dateField}
          state={props.state}
        />
        <TextField name="from" label="期間の始まり" type="date" value={q.from} state={props.state} />
        <TextField name="to" label="期間の終わり" type="date" value={q.to} state={props.state} />
        <SelectField
          name="status"
          label="状態"
          options={postStatuses.map((s) => ({ value: s, label: statusLabel(s) }))}
          blank="すべて"
          value={q.status}
          state={props.state}
        />
        <SelectField
          name="category"
          label="区分"
          options={postCategories.map((c) => ({ value: c, label: postCategoryLabels[c] }))}
          blank="すべて"
          value={q.category}
          state={props.state}
        />
        <SelectField
          name="kind"
          label="種別"
          options={[
            { value: "post", label: kindLabels.post },
            { value: "correction", label: "訂正（第5-3(3)）" },
          ]}
          blank="すべて"
          value={q.kind}
          state={props.state}
        />
        <SelectField
          name="clause"
          label="チェック結果の条項"
          hint="現在の本文か、過去のいずれかの版で指摘された条項"
          options={findingClauses.map((c) => ({ value: c.id, label: clauseLabel(c.id) }))}
          blank="指定しない"
          value={q.clause}
          state={props.state}
        />
        <Checkbox
          name="erroneous"
          value="1"
          label="誤りの指摘がある投稿（第5-3(2)）"
          checked={filter ? filter.erroneous : ["1", "on", "true"].includes(q.erroneous ?? "")}
        />
        <button type="submit">検索する</button>
      </form>
      {filter && props.mayExport ? (
        <div class="actions">
          <a class="button secondary" href={filterHref("/posts/archive/export.csv", filter)}>
            検索結果をCSVで書き出す
          </a>
          <a class="button secondary" href={filterHref("/posts/archive/report", filter)}>
            印刷用レポートを表示
          </a>
          <span class="hint">
            書き出すと、条件と件数が監査ログに記録されます。CSVは1万件、レポートは200件までです。
          </span>
        </div>
      ) : null}
      {page && filter ? <Results page={page} filter={filter} /> : null}
    </>
  );
};

const Results: FC<{ page: ArchivePage; filter: ArchiveFilter }> = ({ page, filter }) => {
  const total = page.total.capped
    ? `${page.total.count.toLocaleString("ja-JP")}件以上`
    : `${page.total.count.toLocaleString("ja-JP")}件`;
  const params = filterParams(filter);
  return (
    <>
      <div class="table-wrap">
        <table>
          <caption>{`検索結果（${total}、作成日時の新しい順）`}</caption>
          <thead>
            <tr>
              <th scope="col">番号</th>
              <th scope="col">作成日時</th>
              <th scope="col">アカウント</th>
              <th scope="col">所管課</th>
              <th scope="col">区分</th>
              <th scope="col">状態</th>
              <th scope="col">本文</th>
              <th scope="col">チェック結果</th>
              <th scope="col">発信日時</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row) => (
              <ResultRow row={row} />
            ))}
          </tbody>
        </table>
      </div>
      {page.rows.length === 0 ? (
        <p>条件に合う投稿はありません。条件を減らしてもう一度検索してください。</p>
      ) : null}
      {page.prev || page.next ? (
        <nav class="pagination" aria-label="検索結果のページ送り">
          {page.prev ? <a href={filterHref("/posts/archive", filter)}>最新の投稿へ</a> : null}
          {page.prev ? (
            <a href={filterHref("/posts/archive", filter, { ...params, before: page.prev })}>新しい50件</a>
          ) : null}
          {page.next ? (
            <a href={filterHref("/posts/archive", filter, { ...params, after: page.next })}>古い50件</a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
};
