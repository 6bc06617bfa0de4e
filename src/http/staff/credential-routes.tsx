/**
 * ID・パスワード管理 of an account (/accounts/:id/credentials, 4.3): who holds the login (never
 * the password itself), when the password was last changed and by whom, two-factor on the
 * platform, the security-policy reference; and the task pages (task-routes.tsx), mounted here.
 */
import { Hono } from "hono";
import {
  addHolder,
  type CredentialsView,
  getCredentials,
  type MemberView,
  recordPasswordChange,
  removeHolder,
  updateSecurity,
} from "../../app/credentials/credentials.ts";
import { toDateTimeLocal } from "../../app/credentials/rules.ts";
import { accountStatusLabels } from "../../domain/accounts.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, setFlash, submit } from "../render.tsx";
import { AccountHeader } from "../views/account-tabs.tsx";
import {
  Badge,
  Checkbox,
  Csrf,
  ErrorSummary,
  type FormState,
  SelectField,
  TextField,
} from "../views/components.tsx";
import { DateText, DateTime } from "../views/dates.tsx";
import { taskRoutes } from "./task-routes.tsx";

type Forms = { holder?: FormState; password?: FormState; security?: FormState };

const PlacementBadge = ({ m }: { m: MemberView }) =>
  m.placement === "inactive" ? (
    <Badge tone="error">在職していません</Badge>
  ) : m.placement === "elsewhere" ? (
    <Badge tone="warn">他の課に所属（{m.divisionName ?? "課なし"}）</Badge>
  ) : (
    <Badge tone="ok">この課の職員</Badge>
  );

