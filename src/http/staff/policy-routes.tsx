/**
 * Staff pages of an account's media policy (4.2) and profile (4.4.3, 4.4.4, 5.3.1): the
 * メディアポリシー tab (the version in force, the draft with edit / approve / discard, every
 * version with what changed, completing a review without change) and the プロフィール tab (the
 * generated bio to copy, and checking the bio as it is now on the platform).
 */
import { Hono } from "hono";
import { approvePolicy } from "../../app/policies/approve.ts";
import { discardPolicyDraft, draftPolicy, updatePolicyDraft } from "../../app/policies/draft.ts";
import { accountProfile, checkCurrentProfile } from "../../app/policies/profile.ts";
import { getPolicyVersion, policyOverview } from "../../app/policies/read.ts";
import { completeReviewWithoutChange } from "../../app/policies/review.ts";
import { REVIEW_NOTICE_DAYS } from "../../app/policies/review-tasks.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import type { MediaPolicy } from "../../db/repos/policies.ts";
import {
  accountStatusLabels,
  missingPolicyItems,
  policyFieldLabels,
  policyFields,
} from "../../domain/accounts.ts";
import { addDays, formatDate, formatDateTime } from "../../domain/dates.ts";
import { policyDiff } from "../../domain/policy-diff.ts";
import { notFound } from "../../errors.ts";
import { platformLabel } from "../../guideline/pack.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import { AccountHeader } from "../views/account-tabs.tsx";
import {
  Badge,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  refusal,
  TextArea,
} from "../views/components.tsx";
import { DateText, DateTime } from "../views/dates.tsx";
import { PolicyForm } from "../views/policy-form.tsx";
import {
  FindingList,
  GeneratedBio,
  LengthLine,
  MarkedText,
  RequirementList,
} from "../views/policy-profile.tsx";
import {
  Lines,
  PolicyChanges,
  PolicyItems,
  policyStatusLabels,
  ReviewDue,
  VersionTable,
} from "../views/policy-view.tsx";

type Status = 200 | 409 | 422;

const Header = (props: { account: AccountView; current: "/policy" | "/profile"; title: string }) => (
  <AccountHeader
    account={{
      id: props.account.id,
      name: props.account.name,
      platform: props.account.platform,
      divisionName: props.account.divisionName,
      statusLabel: accountStatusLabels[props.account.status],
    }}
    current={props.current}
    title={props.title}
  />
);

/** Form values of a stored version (for the edit form). */
function valuesOf(policy: MediaPolicy): Record<string, string> {
  const out: Record<string, string> = { changeSummary: policy.changeSummary };
  for (const field of policyFields) out[field] = policy[field];
  return out;
}

