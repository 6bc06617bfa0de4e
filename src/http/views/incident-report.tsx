/**
 * The report form (7: 直ちにアカウント管理者へ報告): the type with what each means (2.4, 2.5),
 * what happened, the account (or the post it was opened from), when it was noticed, severity,
 * links, a screenshot, and the type's own facts — the fake account of a なりすまし (7.3) and the
 * false claim of a デマ (7.4). Works without JavaScript: every part is shown, each saying when
 * it applies.
 */
import type { FC } from "hono/jsx";
import type { ReportOptions } from "../../app/incidents/read.ts";
import { clauseRef } from "../../domain/clauses.ts";
import {
  incidentSeverities,
  incidentSeverityLabels,
  incidentTypeDescriptions,
  incidentTypeLabels,
  incidentTypes,
} from "../../domain/incidents.ts";
import { platformLabel } from "../../guideline/pack.ts";
import type { FormState } from "./components.tsx";
import { DateTime } from "./dates.tsx";
import { PErrorSummary, PFile, PForm, PInput, PRadios, PSelect, PTextArea } from "./incident-fields.tsx";

const P = "report";

/** The body of /incidents/new. */
export const ReportForm: FC<{ options: ReportOptions; csrf: string; state: FormState; now: string }> = ({
  options,
  csrf,
  state,
  now,
}) => {
  const post = options.post;
  return (
    <>
      <p class="breadcrumb">
        <a href="/incidents">インシデント</a> › 報告
      </p>
      <h1>インシデントを報告する</h1>
      <p>
        情報の漏えい、炎上、なりすまし、デマ、投稿への苦情などの問題に気づいたら、直ちに報告してください。報告すると、アカウント管理者に直ちに通知され、種類ごとの対応手順が始まります（
        {clauseRef("7")}）。
      </p>
      {options.reportTo ? (
        <p class="notice notice-info">
          報告すると、アカウント管理者の{options.reportTo.name}さん（{options.reportTo.divisionName}
          ）に直ちに通知されます。
        </p>
      ) : null}
      <PErrorSummary prefix={P} state={state} level={2} />
      {post ? (
        <section aria-labelledby="report-post-title" class="card">
          <h2 id="report-post-title">報告する投稿</h2>
          <dl class="facts">
            <dt>アカウント</dt>
            <dd>{post.accountName}</dd>
            <dt>発信日時</dt>
            <dd>{post.publishedAt ? <DateTime at={post.publishedAt} /> : "未発信"}</dd>
            <dt>本文</dt>
            <dd class="public-text">{post.text}</dd>
          </dl>
          <p>
            <a href={`/posts/${post.id}`}>投稿のページへ戻る</a>
          </p>
        </section>
      ) : null}
      <PForm action="/incidents" csrf={csrf} multipart label="インシデントの報告">
        {post ? <input type="hidden" name="postId" value={String(post.id)} /> : null}
        <PRadios
          prefix={P}
          name="type"
          legend="種類"
          required
          state={state}
          value={post ? "complaint" : undefined}
          options={incidentTypes.map((t) => ({
            value: t,
            label: incidentTypeLabels[t],
            hint: incidentTypeDescriptions[t],
          }))}
        />
        <PInput
          prefix={P}
          name="title"
          label="件名"
          required
          maxlength={200}
          state={state}
          hint="例: 投稿に個人の電話番号が写っていた"
        />
        <PTextArea
          prefix={P}
          name="description"
          label="何が起きたか"
          required
          rows={6}
          state={state}
          hint="いつ、どこで、何に気づいたか。分かっていることを書いてください。"
        />
        {post ? null : (
          <PSelect
            prefix={P}
            name="accountId"
            label="アカウント"
            state={state}
            value={options.accountId === null ? "" : String(options.accountId)}
            blank="特定のアカウントではない・分からない"
            options={options.accounts.map((a) => ({
              value: String(a.id),
              label: `${a.name}（${platformLabel(a.platform)}・${a.divisionName}）`,
            }))}
            hint="アカウントを選ぶと、そのアカウント管理者に通知されます。選ばない場合は、あなたの課の課等の長（アカウント管理者）に通知されます。なりすましでは、装われている公式アカウントを選んでください。"
          />
        )}
        <PInput
          prefix={P}
          type="datetime-local"
          name="noticedAt"
          label="気づいた日時"
          value={now}
          state={state}
          hint="空欄の場合は、報告した日時になります。"
        />
        <PSelect
          prefix={P}
          name="severity"
          label="深刻度"
          state={state}
          blank="種類に応じて決める（乗っ取りは「重大」、情報漏えい・炎上・なりすましは「高」）"
          options={incidentSeverities.map((s) => ({ value: s, label: incidentSeverityLabels[s] }))}
        />
        <PTextArea
          prefix={P}
          name="links"
          label="関連するURL"
          rows={3}
          state={state}
          hint="問題の投稿や書き込みのURLなど。1行に1つ、https:// から入力してください。"
        />
        <fieldset class="field">
          <legend>なりすましの場合（{clauseRef("7.3.1")}）</legend>
          <p class="hint">
            種類が「なりすまし」の場合は、URLが必須です。アカウント管理者など対応する職員が確認して「公開する」を押すと、公開ページのお知らせに注意喚起が掲載され、公式アカウントの確認ページでも「なりすまし」と表示されます。市の公式アカウントそのものに第三者がログインしている場合は、「乗っ取り」を選んでください。
          </p>
          <PInput
            prefix={P}
            type="url"
            name="fakeUrl"
            label="なりすましアカウントのURL"
            state={state}
            hint="例: https://x.com/iwaki_city_info"
          />
          <PInput prefix={P} name="fakeHandle" label="ユーザー名（URLから読み取れない場合）" state={state} />
        </fieldset>
        <fieldset class="field">
          <legend>乗っ取りの場合（{clauseRef("7.3.1")}）</legend>
          <p class="hint">
            種類が「乗っ取り」の場合は、上の「アカウント」で乗っ取られた公式アカウントを選び、不正アクセスが始まった日時を入力してください（必須）。公開ページへの表示は、アカウント管理者など対応する職員が確認してから行います。
          </p>
          <PInput
            prefix={P}
            type="datetime-local"
            name="compromisedSince"
            label="不正アクセスが始まった日時"
            state={state}
            hint="身に覚えのない投稿・ログイン・設定の変更が最初にあった日時。公開ページで「○月○日○時以降の投稿は市によるものではありません」とお知らせする時刻になります。"
          />
        </fieldset>
        <fieldset class="field">
          <legend>デマ・誤情報の場合（{clauseRef("7.4")}）</legend>
          <PTextArea prefix={P} name="claim" label="誤った情報の内容" rows={3} state={state} />
          <PInput
            prefix={P}
            name="claimWhere"
            label="誤った情報が掲載された場所"
            state={state}
            hint="例: 公式アカウントの投稿への返信"
          />
        </fieldset>
        <PFile
          prefix={P}
          name="file"
          label="スクリーンショット・資料"
          state={state}
          hint="PNG・JPEGの画像またはPDF、5MBまで。あとから追加することもできます。"
        />
        <PInput prefix={P} name="fileDescription" label="ファイルの説明" state={state} />
        <div class="actions">
          <button type="submit">報告する</button>
        </div>
      </PForm>
    </>
  );
};
