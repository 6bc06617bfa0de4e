/**
 * System settings for administrators: which guideline roles must use two-factor sign-in, and
 * signing everyone out but oneself (OWASP ASVS 5.0 7.4.5).
 */
import { Hono } from "hono";
import { endEveryonesSessions } from "../../app/auth/session-list.ts";
import { rolesRequiringTwoFactor } from "../../app/auth/sessions.ts";
import { setRequiredTwoFactorRoles } from "../../app/auth/two-factor.ts";
import { authorize } from "../../app/authorize.ts";
import { formatMinutes } from "../../domain/dates.ts";
import { roleLabels, roles } from "../../domain/roles.ts";
import type { AppEnv } from "../env.ts";
import { actorOf, csrfOf, done, formAll, render } from "../render.tsx";
import { Checkbox, Csrf } from "../views/components.tsx";

export function adminRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/admin/settings", async (c) => {
    const actor = actorOf(c);
    await authorize(c.var.app, actor, "settings.manage");
    const required = await rolesRequiringTwoFactor(c.var.app.db);
    const config = c.var.app.config;
    return render(
      c,
      "システム設定",
      <>
        <h1>システム設定</h1>
        <section aria-labelledby="tfa-title">
          <h2 id="tfa-title">2段階認証を必須にする役割</h2>
          <p>選んだ役割を持つ職員は、次回のログインから2段階認証の設定が終わるまで他の画面を使えません。</p>
          <form method="post" action="/admin/settings/2fa" class="stack">
            <Csrf token={csrfOf(c)} />
            <fieldset>
              <legend>役割</legend>
              {roles.map((role) => (
                <Checkbox
                  name="roles"
                  value={role}
                  label={roleLabels[role]}
                  checked={required.includes(role)}
                />
              ))}
            </fieldset>
            <div class="actions">
              <button type="submit">保存する</button>
            </div>
          </form>
        </section>
        <section aria-labelledby="logout-all-title">
          <h2 id="logout-all-title">全員をログアウトさせる</h2>
          <p>
            不正なログインが疑われるときなどに、すべての職員のすべての端末をログアウトさせます。あなたがいま使っているこの端末だけはログインしたままです。ほかの職員は、次の操作でログイン画面に戻り、もう一度ログインする必要があります。
          </p>
          <p>APIトークンは無効になりません。トークンは、各職員がアカウント設定で無効にします。</p>
          <form method="post" action="/admin/settings/end-all-sessions" class="actions">
            <Csrf token={csrfOf(c)} />
            <button type="submit" class="danger">
              全員をログアウトさせる
            </button>
          </form>
        </section>
        <section aria-labelledby="env-title">
          <h2 id="env-title">起動時の設定（環境変数）</h2>
          <dl class="facts">
            <dt>公開URL</dt>
            <dd>{config.publicUrl}</dd>
            <dt>データベース</dt>
            <dd>{config.databaseUrl ? "PostgreSQL サーバー" : `内蔵データベース（${config.dataDir}）`}</dd>
            <dt>メール送信（SMTP）</dt>
            <dd>
              {config.smtp
                ? `${config.smtp.host}:${config.smtp.port}（差出人: ${config.smtp.from}）`
                : "未設定（SNSGOV_SMTP_HOST と SNSGOV_SMTP_FROM を設定すると、通知をメールでも送ります）"}
            </dd>
            <dt>無操作でのログアウト</dt>
            <dd>{formatMinutes(config.sessionIdleMinutes)}</dd>
            <dt>ログインの最長時間</dt>
            <dd>{formatMinutes(config.sessionAbsoluteMinutes)}</dd>
            <dt>ログイン失敗での制限</dt>
            <dd>
              {config.loginMaxFailures}回失敗で{config.loginLockMinutes}分間
            </dd>
          </dl>
        </section>
      </>,
    );
  });

  r.post("/admin/settings/2fa", async (c) => {
    const selected = await formAll(c, "roles");
    await setRequiredTwoFactorRoles(c.var.app, { actor: actorOf(c), input: { roles: selected } });
    return done(c, "/admin/settings", "2段階認証の設定を保存しました。");
  });

  r.post("/admin/settings/end-all-sessions", async (c) => {
    const ended = await endEveryonesSessions(c.var.app, {
      actor: actorOf(c),
      keepIdHash: c.var.session?.idHash ?? "",
    });
    return done(
      c,
      "/admin/settings",
      `あなたのこの端末を除く、すべての端末（${ended}台）をログアウトさせました。`,
    );
  });

  return r;
}