/** The メディアポリシー tab; `forms.error` is a refusal to show at the top (e.g. a draft already exists). */
async function policyPage(
  c: HttpContext,
  accountId: number,
  forms: { review?: FormState; error?: string } = {},
  status: Status = 200,
) {
  const review = forms.review;
  const actor = actorOf(c);
  const view = await policyOverview(c.var.app, { actor, accountId });
  const { account, current, draft, today } = view;
  const csrf = csrfOf(c);
  const base = `/accounts/${account.id}/policy`;
  const soon = addDays(today, REVIEW_NOTICE_DAYS);
  const missing = draft ? missingPolicyItems(draft) : [];
  const closed = account.status === "closed" || account.status === "rejected";
  return render(
    c,
    `メディアポリシー: ${account.name}`,
    <>
      <Header account={account} current="/policy" title="メディアポリシー" />
      {forms.error ? <ErrorSummary state={refusal(forms.error)} /> : null}
      <p>
        メディアポリシーには、情報発信の目的、利用するソーシャルメディア、発信する情報の内容、利用方法（担当者・発信頻度・発信時期・発信方法・意見や質問への対応方法）と返信の可否を記載します（第4-2(1)(2)）。アカウント管理者が承認した版が現行の版となり、市公式ホームページで公開されます。
      </p>

      <section aria-labelledby="current-title">
        <h2 id="current-title">現行のメディアポリシー</h2>
        {current ? (
          <>
            <dl class="facts">
              <dt>版</dt>
              <dd>第{current.version}版</dd>
              <dt>承認</dt>
              <dd>
                {current.approvedAt ? <DateTime at={current.approvedAt} /> : "—"}（
                {current.approverName ?? "—"}）
              </dd>
              <dt>見直し期限（この市の設定）</dt>
              <dd>
                <ReviewDue reviewDue={current.reviewDue} today={today} soon={soon} />
              </dd>
            </dl>
            {view.reviewOverdue ? (
              <div class="notice notice-error" role="status">
                <p>
                  見直し期限（この市の設定）を過ぎています。内容を見直し、変更が必要なら新しい版を作成して承認してください。変更が不要なら「変更なしで見直しを完了」してください（見直しは第4-2(3)）。
                </p>
              </div>
            ) : null}
            <PolicyItems policy={current} />
          </>
        ) : (
          <div class="notice notice-warning">
            <p>
              承認済みのメディアポリシーはまだありません。アカウントを運用中にするには、必須項目をすべて記載し、アカウント管理者が承認したメディアポリシーが必要です（第4-2(1)）。
            </p>
          </div>
        )}
      </section>

      {current && view.can.approve && !closed ? (
        <section aria-labelledby="review-title">
          <h2 id="review-title">変更なしで見直しを完了</h2>
          <p>
            現行の版を見直し、利用するソーシャルメディアや社会環境の変化に照らして変更の必要がないことを確認した場合に記録します。見直し期限が、この市の設定した周期で新しく設定されます（見直しは第4-2(3)）。
          </p>
          <ErrorSummary state={review} />
          <form method="post" action={`${base}/review`} class="stack" novalidate>
            <Csrf token={csrf} />
            <TextArea
              name="note"
              label="見直しで確認した内容"
              hint="例: 発信内容・頻度・返信方針を確認し、現状に合っていることを確認しました。"
              state={review}
              rows={3}
              required
            />
            <div class="actions">
              <button type="submit">変更なしで見直しを完了</button>
            </div>
          </form>
        </section>
      ) : null}

      <section aria-labelledby="draft-title">
        <h2 id="draft-title">新しい版の作成</h2>
        {draft ? (
          <>
            <p>
              第{draft.version}版（{policyStatusLabels.draft}）: 作成 {draft.authorName ?? "—"}、最終更新{" "}
              <DateTime at={draft.updatedAt} />
            </p>
            {missing.length > 0 ? (
              <div class="notice notice-warning">
                <p>承認までに次の項目を記入してください（第4-2(1)(2)）。</p>
                <ul>
                  {missing.map((m) => (
                    <li>{policyFieldLabels[m]}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {draft.changeSummary ? (
              <p>
                主な変更点: <Lines text={draft.changeSummary} />
              </p>
            ) : null}
            <h3>{current ? `現行の第${current.version}版からの変更` : "初版の内容"}</h3>
            {current ? (
              <PolicyChanges changes={policyDiff(current, draft)} headingLevel={4} />
            ) : (
              <PolicyItems policy={draft} />
            )}
            <div class="actions">
              {view.can.draft ? (
                <a class="button" href={`${base}/edit`}>
                  下書きを編集する
                </a>
              ) : null}
              {view.can.approve ? (
                <form method="post" action={`${base}/approve`}>
                  <Csrf token={csrf} />
                  <input type="hidden" name="policyId" value={String(draft.id)} />
                  <button type="submit">第{draft.version}版を承認して公開する</button>
                </form>
              ) : null}
              {view.can.draft ? (
                <form method="post" action={`${base}/discard`}>
                  <Csrf token={csrf} />
                  <input type="hidden" name="policyId" value={String(draft.id)} />
                  <button type="submit" class="secondary">
                    下書きを破棄する
                  </button>
                </form>
              ) : null}
            </div>
            {view.can.draft && !view.can.approve ? (
              <p>承認できるのは、このアカウントの課等の長（アカウント管理者）です（第4-2(1)）。</p>
            ) : null}
          </>
        ) : closed ? (
          <p>廃止または却下されたアカウントのため、メディアポリシーは変更できません。</p>
        ) : view.can.draft ? (
          <>
            <p>
              {current
                ? `現行の第${current.version}版の内容を元に、第${current.version + 1}版の下書きを作成します。`
                : "ガイドラインのひな形の文面を元に、第1版の下書きを作成します。所属とサービスに合わせて修正してください。"}
            </p>
            <form method="post" action={`${base}/draft`}>
              <Csrf token={csrf} />
              <button type="submit">下書きを作成する</button>
            </form>
          </>
        ) : (
          <p>
            作成中の下書きはありません。メディアポリシーを作成できるのは、アカウントを所管する課の職員です。
          </p>
        )}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">版の履歴</h2>
        {view.versions.length === 0 ? (
          <p>まだ版がありません。</p>
        ) : (
          <>
            <p>公開した版はすべて残り、いつでも内容と変更点を確認できます。</p>
            <VersionTable accountId={account.id} versions={view.versions} />
          </>
        )}
      </section>
    </>,
    status,
  );
}

/**
 * The draft's edit form. `state` carries typed values and problems; with `stored`, the values
 * are the draft's own (after a refused approval, which posted no items).
 */
async function editPage(
  c: HttpContext,
  accountId: number,
  state?: FormState,
  status: Status = 200,
  stored = false,
) {
  const actor = actorOf(c);
  const view = await policyOverview(c.var.app, { actor, accountId });
  const { account, draft } = view;
  if (!draft || !view.can.draft) throw notFound("編集中の下書き");
  return render(
    c,
    `メディアポリシーの編集: ${account.name}`,
    <>
      <Header account={account} current="/policy" title={`メディアポリシー第${draft.version}版の編集`} />
      <p>「必須」の項目は、承認までにすべて記入してください。下書きは途中の状態でも保存できます。</p>
      <PolicyForm
        action={`/accounts/${account.id}/policy/edit`}
        csrf={csrfOf(c)}
        policyId={draft.id}
        version={draft.version}
        state={state ? (stored ? { ...state, values: valuesOf(draft) } : state) : emptyForm(valuesOf(draft))}
        cancelHref={`/accounts/${account.id}/policy`}
      />
    </>,
    status,
  );
}

/** The policy id posted by a form, or 404. */
function postedPolicyId(values: Record<string, string | undefined>): number {
  return intParam(values.policyId);
}

/** One version with what changed against the version before it. */
async function versionPage(c: HttpContext, accountId: number, version: number) {
  const actor = actorOf(c);
  const view = await getPolicyVersion(c.var.app, { actor, accountId, version });
  const { account, policy, previous } = view;
  const base = `/accounts/${account.id}/policy`;
  return render(
    c,
    `メディアポリシー第${policy.version}版: ${account.name}`,
    <>
      <Header account={account} current="/policy" title={`メディアポリシー第${policy.version}版`} />
      <p>
        <a href={base}>メディアポリシーの概要へ戻る</a>
      </p>
      <dl class="facts">
        <dt>状態</dt>
        <dd>{policyStatusLabels[policy.status]}</dd>
        <dt>作成</dt>
        <dd>
          {policy.authorName ?? "—"}（<DateTime at={policy.createdAt} />）
        </dd>
        <dt>承認</dt>
        <dd>
          {policy.approvedAt
            ? `${formatDateTime(policy.approvedAt)}（${policy.approverName ?? "—"}）`
            : "未承認"}
        </dd>
        {policy.status === "approved" ? (
          <>
            <dt>見直し期限</dt>
            <dd>{policy.reviewDue ? <DateText date={policy.reviewDue} /> : "未設定"}</dd>
          </>
        ) : null}
        <dt>主な変更点</dt>
        <dd>
          {policy.changeSummary ? <Lines text={policy.changeSummary} /> : policy.version === 1 ? "初版" : "—"}
        </dd>
      </dl>
      <section aria-labelledby="items-title">
        <h2 id="items-title">内容</h2>
        <PolicyItems policy={policy} />
      </section>
      <section aria-labelledby="changes-title">
        <h2 id="changes-title">{previous ? `第${previous.version}版からの変更点` : "変更点"}</h2>
        {previous ? (
          <>
            <PolicyChanges changes={view.changes} />
            <p>
              <a href={`${base}/v/${previous.version}`}>第{previous.version}版を表示する</a>
            </p>
          </>
        ) : (
          <p>この版より前に公開された版はありません（初版）。</p>
        )}
      </section>
    </>,
  );
}

/** The プロフィール tab. */
async function profilePage(c: HttpContext, accountId: number, state?: FormState, status: Status = 200) {
  const actor = actorOf(c);
  const view = await accountProfile(c.var.app, { actor, accountId });
  const { account, generated, last } = view;
  const platformName = platformLabel(account.platform);
  return render(
    c,
    `プロフィール: ${account.name}`,
    <>
      <Header account={account} current="/profile" title="プロフィール" />
      <p>
        アカウントの自由記述欄（プロフィール）には、①メディアポリシーと②このアカウントの運用を掲載している市公式ホームページ（所管サイト）のURLを掲載します（第4-4(3)）。URLは短縮せずに全て表示します（第4-4(4)）。キャラクターのアカウントを除き、所属も明示します（第5-3(1)）。
      </p>
      <section aria-labelledby="generated-title">
        <h2 id="generated-title">設定するプロフィール文</h2>
        <GeneratedBio generated={generated} platformName={platformName} />
      </section>
      <section aria-labelledby="check-title">
        <h2 id="check-title">現在のプロフィールの確認</h2>
        {last ? (
          <>
            <p>
              最終確認: {last.checkedAt ? <DateTime at={last.checkedAt} /> : "—"}{" "}
              {last.hasErrors ? <Badge tone="error">要修正</Badge> : <Badge tone="ok">問題なし</Badge>}
            </p>
            <RequirementList requirements={last.requirements} />
            <h3>確認したプロフィール</h3>
            <MarkedText text={last.text} findings={last.findings} />
            {last.length ? (
              <LengthLine length={last.length.used} limit={last.length.limit} unit={last.length.unit} />
            ) : null}
            <h3>指摘</h3>
            <FindingList findings={last.findings} />
          </>
        ) : (
          <p>
            まだ確認していません。{platformName}
            に設定されている現在のプロフィールを貼り付けて確認してください。
          </p>
        )}
        {view.canCheck ? (
          <>
            <ErrorSummary state={state} />
            <form method="post" action={`/accounts/${account.id}/profile`} class="stack" novalidate>
              <Csrf token={csrfOf(c)} />
              <TextArea
                name="text"
                label="いま設定されているプロフィール"
                hint={`${platformName}の自由記述欄に今表示されている文章を、そのまま貼り付けてください。確認結果はアカウントに記録されます。`}
                state={state}
                rows={4}
                required
              />
              <div class="actions">
                <button type="submit">確認する</button>
              </div>
            </form>
          </>
        ) : (
          <p>プロフィールを確認できるのは、アカウントを所管する課の職員とアカウント管理者です。</p>
        )}
      </section>
    </>,
    status,
  );
}

export function policyRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/accounts/:id/policy", (c) => policyPage(c, intParam(c.req.param("id"))));

  r.post("/accounts/:id/policy/draft", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const outcome = await submit({}, () => draftPolicy(c.var.app, { actor: actorOf(c), accountId }));
    if (!outcome.ok) return policyPage(c, accountId, { error: outcome.state.message }, outcome.status);
    return done(
      c,
      `/accounts/${accountId}/policy/edit`,
      `第${outcome.result.version}版の下書きを作成しました。`,
    );
  });

  r.get("/accounts/:id/policy/edit", (c) => editPage(c, intParam(c.req.param("id"))));

  r.post("/accounts/:id/policy/edit", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const values = await formBody(c);
    const policyId = postedPolicyId(values);
    const outcome = await submit(values, () =>
      updatePolicyDraft(c.var.app, { actor: actorOf(c), policyId, accountId, input: values }),
    );
    if (!outcome.ok) return editPage(c, accountId, outcome.state, outcome.status);
    return done(c, `/accounts/${accountId}/policy`, `第${outcome.result.version}版の下書きを保存しました。`);
  });

  r.post("/accounts/:id/policy/approve", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const values = await formBody(c);
    const policyId = postedPolicyId(values);
    const outcome = await submit(values, () =>
      approvePolicy(c.var.app, { actor: actorOf(c), policyId, accountId }),
    );
    if (!outcome.ok) {
      // Incomplete: the draft's form with each missing item marked, so it can be fixed there.
      if (outcome.status === 422) return editPage(c, accountId, outcome.state, 422, true);
      return policyPage(c, accountId, { error: outcome.state.message }, outcome.status);
    }
    return done(
      c,
      `/accounts/${accountId}/policy`,
      `第${outcome.result.version}版を承認しました。見直し期限は${outcome.result.reviewDue ? formatDate(outcome.result.reviewDue) : "—"}です。`,
    );
  });

  r.post("/accounts/:id/policy/discard", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const values = await formBody(c);
    const policyId = postedPolicyId(values);
    const outcome = await submit(values, () =>
      discardPolicyDraft(c.var.app, { actor: actorOf(c), policyId, accountId }),
    );
    if (!outcome.ok) return policyPage(c, accountId, { error: outcome.state.message }, outcome.status);
    return done(c, `/accounts/${accountId}/policy`, "下書きを破棄しました。");
  });

  r.post("/accounts/:id/policy/review", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const values = await formBody(c);
    const outcome = await submit(values, () =>
      completeReviewWithoutChange(c.var.app, { actor: actorOf(c), accountId, note: values.note }),
    );
    if (!outcome.ok) return policyPage(c, accountId, { review: outcome.state }, outcome.status);
    return done(
      c,
      `/accounts/${accountId}/policy`,
      `見直しの完了を記録しました。次の見直し期限は${outcome.result.reviewDue ? formatDate(outcome.result.reviewDue) : "—"}です。`,
    );
  });

  r.get("/accounts/:id/policy/v/:version", (c) =>
    versionPage(c, intParam(c.req.param("id")), intParam(c.req.param("version"))),
  );

  r.get("/accounts/:id/profile", (c) => profilePage(c, intParam(c.req.param("id"))));

  r.post("/accounts/:id/profile", async (c) => {
    const accountId = intParam(c.req.param("id"));
    const values = await formBody(c);
    const outcome = await submit(values, () =>
      checkCurrentProfile(c.var.app, { actor: actorOf(c), accountId, input: values }),
    );
    if (!outcome.ok) return profilePage(c, accountId, outcome.state, outcome.status);
    return done(
      c,
      `/accounts/${accountId}/profile#check-title`,
      outcome.result.hasErrors
        ? "プロフィールを確認しました。修正が必要な指摘があります。"
        : "プロフィールを確認しました。修正が必要な指摘はありません。",
    );
  });

  return r;
}
