/**
 * Staff pages of drafting and approval (5.1.3–5.1.4, 5.2, 5.3): /posts (my posts, waiting for my
 * approval, post-hoc reports to acknowledge), /posts/new (for one or more accounts, or from a
 * pre-approved scope), /posts/:id (the post with its findings, images, versions, decisions and
 * the actions open to this person), /posts/:id/edit (with images), /posts/deputies, and an
 * account's pre-approved scopes (/accounts/:id/scopes). Every form works without JavaScript;
 * 「確認する」 re-renders with the server's findings.
 */
import { Hono } from "hono";
import { isoToTokyoLocal } from "../../app/posts/check-input.ts";
import {
  acknowledgeReport,
  approvePost,
  recordVerbalApproval,
  rejectPost,
  returnPost,
} from "../../app/posts/decide.ts";
import { deputyPage, nameDeputy, revokeDeputy } from "../../app/posts/deputies.ts";
import { discardPost, draftPost, editPost, previewDraft, previewEdit } from "../../app/posts/draft.ts";
import { addImage, imageOf, removeImage } from "../../app/posts/images.ts";
import { publishPostHoc } from "../../app/posts/post-hoc.ts";
import { publishingInfo } from "../../app/posts/publishing-read.ts";
import { draftingOptions, postDetail, postLists } from "../../app/posts/read.ts";
import {
  accountScopes,
  createScope,
  revokeScope,
  scopeCategories,
  scopeForDrafting,
} from "../../app/posts/scopes.ts";
import { submitPost } from "../../app/posts/submit.ts";
import { type CheckResult, loadChecker } from "../../checker/index.ts";
import { metadataNote } from "../../domain/image-metadata.ts";
import { fillScope, isPostStatus } from "../../domain/posts.ts";
import { AppError } from "../../errors.ts";
import { platformLabel } from "../../guideline/pack.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formAll, formBody, intParam, render, submit } from "../render.tsx";
import { emptyForm, type FormState, type FormValues } from "../views/components.tsx";
import { DeputyForm, DeputyTable, SCOPE_FIELD_ROWS, ScopeForm, ScopeTable } from "../views/post-admin.tsx";
import { AutoSendSection } from "../views/post-audience.tsx";
import { CorrectionDiff } from "../views/post-correction.tsx";
import {
  type EditorCheck,
  EditPostForm,
  ImagesSection,
  NewPostForm,
  ScopePostForm,
} from "../views/post-forms.tsx";
import { PostTable, StatusFilter } from "../views/post-lists.tsx";
import {
  type ActionStates,
  DecisionTrail,
  GroupList,
  PostActionsPanel,
  PostFacts,
  PostText,
  VersionTable,
} from "../views/post-page.tsx";
import { PublishingPanel } from "../views/publishing-panel.tsx";

type Status = 200 | 403 | 409 | 422;

/** The page's own script: the live check (built from src/http/client). */
const LiveCheckScript = () => <script type="module" src="/assets/app.js" />;

const editorCheck = (result: CheckResult): EditorCheck => ({
  findings: result.findings,
  length: result.length,
});

/** A draft's input from the new-post form (texts per account; a scope's field values). */
function draftInputOf(values: FormValues, accountIds: readonly string[], areas: readonly string[] = []) {
  const scopeValues: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith("scope_") && value !== undefined) scopeValues[key.slice("scope_".length)] = value;
  }
  return {
    accounts: accountIds.map((id) => ({ accountId: id, text: values[`text_${id}`] ?? "" })),
    category: values.category || "normal",
    repostOf: values.repostOf,
    repostSourceUrl: values.repostSourceUrl,
    repostQuote: values.repostQuote,
    embargoUntil: values.embargoUntil,
    scheduledAt: values.scheduledAt,
    justification: values.justification,
    ...(values.scopeId ? { scopeId: values.scopeId, scopeValues } : {}),
    ...(values.audience !== undefined
      ? {
          audience: values.audience,
          audienceAgeFrom: values.audienceAgeFrom,
          audienceAgeTo: values.audienceAgeTo,
          audienceGender: values.audienceGender,
          audienceAppType: values.audienceAppType,
          audienceSubscriptionFrom: values.audienceSubscriptionFrom,
          audienceSubscriptionTo: values.audienceSubscriptionTo,
          audienceAreas: areas.join(","),
          audienceGroupId: values.audienceGroupId,
          audienceLimitMax: values.audienceLimitMax,
        }
      : {}),
  };
}