function warnings(view: CredentialsView) {
  return (
    <>
      {view.managerVacant ? (
        <div class="notice notice-error" role="status">
          <p>
            この課の課等の長（アカウント管理者）がいません。新しい課長が発令されると、自動でアカウント管理者になります（第4-1(4)）。
          </p>
        </div>
      ) : null}
      {view.rotations.length > 0 ? (
        <div class={`notice ${view.rotations.some((t) => t.overdue) ? "notice-error" : "notice-warning"}`}>
          <h2>パスワードの変更が必要です（第4-3(2)）</h2>
          <ul>
            {view.rotations.map((t) => (
              <li>
                <a href={`/tasks/${t.id}`}>{t.title}</a>（期限:{" "}
                {t.dueDate ? <DateText date={t.dueDate} /> : "なし"}）{" "}
                {t.overdue ? <Badge tone="error">期限超過</Badge> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {view.overLimit ? (
        <div class="notice notice-warning">
          <p>
            ID・パスワードを扱う職員が{view.holders.length}
            人います。ガイドラインでは、扱う者を必要最小限にすることとされています（第4-3(1)）。この市の設定では
            {view.maxHolders}人までを目安としています。
          </p>
        </div>
      ) : null}
      {view.mfaEnabled ? null : (
        <div class="notice notice-warning">
          <p>
            2段階認証が「無効」と記録されています。プラットフォームで2段階認証を有効にし、この画面で記録してください（第4-3(3)）。
          </p>
        </div>
      )}
    </>
  );
}

const MemberTable = ({
  caption,
  members,
  remove,
}: {
  caption: string;
  members: MemberView[];
  remove?: { accountId: number; csrf: string };
}) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">氏名</th>
          <th scope="col">職員番号</th>
          <th scope="col">現在の所属</th>
          <th scope="col">登録日</th>
          {remove ? <th scope="col">操作</th> : null}
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr>
            <td>{m.name}</td>
            <td class="mono">{m.employeeNo}</td>
            <td>
              <PlacementBadge m={m} />
            </td>
            <td>
              <DateTime at={m.addedAt} />
            </td>
            {remove ? (
              <td>
                <form
                  method="post"
                  action={`/accounts/${remove.accountId}/credentials/holders/${m.staffId}/remove`}
                >
                  <Csrf token={remove.csrf} />
                  <button type="submit" class="secondary" aria-label={`${m.name}さんを外す`}>
                    外す
                  </button>
                </form>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

async function page(c: HttpContext, accountId: number, forms: Forms = {}, status: 200 | 409 | 422 = 200) {
  const actor = actorOf(c);
  const view = await getCredentials(c.var.app, { actor, accountId });
  const a = view.account;
  const csrf = csrfOf(c);
  const manage = view.canManage && view.editable;
  const base = `/accounts/${a.id}/credentials`;
  const people = view.choices.map((p) => ({ value: String(p.id), label: `${p.name}（${p.employeeNo}）` }));
  const changers = people.some((p) => p.value === String(actor.staffId))
    ? people
    : [...people, { value: String(actor.staffId), label: `${actor.name}（あなた）` }];
  return render(
    c,
    `ID・パスワード管理: ${a.name}`,
    <>
      <AccountHeader
        account={{
          id: a.id,
          name: a.name,
          platform: a.platform,
          divisionName: a.divisionName,
          statusLabel: accountStatusLabels[a.status],
        }}
        current="/credentials"
        title="ID・パスワード管理"
      />
      <div class="notice notice-info">
        <p>
          <strong>このシステムはパスワードそのものを保存しません。</strong>
          パスワードは、この画面の入力欄やメモを含め、システム内のどこにも書かないでください。ここで記録するのは、IDとパスワードを扱う職員（必要最小限にするため、第4-3(1)）、最後に変更した日時と変更した職員（第4-3(2)）、2段階認証の状態だけです。パスワードを保存しないのは、このシステムの方針です。
        </p>
      </div>
      {warnings(view)}
      {view.canManage ? null : (
        <p>この画面の内容を変更できるのは、このアカウントの課等の長（アカウント管理者）です（第4-1(4)）。</p>
      )}
      {view.canManage && !view.editable ? (
        <p>
          {a.status === "closed"
            ? "廃止されたアカウントのため、変更できません。"
            : "承認前のアカウントです。ID・パスワードを扱う職員は申請書で指定してください。"}
        </p>
      ) : null}

      <section aria-labelledby="holders-title">
        <h2 id="holders-title">ID・パスワードを扱う職員（第4-3(1)）</h2>
        <p>
          IDとパスワードを扱う職員は必要最小限にしてください（上限の目安: {view.maxHolders}
          人）。外した職員がパスワードを知っている場合は、パスワードを変更してください。
        </p>
        {view.holders.length === 0 ? (
          <p>
            <Badge tone="error">未登録</Badge> ID・パスワードを扱う職員が登録されていません。
          </p>
        ) : (
          <MemberTable
            caption={`ID・パスワードを扱う職員（${view.holders.length}人）`}
            members={view.holders}
            {...(manage ? { remove: { accountId: a.id, csrf } } : {})}
          />
        )}
        {manage ? (
          <>
            <h3>職員を追加する</h3>
            <ErrorSummary state={forms.holder} />
            <form method="post" action={`${base}/holders`} class="stack" novalidate>
              <Csrf token={csrf} />
              <SelectField
                name="staffId"
                label={`${a.divisionName}の職員から選ぶ`}
                options={view.choices
                  .filter((p) => !view.holders.some((h) => h.staffId === p.id))
                  .map((p) => ({ value: String(p.id), label: `${p.name}（${p.employeeNo}）` }))}
                blank="選択してください"
                state={forms.holder}
              />
              <TextField
                name="employeeNo"
                label="または職員番号で指定する"
                hint="ほかの課の職員を追加するときは、職員番号を入力してください。"
                state={forms.holder}
              />
              <div class="actions">
                <button type="submit">追加する</button>
              </div>
            </form>
          </>
        ) : null}
      </section>

      <section aria-labelledby="operators-title">
        <h2 id="operators-title">運用に携わる職員（参考）</h2>
        <p>
          人事異動で他の課へ移った職員は、発令日に運用に携わる職員とID・パスワードを扱う職員の一覧から外れ、アカウント管理者に一覧の確認とパスワード変更のタスクが届きます（第4-3(2)）。
          <a href={`/accounts/${a.id}`}>運用に携わる職員の変更はアカウントの概要ページで行います。</a>
        </p>
        {view.operators.length === 0 ? (
          <p>運用に携わる職員は登録されていません。</p>
        ) : (
          <MemberTable caption={`運用に携わる職員（${view.operators.length}人）`} members={view.operators} />
        )}
      </section>

      <section aria-labelledby="password-title">
        <h2 id="password-title">パスワードの変更（第4-3(2)）</h2>
        <dl class="facts">
          <dt>最後に変更した日時</dt>
          <dd>{view.passwordChangedAt ? <DateTime at={view.passwordChangedAt} /> : "記録がありません"}</dd>
          <dt>変更した職員</dt>
          <dd>{view.passwordChangedByName ? `${view.passwordChangedByName}さん` : "—"}</dd>
        </dl>
        {manage ? (
          <>
            <p>
              プラットフォームでパスワードを変更したら、ここに記録してください。人事異動によるパスワード変更のタスクも、あわせて完了になります。
            </p>
            <ErrorSummary state={forms.password} />
            <form method="post" action={`${base}/password`} class="stack" novalidate>
              <Csrf token={csrf} />
              <TextField
                name="changedAt"
                label="変更した日時"
                type="datetime-local"
                value={toDateTimeLocal(c.var.app.clock.now())}
                state={forms.password}
                required
              />
              <SelectField
                name="changedById"
                label="変更した職員"
                options={changers}
                value={String(actor.staffId)}
                state={forms.password}
                required
              />
              <div class="actions">
                <button type="submit">パスワードを変更しました</button>
              </div>
            </form>
          </>
        ) : null}
      </section>

      <section aria-labelledby="security-title">
        <h2 id="security-title">セキュリティ設定（第4-3(3)）</h2>
        <dl class="facts">
          <dt>2段階認証</dt>
          <dd>{view.mfaEnabled ? <Badge tone="ok">有効</Badge> : <Badge tone="error">無効</Badge>}</dd>
          <dt>情報セキュリティポリシーの該当箇所</dt>
          <dd>{view.securityPolicyRef || "未設定"}</dd>
        </dl>
        {manage ? (
          <>
            <ErrorSummary state={forms.security} />
            <form method="post" action={`${base}/security`} class="stack" novalidate>
              <Csrf token={csrf} />
              <Checkbox
                name="mfaEnabled"
                label="プラットフォームで2段階認証を有効にしている"
                checked={forms.security ? forms.security.values.mfaEnabled === "on" : view.mfaEnabled}
              />
              <TextField
                name="securityPolicyRef"
                label="情報セキュリティポリシーの該当箇所"
                hint="市の情報セキュリティポリシーのうち、このアカウントに適用される箇所（例: 情報セキュリティ対策基準 第5章 2(3)）"
                value={view.securityPolicyRef}
                state={forms.security}
                maxlength={500}
              />
              <div class="actions">
                <button type="submit">保存する</button>
              </div>
            </form>
          </>
        ) : null}
      </section>
    </>,
    status,
  );
}

export function credentialRoutes() {
  const r = new Hono<AppEnv>();
  const accountId = (c: HttpContext) => intParam(c.req.param("id"));

  r.get("/accounts/:id/credentials", (c) => page(c, accountId(c)));

  r.post("/accounts/:id/credentials/holders", async (c) => {
    const id = accountId(c);
    const values = await formBody(c);
    const result = await submit(values, () =>
      addHolder(c.var.app, { actor: actorOf(c), accountId: id, input: values }),
    );
    if (!result.ok) return page(c, id, { holder: result.state }, result.status);
    const { person, count, overLimit, max } = result.result;
    if (!overLimit) return done(c, `/accounts/${id}/credentials`, `${person.name}さんを追加しました。`);
    setFlash(c, {
      kind: "warning",
      text: `${person.name}さんを追加しました。ID・パスワードを扱う職員が${count}人になり、この市が設定した上限の目安（${max}人）を超えています。必要最小限にしてください（第4-3(1)）。`,
    });
    return c.redirect(`/accounts/${id}/credentials`, 303);
  });

  r.post("/accounts/:id/credentials/holders/:staffId/remove", async (c) => {
    const id = accountId(c);
    const staffId = intParam(c.req.param("staffId"));
    const { person } = await removeHolder(c.var.app, { actor: actorOf(c), accountId: id, staffId });
    return done(
      c,
      `/accounts/${id}/credentials`,
      `${person.name}さんを外しました。パスワードを変更して、パスワード変更のタスクで記録してください（第4-3(2)）。`,
    );
  });

  r.post("/accounts/:id/credentials/password", async (c) => {
    const id = accountId(c);
    const values = await formBody(c);
    const result = await submit(values, () =>
      recordPasswordChange(c.var.app, { actor: actorOf(c), accountId: id, input: values }),
    );
    if (!result.ok) return page(c, id, { password: result.state }, result.status);
    const closed = result.result.closedTaskIds.length;
    return done(
      c,
      `/accounts/${id}/credentials`,
      closed > 0
        ? `パスワードの変更を記録し、パスワード変更のタスク${closed}件を完了にしました。`
        : "パスワードの変更を記録しました。",
    );
  });

  r.post("/accounts/:id/credentials/security", async (c) => {
    const id = accountId(c);
    const values = await formBody(c);
    const input = { ...values, mfaEnabled: values.mfaEnabled === "on" ? "on" : "off" };
    const result = await submit(input, () =>
      updateSecurity(c.var.app, { actor: actorOf(c), accountId: id, input }),
    );
    if (!result.ok) return page(c, id, { security: result.state }, result.status);
    return done(c, `/accounts/${id}/credentials`, "セキュリティ設定を保存しました。");
  });

  r.route("/", taskRoutes());
  return r;
}
