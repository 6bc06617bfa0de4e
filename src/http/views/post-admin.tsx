/**
 * The account manager's pages about approval (5.1.4): an account's pre-approved scopes (予め範囲
 * を決めた許可) with the form to define one, and the deputies named for an absence with the form
 * to name one.
 */
import type { FC } from "hono/jsx";
import type { DeputyPage } from "../../app/posts/deputies.ts";
import { scopeCategories, scopeFields } from "../../app/posts/scopes.ts";
import type { PostScope } from "../../db/repos/posts.ts";
import { postCategories, postCategoryShort } from "../../domain/posts.ts";
import {
  Badge,
  Checkbox,
  Csrf,
  ErrorSummary,
  FieldError,
  type FormState,
  fieldErrorId,
  issueFor,
  SelectField,
  TextArea,
  TextField,
} from "./components.tsx";
import { DateText } from "./dates.tsx";

/** Rows of the scope form (blank rows are ignored). */
export const SCOPE_FIELD_ROWS = 5;

/** The scopes of an account. */
export const ScopeTable: FC<{
  scopes: readonly PostScope[];
  today: string;
  accountId: number;
  csrf: string;
  canManage: boolean;
  canDraft: boolean;
}> = ({ scopes, today, accountId, csrf, canManage, canDraft }) =>
  scopes.length === 0 ? (
    <p>このアカウントには、範囲の許可はまだありません。</p>
  ) : (
    <div class="table-wrap">
      <table>
        <caption>範囲の許可の一覧</caption>
        <thead>
          <tr>
            <th scope="col">名前</th>
            <th scope="col">テンプレートと項目</th>
            <th scope="col">区分・リンク</th>
            <th scope="col">有効期限</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {scopes.map((s) => {
            const inForce = s.active && s.validUntil >= today;
            return (
              <tr>
                <th scope="row">{s.name}</th>
                <td>
                  <p class="public-text">{s.template}</p>
                  <ul>
                    {scopeFields(s.fields).map((f) => (
                      <li>
                        {`{${f.name}}`}: {f.label}
                        {f.pattern ? `（形式: ${f.pattern}）` : ""}
                        {f.maxLength ? `（${f.maxLength}文字以内）` : ""}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {scopeCategories(s.categories)
                    .map((c) => postCategoryShort[c])
                    .join("、")}
                  <br />
                  {s.cityLinksOnly ? "市のサイトへのリンクのみ" : "リンクの制限なし"}
                </td>
                <td>
                  <DateText date={s.validUntil} />
                  まで{" "}
                  {!s.active ? (
                    <Badge tone="muted">取り消し済み</Badge>
                  ) : s.validUntil < today ? (
                    <Badge tone="error">期限切れ</Badge>
                  ) : (
                    <Badge tone="ok">有効</Badge>
                  )}
                </td>
                <td>
                  <div class="actions">
                    {canDraft && inForce ? (
                      <a class="button" href={`/posts/new?scope=${s.id}`}>
                        「{s.name}」で投稿を作成
                      </a>
                    ) : null}
                    {canManage && s.active ? (
                      <form method="post" action={`/accounts/${accountId}/scopes/${s.id}/revoke`}>
                        <Csrf token={csrf} />
                        <button type="submit" class="secondary">
                          「{s.name}」を取り消す
                        </button>
                      </form>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );

/** The form to define a scope. */
export const ScopeForm: FC<{ accountId: number; csrf: string; state: FormState }> = ({
  accountId,
  csrf,
  state,
}) => {
  const chosen = (state.values.categories ?? "normal").split(",");
  const categoriesError = issueFor(state, "categories");
  return (
    <form method="post" action={`/accounts/${accountId}/scopes`} class="stack" novalidate>
      <Csrf token={csrf} />
      <ErrorSummary state={state} />
      <TextField name="name" label="範囲の名前" hint="例: ごみ収集日のお知らせ" state={state} required />
      <TextArea
        name="template"
        label="テンプレート"
        hint="投稿の本文です。投稿ごとに変わる部分は {date} のように半角英数字の記号を波かっこで囲み、下の項目で名前と形式を定めます。"
        state={state}
        rows={4}
        required
      />
      <fieldset class="field">
        <legend>項目（テンプレートの {"{記号}"} ごとに1行）</legend>
        {Array.from({ length: SCOPE_FIELD_ROWS }, (_, i) => (
          <div class="cards">
            <TextField name={`field_name_${i}`} label={`項目${i + 1}の記号`} hint="例: date" state={state} />
            <TextField
              name={`field_label_${i}`}
              label={`項目${i + 1}の名前`}
              hint="例: 収集日"
              state={state}
            />
            <TextField
              name={`field_pattern_${i}`}
              label={`項目${i + 1}の形式（任意・正規表現）`}
              hint="例: \d{1,2}月\d{1,2}日"
              state={state}
            />
            <TextField
              type="number"
              name={`field_maxLength_${i}`}
              label={`項目${i + 1}の最大文字数（任意）`}
              state={state}
            />
          </div>
        ))}
      </fieldset>
      <fieldset
        class="field"
        id="f-categories"
        aria-describedby={categoriesError ? fieldErrorId("categories") : undefined}
      >
        <legend>
          この範囲で投稿できる区分<span class="required">必須</span>
        </legend>
        <FieldError name="categories" state={state} />
        {postCategories.map((c) => (
          <Checkbox name="categories" value={c} label={postCategoryShort[c]} checked={chosen.includes(c)} />
        ))}
      </fieldset>
      <Checkbox
        name="cityLinksOnly"
        label="市のサイト以外へのリンクを含む投稿は対象外にする"
        checked={(state.values.cityLinksOnly ?? "on") === "on"}
      />
      <TextField type="date" name="validUntil" label="有効期限" state={state} required />
      <div class="actions">
        <button type="submit">範囲の許可を登録する</button>
      </div>
    </form>
  );
};

/** The deputies named, with revoke buttons. */
export const DeputyTable: FC<{ page: DeputyPage; csrf: string }> = ({ page, csrf }) =>
  page.deputies.length === 0 ? (
    <p>代理者はまだ指名されていません。</p>
  ) : (
    <div class="table-wrap">
      <table>
        <caption>指名した代理者</caption>
        <thead>
          <tr>
            <th scope="col">代理者</th>
            <th scope="col">課</th>
            <th scope="col">期間</th>
            <th scope="col">理由</th>
            <th scope="col">状態</th>
          </tr>
        </thead>
        <tbody>
          {page.deputies.map((d) => {
            const state = d.revokedAt
              ? "revoked"
              : d.toDate < page.today
                ? "past"
                : d.fromDate > page.today
                  ? "future"
                  : "now";
            return (
              <tr>
                <th scope="row">{d.deputyName}</th>
                <td>{d.divisionName}</td>
                <td>
                  <DateText date={d.fromDate} />〜<DateText date={d.toDate} />
                </td>
                <td class="public-text">{d.reason}</td>
                <td>
                  {state === "revoked" ? (
                    <Badge tone="muted">取り消し済み</Badge>
                  ) : state === "past" ? (
                    <Badge tone="muted">終了</Badge>
                  ) : state === "future" ? (
                    <Badge tone="warn">予定</Badge>
                  ) : (
                    <Badge tone="ok">代理中</Badge>
                  )}
                  {state === "now" || state === "future" ? (
                    <form method="post" action={`/posts/deputies/${d.id}/revoke`}>
                      <Csrf token={csrf} />
                      <button type="submit" class="secondary">
                        {d.deputyName}さんの指名を取り消す
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );

/** The form to name a deputy. */
export const DeputyForm: FC<{ page: DeputyPage; csrf: string; state: FormState }> = ({
  page,
  csrf,
  state,
}) => (
  <form method="post" action="/posts/deputies" class="stack" novalidate>
    <Csrf token={csrf} />
    <ErrorSummary state={state} />
    {page.divisions.length > 1 ? (
      <SelectField
        name="divisionId"
        label="課"
        state={state}
        options={page.divisions.map((d) => ({ value: String(d.id), label: d.name }))}
        required
      />
    ) : null}
    <SelectField
      name="deputyId"
      label="代理者"
      hint="課の職員から選びます。代理者は、期間中、この課のアカウントの投稿の承認と事後報告の確認ができます。"
      state={state}
      blank="（選択してください）"
      options={page.divisions.flatMap((d) =>
        d.members.map((m) => ({
          value: String(m.id),
          label: `${m.name}（${d.name}・${m.positionName}）`,
        })),
      )}
      required
    />
    <TextField type="date" name="fromDate" label="開始日" state={state} value={page.today} required />
    <TextField type="date" name="toDate" label="終了日" state={state} required />
    <TextField name="reason" label="不在の理由" hint="例: 出張のため" state={state} required />
    <div class="actions">
      <button type="submit">代理者を指名する</button>
    </div>
  </form>
);
