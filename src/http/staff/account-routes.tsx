/**
 * My account: change password, two-factor sign-in (enrol with a QR code, confirm, disable), a link
 * to the signed-in devices (session-routes.tsx),
 * and personal API tokens (create — shown once — and revoke).
 */
import { Hono } from "hono";
import { raw } from "hono/html";
import { createApiToken, listApiTokens, revokeApiToken, tokenActive } from "../../app/auth/api-tokens.ts";
import { changePassword } from "../../app/auth/sessions.ts";
import {
  beginTwoFactor,
  confirmTwoFactor,
  disableTwoFactor,
  twoFactorStatus,
} from "../../app/auth/two-factor.ts";
import { findCredentials } from "../../db/repos/auth.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import {
  Badge,
  Checkbox,
  Csrf,
  ErrorSummary,
  type FormState,
  SelectField,
  TextField,
} from "../views/components.tsx";
import { DateTime } from "../views/dates.tsx";

const expiryOptions = [
  { value: "30", label: "30日" },
  { value: "90", label: "90日" },
  { value: "180", label: "180日" },
  { value: "366", label: "1年" },
];

export function accountRoutes() {
  const r = new Hono<AppEnv>();

  const overview = async (
    c: HttpContext,
    forms: { password?: FormState; token?: FormState; newToken?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const actor = actorOf(c);
    const ctx = c.var.app;
    const [tokens, twoFactor, credentials] = await Promise.all([
      listApiTokens(ctx, actor),
      twoFactorStatus(ctx, actor),
      findCredentials(ctx.db, actor.staffId),
    ]);
    const csrf = csrfOf(c);
    const now = ctx.clock.now();
    const activeTokens = tokens.filter((t) => tokenActive(t, now)).length;
    return render(
      c,
      "アカウント設定",
      <>
        <h1>アカウント設定</h1>
        <section aria-labelledby="pw-title">
          <h2 id="pw-title">パスワードの変更</h2>
          <p>
            最終変更:{" "}
            {credentials?.passwordChangedAt ? <DateTime at={credentials.passwordChangedAt} /> : "記録なし"}
            。変更すると、この画面以外のログインはすべて終了します。
          </p>
          <ErrorSummary state={forms.password} />
          <form method="post" action="/account/password" class="stack" novalidate>
            <Csrf token={csrf} />
            <TextField
              name="current"
              label="現在のパスワード"
              type="password"
              autocomplete="current-password"
              state={forms.password}
              required
            />
            <TextField
              name="next"
              label="新しいパスワード"
              type="password"
              autocomplete="new-password"
              hint="8文字以上128文字以内。よく使われるパスワードや、市の名前・システム名・ご自身の氏名・ログインID・所属の名前に数字や記号を足しただけのものは使えません。"
              state={forms.password}
              required
            />
            <TextField
              name="confirm"
              label="新しいパスワード（確認）"
              type="password"
              autocomplete="new-password"
              state={forms.password}
              required
            />
            {activeTokens > 0 ? (
              <Checkbox
                name="revokeTokens"
                label="APIトークンもすべて無効にする"
                checked={forms.password ? forms.password.values.revokeTokens === "on" : true}
                hint={`いま有効なAPIトークンが${activeTokens}件あります。パスワードが他の人に知られたおそれがあるときは、チェックを入れたまま変更してください。無効にしたトークンを使っている連携は、新しいトークンを作成して設定し直すまで使えなくなります。`}
              />
            ) : null}
            <div class="actions">
              <button type="submit">パスワードを変更する</button>
            </div>
          </form>
        </section>
        <section aria-labelledby="tfa-title">
          <h2 id="tfa-title">2段階認証</h2>
          <p>
            状態: {twoFactor.enabled ? <Badge tone="ok">有効</Badge> : <Badge tone="warn">無効</Badge>}
            {twoFactor.required ? "（あなたの役割では必須です）" : ""}
          </p>
          <p>
            <a href="/account/2fa">2段階認証の設定へ</a>
          </p>
        </section>
        <section aria-labelledby="sessions-title">
          <h2 id="sessions-title">ログイン中の端末</h2>
          <p>
            <a href="/account/sessions">ログイン中の端末の確認へ</a>
            （いまログインしているパソコンやスマートフォンの一覧。ほかの端末をログアウトさせることもできます）
          </p>
        </section>
        <section aria-labelledby="notify-title">
          <h2 id="notify-title">通知とカレンダー</h2>
          <p>
            <a href="/account/notifications">通知の設定へ</a>
            （メールの受け取り方、Outlook などのカレンダーへの期限の表示）
          </p>
        </section>
        <section aria-labelledby="tokens-title">
          <h2 id="tokens-title">APIトークン</h2>
          <p>
            APIトークンを使うと、他のシステムから snsgov の
            API（/api/v1）をあなたの権限で利用できます。トークンは作成時に一度だけ表示されます。
          </p>
          <p>
            トークンの作成は、この画面（ブラウザでのログイン）からだけできます。APIトークンを使って別のトークンを作成することはできません。
          </p>
          {forms.newToken ? (
            <div class="notice notice-success" role="status">
              <h3>新しいAPIトークン</h3>
              <p>この値は二度と表示されません。安全な場所に保管してください。</p>
              <p class="secret">{forms.newToken}</p>
            </div>
          ) : null}
          {tokens.length > 0 ? (
            <div class="table-wrap">
              <table>
                <caption>あなたのAPIトークン</caption>
                <thead>
                  <tr>
                    <th scope="col">名前</th>
                    <th scope="col">先頭</th>
                    <th scope="col">作成</th>
                    <th scope="col">有効期限</th>
                    <th scope="col">最終利用</th>
                    <th scope="col">状態</th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((t) => (
                    <tr>
                      <td>{t.name}</td>
                      <td class="mono">{t.prefix}…</td>
                      <td>
                        <DateTime at={t.createdAt} />
                      </td>
                      <td>{t.expiresAt ? <DateTime at={t.expiresAt} /> : "なし"}</td>
                      <td>{t.lastUsedAt ? <DateTime at={t.lastUsedAt} /> : "未使用"}</td>
                      <td>
                        {t.revokedAt ? (
                          <Badge tone="muted">無効化済み</Badge>
                        ) : (
                          <form method="post" action={`/account/tokens/${t.id}/revoke`}>
                            <Csrf token={csrf} />
                            <button type="submit" class="secondary" aria-label={`「${t.name}」を無効にする`}>
                              無効にする
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>APIトークンはまだありません。</p>
          )}
          <h3>APIトークンを作成</h3>
          <ErrorSummary state={forms.token} />
          <form method="post" action="/account/tokens" class="stack" novalidate>
            <Csrf token={csrf} />
            <TextField
              name="name"
              label="トークンの名前"
              hint="用途がわかる名前（例: 庁内CMS連携）"
              state={forms.token}
              required
            />
            <SelectField
              name="expiresInDays"
              label="有効期間"
              options={expiryOptions}
              value="90"
              state={forms.token}
            />
            <div class="actions">
              <button type="submit">作成する</button>
            </div>
          </form>
        </section>
      </>,
      status,
    );
  };

  r.get("/account", (c) => overview(c));

  r.post("/account/password", async (c) => {
    const actor = actorOf(c);
    const session = c.var.session;
    const values = await formBody(c);
    if (values.next !== values.confirm) {
      return overview(
        c,
        {
          password: {
            values: { revokeTokens: values.revokeTokens ?? "" },
            issues: [{ field: "confirm", message: "確認用のパスワードが一致しません。" }],
          },
        },
        422,
      );
    }
    // An unchecked box sends nothing; only "on" (what the checkbox sends) revokes (ASVS 7.4.3).
    const revokeTokens = values.revokeTokens === "on";
    const result = await submit({ revokeTokens: values.revokeTokens ?? "" }, () =>
      changePassword(c.var.app, {
        actor,
        current: values.current ?? "",
        next: values.next ?? "",
        keepSessionHash: session?.idHash ?? "",
        revokeTokens,
      }),
    );
    if (!result.ok) return overview(c, { password: result.state }, result.status);
    const revoked = result.result.tokensRevoked;
    return done(
      c,
      "/account",
      revoked > 0
        ? `パスワードを変更しました。APIトークン（${revoked}件）も無効にしました。`
        : "パスワードを変更しました。",
    );
  });

  r.post("/account/tokens", async (c) => {
    const actor = actorOf(c);
    const values = await formBody(c);
    const result = await submit(values, () => createApiToken(c.var.app, { actor, input: values }));
    if (!result.ok) return overview(c, { token: result.state }, result.status);
    c.header("Cache-Control", "no-store");
    return overview(c, { newToken: result.result.token });
  });

  r.post("/account/tokens/:id/revoke", async (c) => {
    await revokeApiToken(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return done(c, "/account", "APIトークンを無効にしました。");
  });

  const twoFactorPage = async (c: HttpContext, state?: FormState, status: 200 | 409 | 422 = 200) => {
    const actor = actorOf(c);
    const ctx = c.var.app;
    const status2fa = await twoFactorStatus(ctx, actor);
    const csrf = csrfOf(c);
    const required = c.req.query("required") === "1" || status2fa.required;
    if (status2fa.enabled) {
      return render(
        c,
        "2段階認証",
        <>
          <h1>2段階認証</h1>
          <p>
            <Badge tone="ok">有効</Badge> ログインのたびに、認証アプリの確認コードが必要です。
          </p>
          {status2fa.required ? (
            <p>
              あなたの役割では2段階認証が必須のため、無効にできません。スマートフォンを紛失した場合はシステム管理者に連絡してください。
            </p>
          ) : (
            <>
              <h2>2段階認証を無効にする</h2>
              <ErrorSummary state={state} />
              <form method="post" action="/account/2fa/disable" class="stack" novalidate>
                <Csrf token={csrf} />
                <TextField
                  name="password"
                  label="パスワード"
                  type="password"
                  autocomplete="current-password"
                  state={state}
                  required
                />
                <div class="actions">
                  <button type="submit" class="danger">
                    無効にする
                  </button>
                </div>
              </form>
            </>
          )}
          <p>
            <a href="/account">アカウント設定へ戻る</a>
          </p>
        </>,
        status,
      );
    }
    const enrol = await beginTwoFactor(ctx, actor);
    c.header("Cache-Control", "no-store");
    return render(
      c,
      "2段階認証の設定",
      <>
        <h1>2段階認証の設定</h1>
        {required ? (
          <div class="notice notice-warning" role="status">
            <p>あなたの役割では2段階認証が必須です。設定が終わるまで、他の画面は使えません。</p>
          </div>
        ) : null}
        <ol>
          <li>
            スマートフォンの認証アプリ（Google Authenticator、Microsoft Authenticator など）を開きます。
          </li>
          <li>次のQRコードを読み取るか、キーを手入力します。</li>
          <li>アプリに表示された6桁の確認コードを入力します。</li>
        </ol>
        <figure class="qr">
          <div role="img" aria-label="認証アプリ用のQRコード（下のキーと同じ内容です）">
            {raw(enrol.svg)}
          </div>
          <figcaption>
            手入力用のキー: <span class="secret">{enrol.secret}</span>
          </figcaption>
        </figure>
        <ErrorSummary state={state} />
        <form method="post" action="/account/2fa/confirm" class="stack" novalidate>
          <Csrf token={csrf} />
          <TextField
            name="code"
            label="確認コード（6桁）"
            autocomplete="one-time-code"
            inputmode="numeric"
            maxlength={8}
            state={state}
            required
          />
          <div class="actions">
            <button type="submit">2段階認証を有効にする</button>
          </div>
        </form>
      </>,
      status,
    );
  };

  r.get("/account/2fa", (c) => twoFactorPage(c));

  r.post("/account/2fa/confirm", async (c) => {
    const values = await formBody(c);
    const result = await submit({}, () =>
      confirmTwoFactor(c.var.app, {
        actor: actorOf(c),
        code: values.code ?? "",
        keepSessionHash: c.var.session?.idHash ?? "",
      }),
    );
    if (!result.ok) return twoFactorPage(c, result.state, result.status);
    return done(c, "/account", "2段階認証を有効にしました。次回のログインから確認コードが必要です。");
  });

  r.post("/account/2fa/disable", async (c) => {
    const values = await formBody(c);
    try {
      await disableTwoFactor(c.var.app, {
        actor: actorOf(c),
        password: values.password ?? "",
        keepSessionHash: c.var.session?.idHash ?? "",
      });
    } catch (error) {
      if (error instanceof AppError && error.code === "validation")
        return twoFactorPage(c, { values: {}, issues: error.fields }, 422);
      throw error;
    }
    return done(c, "/account", "2段階認証を無効にしました。");
  });

  return r;
}
