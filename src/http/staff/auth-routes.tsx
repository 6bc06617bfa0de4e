/**
 * Sign-in pages: login (password), the TOTP step, logout, and the one-time link page where a new
 * or reset user sets a password.
 */
import { Hono } from "hono";
import {
  completeTotp,
  login,
  logout,
  peekPasswordLink,
  redeemPasswordLink,
} from "../../app/auth/sessions.ts";
import { AppError } from "../../errors.ts";
import { clientAddress } from "../client-address.ts";
import type { AppEnv } from "../env.ts";
import { clearSessionCookie, setSessionCookie } from "../middleware/session.ts";
import { done, formBody, render } from "../render.tsx";
import { Csrf, ErrorSummary, emptyForm, type FormState, TextField } from "../views/components.tsx";
import { safeNext } from "./safe-next.ts";

export type DemoLogin = { login: string; name: string; unit: string; roles: string };

const LoginForm = (props: { state: FormState; next: string; csrf: string; demo: DemoLogin[] }) => (
  <>
    <h1>ログイン</h1>
    <ErrorSummary state={props.state} />
    <form method="post" action="/login" class="stack" novalidate>
      {props.csrf ? <Csrf token={props.csrf} /> : null}
      <input type="hidden" name="next" value={props.next} />
      <TextField
        name="login"
        label="ログインID（職員番号）"
        hint="職員番号の代わりにメールアドレスでもログインできます。"
        state={props.state}
        autocomplete="username"
        required
      />
      <TextField
        name="password"
        label="パスワード"
        type="password"
        state={props.state}
        autocomplete="current-password"
        required
      />
      <div class="actions">
        <button type="submit">ログイン</button>
      </div>
    </form>
    <p>パスワードを忘れた場合は、システム管理者にパスワード再設定用リンクの発行を依頼してください。</p>
    {props.demo.length > 0 ? (
      <section aria-labelledby="demo-title" class="notice notice-info">
        <h2 id="demo-title">デモ用のログイン</h2>
        <p>
          {`デモ環境です。次のログインID（職員番号）とパスワード「demo-password」で、デモの職員${props.demo.length}人のだれとしてもログインできます。申請を進めるときは、その部の部長（情報管理者）でログインし直してください。`}
        </p>
        <div class="table-wrap">
          <table>
            <caption>{`デモの職員（${props.demo.length}人）`}</caption>
            <thead>
              <tr>
                <th scope="col">ログインID</th>
                <th scope="col">氏名</th>
                <th scope="col">所属</th>
                <th scope="col">役割</th>
              </tr>
            </thead>
            <tbody>
              {props.demo.map((d) => (
                <tr>
                  <td class="mono">{d.login}</td>
                  <td>{d.name}</td>
                  <td>{d.unit}</td>
                  <td>{d.roles}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    ) : null}
  </>
);

const TotpForm = (props: { state: FormState; next: string; csrf: string }) => (
  <>
    <h1>2段階認証</h1>
    <p>認証アプリに表示されている6桁の確認コードを入力してください。</p>
    <ErrorSummary state={props.state} />
    <form method="post" action="/login/2fa" class="stack" novalidate>
      <Csrf token={props.csrf} />
      <input type="hidden" name="next" value={props.next} />
      <TextField
        name="code"
        label="確認コード"
        state={props.state}
        autocomplete="one-time-code"
        inputmode="numeric"
        maxlength={8}
        required
      />
      <div class="actions">
        <button type="submit">確認する</button>
      </div>
    </form>
  </>
);

const PasswordForm = (props: {
  state: FormState;
  token: string;
  name: string;
  purpose: string;
  csrf: string;
}) => (
  <>
    <h1>{props.purpose === "setup" ? "パスワードの設定" : "パスワードの再設定"}</h1>
    <p>{props.name} さんのパスワードを設定します。このリンクは一度だけ使えます。</p>
    <ErrorSummary state={props.state} />
    <form method="post" action={`/password/${props.token}`} class="stack" novalidate>
      {props.csrf ? <Csrf token={props.csrf} /> : null}
      <TextField
        name="password"
        label="新しいパスワード"
        type="password"
        state={props.state}
        autocomplete="new-password"
        hint="8文字以上128文字以内。記号や数字を混ぜる必要はありません。長い文章のようなパスワードがおすすめです。よく使われるパスワードや、市の名前・システム名・ご自身の氏名・ログインID・所属の名前に数字や記号を足しただけのものは使えません。"
        required
      />
      <TextField
        name="confirm"
        label="新しいパスワード（確認）"
        type="password"
        state={props.state}
        autocomplete="new-password"
        required
      />
      <div class="actions">
        <button type="submit">パスワードを設定する</button>
      </div>
    </form>
  </>
);

/** Routes for signing in and out. `demo` lists demo logins shown on the login page. */
export function authRoutes(demo: DemoLogin[] = []) {
  const r = new Hono<AppEnv>();

  r.get("/login", (c) => {
    if (c.var.session?.state === "active") return c.redirect(safeNext(c.req.query("next")), 303);
    c.header("Cache-Control", "no-store");
    const next = safeNext(c.req.query("next"));
    return render(
      c,
      "ログイン",
      <LoginForm state={emptyForm()} next={next} csrf={c.var.session?.csrf ?? ""} demo={demo} />,
    );
  });

  r.post("/login", async (c) => {
    c.header("Cache-Control", "no-store");
    const values = await formBody(c);
    const next = safeNext(values.next);
    try {
      const result = await login(c.var.app, {
        login: values.login ?? "",
        password: values.password ?? "",
        ip: clientAddress(c),
        userAgent: c.req.header("user-agent") ?? "",
      });
      // Signing in again in the same browser ends the session it had (ASVS 7.2.4).
      const earlier = c.var.session;
      if (earlier) await logout(c.var.app, { rawId: earlier.rawId });
      setSessionCookie(c, result.session.rawId);
      if (result.kind === "needs_totp") return c.redirect(`/login/2fa?next=${encodeURIComponent(next)}`, 303);
      return c.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const state: FormState = { values: { login: values.login }, issues: [], message: error.message };
      const status = error.status === 429 ? 429 : 422;
      return render(
        c,
        "ログイン",
        <LoginForm state={state} next={next} csrf={c.var.session?.csrf ?? ""} demo={demo} />,
        status,
      );
    }
  });

  r.get("/login/2fa", (c) => {
    c.header("Cache-Control", "no-store");
    if (c.var.session?.state !== "pending_2fa") return c.redirect("/login", 303);
    return render(
      c,
      "2段階認証",
      <TotpForm state={emptyForm()} next={safeNext(c.req.query("next"))} csrf={c.var.session.csrf} />,
    );
  });

  r.post("/login/2fa", async (c) => {
    c.header("Cache-Control", "no-store");
    const session = c.var.session;
    if (session?.state !== "pending_2fa") return c.redirect("/login", 303);
    const values = await formBody(c);
    const next = safeNext(values.next);
    try {
      const fresh = await completeTotp(c.var.app, {
        pendingRawId: session.rawId,
        code: values.code ?? "",
        ip: clientAddress(c),
        userAgent: c.req.header("user-agent") ?? "",
      });
      setSessionCookie(c, fresh.rawId);
      return c.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const state: FormState = { values: {}, issues: [{ field: "code", message: error.message }] };
      return render(
        c,
        "2段階認証",
        <TotpForm state={state} next={next} csrf={session.csrf} />,
        error.status === 429 ? 429 : 422,
      );
    }
  });

  r.post("/logout", async (c) => {
    const session = c.var.session;
    if (session) await logout(c.var.app, { rawId: session.rawId });
    clearSessionCookie(c);
    return done(c, "/login", "ログアウトしました。");
  });

  r.get("/password/:token", async (c) => {
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    const token = c.req.param("token");
    const who = await peekPasswordLink(c.var.app, token);
    if (!who) {
      return render(
        c,
        "リンクが無効です",
        <>
          <h1>このリンクは使えません</h1>
          <p>
            リンクは使用済みか、有効期限が切れています。システム管理者にパスワード設定用リンクの再発行を依頼してください。
          </p>
        </>,
        404,
      );
    }
    return render(
      c,
      "パスワードの設定",
      <PasswordForm
        state={emptyForm()}
        token={token}
        name={who.name}
        purpose={who.purpose}
        csrf={c.var.session?.csrf ?? ""}
      />,
    );
  });

  r.post("/password/:token", async (c) => {
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    const token = c.req.param("token");
    const who = await peekPasswordLink(c.var.app, token);
    const values = await formBody(c);
    const retry = (state: FormState) =>
      render(
        c,
        "パスワードの設定",
        <PasswordForm
          state={state}
          token={token}
          name={who?.name ?? ""}
          purpose={who?.purpose ?? "reset"}
          csrf={c.var.session?.csrf ?? ""}
        />,
        422,
      );
    if (values.password !== values.confirm) {
      return retry({
        values: {},
        issues: [{ field: "confirm", message: "確認用のパスワードが一致しません。" }],
      });
    }
    try {
      await redeemPasswordLink(c.var.app, { raw: token, password: values.password ?? "" });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return retry({
        values: {},
        issues: error.fields.length ? error.fields : [{ field: "password", message: error.message }],
      });
    }
    clearSessionCookie(c);
    return done(c, "/login", "パスワードを設定しました。新しいパスワードでログインしてください。");
  });

  return r;
}