async function listPage(c: HttpContext) {
  const query = c.req.query("status") ?? "";
  const status = isPostStatus(query) ? query : undefined;
  const lists = await postLists(c.var.app, { actor: actorOf(c), status });
  return render(
    c,
    "投稿",
    <>
      <h1>投稿</h1>
      <p>
        投稿は、アカウントの運用に携わる職員が作成し、アカウント管理者の許可を得て発信します（第5-1(4)）。作成中の本文は、ガイドラインに照らして自動で確認されます。
      </p>
      <div class="actions">
        {lists.drafts ? (
          <a class="button" href="/posts/new">
            新しい投稿
          </a>
        ) : null}
        {lists.drafts || lists.decides ? <a href="/posts/queue">発信予定と記録待ちの投稿</a> : null}
        {lists.manages ? <a href="/posts/deputies">不在時の代理者の指名</a> : null}
        <a href="/posts/archive">投稿の記録（検索・情報公開請求）</a>
      </div>
      {lists.decides ? (
        <>
          <section aria-labelledby="reports-title">
            <h2 id="reports-title">事後報告（確認待ち）</h2>
            {lists.reports.length === 0 ? (
              <p>確認を待っている事後報告はありません。</p>
            ) : (
              <PostTable
                posts={lists.reports}
                kind="reports"
                now={lists.now}
                caption="第5-1(4)①〜④により先に発信された投稿（期限までに確認してください）"
              />
            )}
          </section>
          <section aria-labelledby="waiting-title">
            <h2 id="waiting-title">あなたの承認を待っている投稿</h2>
            {lists.waiting.length === 0 ? (
              <p>承認を待っている投稿はありません。</p>
            ) : (
              <PostTable
                posts={lists.waiting}
                kind="waiting"
                now={lists.now}
                caption="承認待ちの投稿（古い順）"
              />
            )}
          </section>
        </>
      ) : null}
      <section aria-labelledby="mine-title">
        <h2 id="mine-title">あなたが作成した投稿</h2>
        <StatusFilter status={status ?? ""} />
        {lists.mine.length === 0 ? (
          <p>{status ? "この状態の投稿はありません。" : "まだ投稿を作成していません。"}</p>
        ) : (
          <PostTable
            posts={lists.mine}
            kind="mine"
            now={lists.now}
            caption="あなたが作成した投稿（更新の新しい順）"
          />
        )}
      </section>
    </>,
  );
}

/** /posts/new: the form (with the server's findings after 「確認する」). */
async function newPage(
  c: HttpContext,
  form: { state?: FormState; selected?: number[]; checks?: Map<number, EditorCheck> } = {},
  status: Status = 200,
) {
  const actor = actorOf(c);
  const options = await draftingOptions(c.var.app, { actor });
  const preset = Number(c.req.query("account"));
  const selected =
    form.selected ??
    (options.accounts.length === 1
      ? options.accounts.map((a) => a.id)
      : options.accounts.filter((a) => a.id === preset).map((a) => a.id));
  return render(
    c,
    "新しい投稿",
    <>
      <p class="breadcrumb">
        <a href="/posts">投稿</a>
      </p>
      <h1>新しい投稿</h1>
      {options.accounts.length === 0 ? (
        <p>
          投稿を作成できるのは、アカウントの運用に携わる職員として登録されている方です（第3）。運用中のアカウントで、あなたが登録されているものはありません。
        </p>
      ) : (
        <>
          {options.scopes.length > 0 ? (
            <section aria-labelledby="scopes-title">
              <h2 id="scopes-title">範囲の許可から作成する</h2>
              <p>
                アカウント管理者が予め範囲を決めて許可した投稿は、テンプレートどおりなら申請と同時に承認されます（第5-1(4)）。
              </p>
              <ul>
                {options.scopes.map(({ scope, account }) => (
                  <li>
                    <a href={`/posts/new?scope=${scope.id}`}>
                      「{scope.name}」（{account.name}・{platformLabel(account.platform)}）
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <NewPostForm
            csrf={csrfOf(c)}
            state={form.state ?? emptyForm()}
            accounts={options.accounts}
            selected={selected}
            checks={form.checks ?? new Map()}
            recent={options.recent}
          />
          <LiveCheckScript />
        </>
      )}
    </>,
    status,
  );
}

/** /posts/new?scope=ID: a post from a pre-approved scope. */
async function scopePage(
  c: HttpContext,
  scopeId: number,
  form: { state?: FormState; check?: EditorCheck } = {},
  status: Status = 200,
) {
  const { scope, account, fields } = await scopeForDrafting(c.var.app, { actor: actorOf(c), scopeId });
  const state = form.state ?? emptyForm({ category: scopeCategories(scope.categories)[0] ?? "normal" });
  const values: Record<string, string> = {};
  for (const f of fields) values[f.name] = state.values[`scope_${f.name}`] ?? "";
  return render(
    c,
    `範囲の許可「${scope.name}」で投稿を作成`,
    <>
      <p class="breadcrumb">
        <a href="/posts">投稿</a> › <a href="/posts/new">新しい投稿</a>
      </p>
      <h1>範囲の許可「{scope.name}」で投稿を作成</h1>
      <ScopePostForm
        csrf={csrfOf(c)}
        state={state}
        scope={scope}
        fields={fields}
        categories={scopeCategories(scope.categories)}
        account={account}
        text={fillScope(scope.template, values)}
        check={form.check ?? null}
      />
    </>,
    status,
  );
}

/** /posts/:id: the post and what this person may do. */
async function postPage(c: HttpContext, id: number, states: ActionStates = {}, status: Status = 200) {
  const actor = actorOf(c);
  const detail = await postDetail(c.var.app, { actor, id });
  const publishing = await publishingInfo(c.var.app, { actor, postId: id });
  const { post } = detail;
  const csrf = csrfOf(c);
  return render(
    c,
    `投稿 #${post.id}: ${post.accountName}`,
    <>
      <p class="breadcrumb">
        <a href="/posts">投稿</a> › {post.accountName}
      </p>
      <h1>
        投稿 #{post.id}（{post.accountName}・{platformLabel(post.platform)}）
      </h1>
      <PostFacts detail={detail} />
      <section aria-labelledby="text-title">
        <h2 id="text-title">本文と確認結果</h2>
        <PostText detail={detail} />
        {detail.original ? (
          <CorrectionDiff original={detail.original} text={post.text} headingLevel={3} />
        ) : null}
        {post.justification ? (
          <div class="notice notice-info">
            <h3>「要修正」の指摘があるまま申請・発信した理由</h3>
            <p class="public-text">{post.justification}</p>
          </div>
        ) : null}
      </section>
      {detail.images.length > 0 ? (
        <ImagesSection csrf={csrf} state={emptyForm()} post={post} images={detail.images} editable={false} />
      ) : null}
      <PostActionsPanel detail={detail} csrf={csrf} states={states} nowLocal={isoToTokyoLocal(detail.now)} />
      <GroupList group={detail.group} />
      <AutoSendSection rows={detail.autoSend} />
      <PublishingPanel info={publishing} csrf={csrf} />
      <section aria-labelledby="decisions-title">
        <h2 id="decisions-title">承認の記録</h2>
        <DecisionTrail decisions={detail.decisions} />
      </section>
      <section aria-labelledby="versions-title">
        <h2 id="versions-title">版の履歴</h2>
        <VersionTable detail={detail} />
      </section>
      <p>
        <a href={`/accounts/${post.accountId}/scopes`}>このアカウントの範囲の許可</a>
      </p>
    </>,
    status,
  );
}

/** The edit form's values of a stored post. */
function editValues(post: Awaited<ReturnType<typeof postDetail>>["post"]): FormValues {
  return {
    text: post.text,
    category: post.category,
    repostOf: post.repostOf ? String(post.repostOf) : "",
    repostSourceUrl: post.repostSourceUrl ?? "",
    repostQuote: post.repostQuote ?? "",
    embargoUntil: post.embargoUntil ? isoToTokyoLocal(post.embargoUntil) : "",
    scheduledAt: post.scheduledAt ? isoToTokyoLocal(post.scheduledAt) : "",
    justification: post.justification,
  };
}

/** /posts/:id/edit: the form and the images. */
async function editPage(
  c: HttpContext,
  id: number,
  forms: { edit?: FormState; check?: EditorCheck; images?: FormState } = {},
  status: Status = 200,
) {
  const actor = actorOf(c);
  const detail = await postDetail(c.var.app, { actor, id });
  const { post, account } = detail;
  if (!detail.can.edit) return postPage(c, id);
  const options = await draftingOptions(c.var.app, { actor });
  const csrf = csrfOf(c);
  return render(
    c,
    `投稿 #${post.id} の編集`,
    <>
      <p class="breadcrumb">
        <a href="/posts">投稿</a> › <a href={`/posts/${post.id}`}>投稿 #{post.id}</a>
      </p>
      <h1>
        投稿 #{post.id} の編集（{post.accountName}・{platformLabel(post.platform)}）
      </h1>
      <EditPostForm
        csrf={csrf}
        state={forms.edit ?? emptyForm(editValues(post))}
        post={post}
        account={account}
        imageCount={detail.images.length}
        check={forms.check ?? { findings: detail.findings, length: detail.length }}
        recent={options.recent}
        original={detail.original}
      />
      <ImagesSection
        csrf={csrf}
        state={forms.images ?? emptyForm()}
        post={post}
        images={detail.images}
        editable={detail.can.edit}
      />
      <p>
        <a href={`/posts/${post.id}`}>投稿のページへ戻る</a>
      </p>
      <LiveCheckScript />
    </>,
    status,
  );
}

/** /accounts/:id/scopes */
async function scopesPage(c: HttpContext, accountId: number, state?: FormState, status: Status = 200) {
  const list = await accountScopes(c.var.app, { actor: actorOf(c), accountId });
  const { account } = list;
  const csrf = csrfOf(c);
  return render(
    c,
    `範囲の許可: ${account.name}`,
    <>
      <p class="breadcrumb">
        <a href="/accounts">公式アカウント</a> › <a href={`/accounts/${account.id}`}>{account.name}</a>
      </p>
      <h1>
        範囲の許可: {account.name}（{platformLabel(account.platform)}）
      </h1>
      <p>
        「ただし、予め情報発信の範囲を決めて許可を得ておくことは妨げない」（第5-1(4)）。アカウント管理者がテンプレートと条件を決めておくと、それに合い、ガイドラインに関する指摘（エラー）のない投稿は、申請と同時に承認されます。
      </p>
      <ScopeTable
        scopes={list.scopes}
        today={list.today}
        accountId={account.id}
        csrf={csrf}
        canManage={list.canManage}
        canDraft={list.canDraft}
      />
      {list.canManage ? (
        <section aria-labelledby="scope-form-title">
          <h2 id="scope-form-title">範囲の許可を登録する</h2>
          <ScopeForm accountId={account.id} csrf={csrf} state={state ?? emptyForm()} />
        </section>
      ) : null}
    </>,
    status,
  );
}

/** A scope's input from its form (blank field rows skipped). */
function scopeInputOf(values: FormValues, categories: string[]) {
  const fields = [];
  for (let i = 0; i < SCOPE_FIELD_ROWS; i++) {
    const name = values[`field_name_${i}`]?.trim() ?? "";
    const label = values[`field_label_${i}`]?.trim() ?? "";
    const pattern = values[`field_pattern_${i}`]?.trim() ?? "";
    const max = values[`field_maxLength_${i}`]?.trim() ?? "";
    if (!name && !label && !pattern && !max) continue;
    fields.push({ name, label, ...(pattern ? { pattern } : {}), ...(max ? { maxLength: max } : {}) });
  }
  return {
    name: values.name,
    template: values.template,
    fields,
    categories,
    cityLinksOnly: values.cityLinksOnly === "on",
    validUntil: values.validUntil,
  };
}

/** Field names of the scope form for the API's paths (`fields.0.name` → `field_name_0`). */
function scopeFormState(state: FormState, categories: string[]): FormState {
  const issues = state.issues.map((issue) => {
    const m = /^fields\.(\d+)\.(name|label|pattern|maxLength)$/.exec(issue.field);
    return m ? { ...issue, field: `field_${m[2]}_${m[1]}` } : issue;
  });
  return { ...state, issues, values: { ...state.values, categories: categories.join(",") } };
}

async function deputiesPage(c: HttpContext, state?: FormState, status: Status = 200) {
  const page = await deputyPage(c.var.app, { actor: actorOf(c) });
  const csrf = csrfOf(c);
  return render(
    c,
    "不在時の代理者",
    <>
      <p class="breadcrumb">
        <a href="/posts">投稿</a>
      </p>
      <h1>不在時の代理者</h1>
      <p>
        アカウント管理者が不在の間、投稿の承認と事後報告の確認を代わりに行う職員を、期間と理由を決めて指名します。指名と取り消しは記録されます。
      </p>
      <DeputyTable page={page} csrf={csrf} />
      <section aria-labelledby="deputy-form-title">
        <h2 id="deputy-form-title">代理者を指名する</h2>
        <DeputyForm page={page} csrf={csrf} state={state ?? emptyForm()} />
      </section>
    </>,
    status,
  );
}

export function postRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/posts", (c) => listPage(c));

  r.get("/posts/new", async (c) => {
    // The empty editor shows the platform's limit (「0／140文字」), which the checker's pack holds.
    await loadChecker();
    const scope = c.req.query("scope");
    return scope ? scopePage(c, intParam(scope)) : newPage(c);
  });

  r.post("/posts/new", async (c) => {
    const values = await formBody(c);
    const ids = await formAll(c, "accountIds");
    const areas = await formAll(c, "audienceAreas");
    const input = draftInputOf(values, ids, areas);
    // The form shows the checked prefectures again after 「確認する」 or an error.
    if (values.audience !== undefined) values.audienceAreas = areas.join(",");
    const actor = actorOf(c);
    const selected = ids.map(Number);
    if (values.intent === "check") {
      const outcome = await submit(values, () => previewDraft(c.var.app, { actor, input }));
      if (values.scopeId) {
        const check = outcome.ok && outcome.result[0] ? editorCheck(outcome.result[0].result) : undefined;
        return scopePage(c, intParam(values.scopeId), {
          state: outcome.ok ? emptyForm(values) : outcome.state,
          ...(check ? { check } : {}),
        });
      }
      if (!outcome.ok) return newPage(c, { state: outcome.state, selected }, outcome.status);
      const filled = { ...values };
      const checks = new Map<number, EditorCheck>();
      for (const item of outcome.result) {
        filled[`text_${item.account.id}`] = item.text;
        checks.set(item.account.id, editorCheck(item.result));
      }
      return newPage(c, { state: emptyForm(filled), selected, checks });
    }
    const outcome = await submit(values, () => draftPost(c.var.app, { actor, input }));
    if (!outcome.ok) {
      if (values.scopeId)
        return scopePage(c, intParam(values.scopeId), { state: outcome.state }, outcome.status);
      return newPage(c, { state: outcome.state, selected }, outcome.status);
    }
    const [first] = outcome.result;
    const count = outcome.result.length;
    return done(
      c,
      `/posts/${first?.id ?? ""}`,
      count > 1 ? `${count}件のアカウントの下書きを保存しました。` : "下書きを保存しました。",
    );
  });

  r.get("/posts/deputies", (c) => deputiesPage(c));

  r.post("/posts/deputies", async (c) => {
    const values = await formBody(c);
    const outcome = await submit(values, () => nameDeputy(c.var.app, { actor: actorOf(c), input: values }));
    if (!outcome.ok) return deputiesPage(c, outcome.state, outcome.status);
    return done(c, "/posts/deputies", `${outcome.result.deputyName}さんを代理者に指名しました。`);
  });

  r.post("/posts/deputies/:id/revoke", async (c) => {
    await revokeDeputy(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return done(c, "/posts/deputies", "代理者の指名を取り消しました。");
  });

  r.get("/posts/:id", (c) => postPage(c, intParam(c.req.param("id"))));

  r.get("/posts/:id/edit", (c) => editPage(c, intParam(c.req.param("id"))));

  r.post("/posts/:id/edit", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    // LINE's 配信先: the prefectures are a checkbox group (several values of one name).
    if (values.audience !== undefined) values.audienceAreas = (await formAll(c, "audienceAreas")).join(",");
    const actor = actorOf(c);
    if (values.intent === "check") {
      const outcome = await submit(values, () => previewEdit(c.var.app, { actor, id, input: values }));
      if (!outcome.ok) return editPage(c, id, { edit: outcome.state }, outcome.status);
      return editPage(c, id, { edit: emptyForm(values), check: editorCheck(outcome.result.result) });
    }
    const outcome = await submit(values, () => editPost(c.var.app, { actor, id, input: values }));
    if (!outcome.ok) return editPage(c, id, { edit: outcome.state }, outcome.status);
    return done(
      c,
      `/posts/${id}`,
      outcome.result.reapproval
        ? `第${outcome.result.post.version}版を保存しました。承認済みの投稿を変更したため、あらためて承認が必要です。`
        : `第${outcome.result.post.version}版を保存しました。`,
    );
  });

  r.post("/posts/:id/images", async (c) => {
    const id = intParam(c.req.param("id"));
    const body = await c.req.parseBody();
    const values = await formBody(c);
    const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
    const upload = file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null;
    const outcome = await submit(values, () =>
      addImage(c.var.app, {
        actor: actorOf(c),
        id,
        version: Number(values.version),
        file: upload,
        input: values,
      }),
    );
    if (!outcome.ok) return editPage(c, id, { images: outcome.state }, outcome.status);
    const { image } = outcome.result;
    const note = metadataNote(image.metadataRemoved);
    return done(c, `/posts/${id}/edit`, `画像「${image.filename}」を追加しました。${note ?? ""}`);
  });

  r.post("/posts/:id/images/:imageId/remove", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const imageId = intParam(c.req.param("imageId"));
    const outcome = await submit(values, () =>
      removeImage(c.var.app, { actor: actorOf(c), id, imageId, version: Number(values.version) }),
    );
    if (!outcome.ok) return editPage(c, id, { images: outcome.state }, outcome.status);
    return done(c, `/posts/${id}/edit`, "画像を削除しました。");
  });

  r.get("/posts/:id/images/:imageId", async (c) => {
    const image = await imageOf(c.var.app, {
      actor: actorOf(c),
      postId: intParam(c.req.param("id")),
      imageId: intParam(c.req.param("imageId")),
    });
    c.header("Content-Type", image.contentType);
    c.header("Cache-Control", "private, max-age=300");
    c.header("Content-Disposition", "inline");
    return c.body(Buffer.from(image.bytes));
  });

  r.post("/posts/:id/submit", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const outcome = await submit(values, () =>
      submitPost(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!outcome.ok) return postPage(c, id, { submit: outcome.state }, outcome.status);
    const { autoApproved, scopeName, scopeProblems } = outcome.result;
    return done(
      c,
      `/posts/${id}`,
      autoApproved
        ? `範囲の許可「${scopeName ?? ""}」に合っているため、承認されました。`
        : scopeName
          ? `範囲の許可「${scopeName}」に合わないため、アカウント管理者に承認を申請しました（${scopeProblems.join(" ")}）`
          : "アカウント管理者に承認を申請しました。",
    );
  });

  r.post("/posts/:id/publish-now", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const outcome = await submit(values, () =>
      publishPostHoc(c.var.app, { actor: actorOf(c), id, input: values }),
    ).catch((error: unknown) => {
      // 5.2: a refused or missing confirmation (recorded) is shown on the form with what was typed.
      if (error instanceof AppError && error.code === "forbidden" && error.fields.length > 0) {
        const state: FormState = { values, issues: error.fields };
        return { ok: false as const, state, status: 403 as const };
      }
      throw error;
    });
    if (!outcome.ok) return postPage(c, id, { publish: outcome.state }, outcome.status);
    return done(
      c,
      `/posts/${id}`,
      "発信したものとして記録し、アカウント管理者に事後報告しました。プラットフォームで発信したら、その投稿のURLを記録してください。",
    );
  });

  /**
   * One decision form. `commentField` is the form's name for the comment when two forms on the
   * post page both have one (each field id is unique on the page); the use case reads `comment`.
   */
  const decision = (
    path: string,
    work: typeof approvePost,
    key: keyof ActionStates,
    message: string,
    commentField = "comment",
  ) =>
    r.post(`/posts/:id/${path}`, async (c) => {
      const id = intParam(c.req.param("id"));
      const values = await formBody(c);
      const input = { ...values, comment: values[commentField] ?? "" };
      const outcome = await submit(values, () => work(c.var.app, { actor: actorOf(c), id, input }));
      if (!outcome.ok) {
        const issues = outcome.state.issues.map((i) =>
          i.field === "comment" ? { ...i, field: commentField } : i,
        );
        return postPage(c, id, { [key]: { ...outcome.state, issues } }, outcome.status);
      }
      return done(c, `/posts/${id}`, message);
    });
  decision("approve", approvePost, "decide", "承認しました。");
  decision("return", returnPost, "decide", "差し戻しました。作成者にお知らせします。");
  decision("reject", rejectPost, "decide", "却下しました。");
  decision("verbal", recordVerbalApproval, "verbal", "口頭での許可を記録しました。", "verbalComment");
  decision("acknowledge", acknowledgeReport, "acknowledge", "事後報告を確認しました。");

  r.post("/posts/:id/discard", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const outcome = await submit(values, () => discardPost(c.var.app, { actor: actorOf(c), id }));
    if (!outcome.ok) return postPage(c, id, { submit: outcome.state }, outcome.status);
    return done(c, "/posts", "下書きを破棄しました。");
  });

  r.get("/accounts/:id/scopes", (c) => scopesPage(c, intParam(c.req.param("id"))));

  r.post("/accounts/:id/scopes", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const values = await formBody(c);
    const categories = await formAll(c, "categories");
    const input = scopeInputOf(values, categories);
    const outcome = await submit(values, () =>
      createScope(c.var.app, { actor: actorOf(c), accountId, input }),
    );
    if (!outcome.ok)
      return scopesPage(c, accountId, scopeFormState(outcome.state, categories), outcome.status);
    return done(c, `/accounts/${accountId}/scopes`, `範囲の許可「${outcome.result.name}」を登録しました。`);
  });

  r.post("/accounts/:id/scopes/:scopeId/revoke", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const scope = await revokeScope(c.var.app, {
      actor: actorOf(c),
      accountId,
      scopeId: intParam(c.req.param("scopeId")),
    });
    return done(c, `/accounts/${accountId}/scopes`, `範囲の許可「${scope.name}」を取り消しました。`);
  });

  return r;
}
