/**
 * 「ログイン中の端末」 (OWASP ASVS 5.0 7.5.2): the signed-in person's live sessions, when each
 * started, was last used and stays valid until, which browser it is, which one is this device;
 * ending one other device, or all the others. Each device is named in the form by the SHA-256
 * stored for it, which cannot sign anyone in.
 */
import { Hono } from "hono";
import { endOtherOwnSessions, endOwnSession, listOwnSessions } from "../../app/auth/session-list.ts";
import { formatDateTime, formatMinutes } from "../../domain/dates.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, render } from "../render.tsx";
import { Badge, Csrf, ErrorSummary, type FormState, refusal } from "../views/components.tsx";
import { DateTime } from "../views/dates.tsx";

export function sessionRoutes() {
  const r = new Hono<AppEnv>();

  const page = async (c: HttpContext, state?: FormState, status: 200 | 404 | 409 | 422 = 200) => {
    const actor = actorOf(c);
    const current = c.var.session?.idHash;
    const sessions = await listOwnSessions(c.var.app, { actor, currentIdHash: current });
    const others = sessions.filter((s) => !s.current);
    const csrf = csrfOf(c);
    const idle = c.var.app.config.sessionIdleMinutes;
    const absolute = c.var.app.config.sessionAbsoluteMinutes;
    return render(
      c,
      "ログイン中の端末",
      <>
        <h1>ログイン中の端末</h1>
        <p>
          あなたのアカウントでいまログインしている端末（パソコンやスマートフォンのブラウザ）の一覧です。心当たりのない端末があれば、その端末をログアウトさせてから、パスワードを変更してください。
        </p>
        <p>
          「最後の利用」は1分に1回までしか記録しないため、最大で1分ほど前の時刻になることがあります。「有効期限」は、操作しないまま
          {formatMinutes(idle)}たつか、ログインから{formatMinutes(absolute)}
          たつかの、早いほうです。APIトークンは端末ではないため、ここには表示されず、ログアウトさせても無効になりません（
          <a href="/account">アカウント設定</a>で無効にできます）。
        </p>
        <ErrorSummary state={state} />
        <div class="table-wrap">
          <table>
            <caption>{`ログイン中の端末（${sessions.length}台）`}</caption>
            <thead>
              <tr>
                <th scope="col">端末</th>
                <th scope="col">ログインした日時</th>
                <th scope="col">最後の利用</th>
                <th scope="col">有効期限</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr>
                  <td data-label="端末">
                    <strong>{s.device}</strong> {s.current ? <Badge tone="ok">この端末</Badge> : null}
                    {s.state === "pending_2fa" ? <Badge tone="warn">確認コード待ち</Badge> : null}
                    <details>
                      <summary>ブラウザが送った情報</summary>
                      <p class="mono">{s.userAgent || "（送られていません）"}</p>
                    </details>
                  </td>
                  <td data-label="ログインした日時">
                    <DateTime at={s.createdAt} />
                  </td>
                  <td data-label="最後の利用">
                    <DateTime at={s.lastSeenAt} />
                  </td>
                  <td data-label="有効期限">
                    <DateTime at={s.validUntil} />
                  </td>
                  <td data-label="操作">
                    {s.current ? (
                      "この端末は画面上部の「ログアウト」でログアウトできます。"
                    ) : (
                      <form method="post" action="/account/sessions/end">
                        <Csrf token={csrf} />
                        <input type="hidden" name="session" value={s.id} />
                        <button
                          type="submit"
                          class="secondary"
                          aria-label={`この端末をログアウトさせる（${s.device}、${formatDateTime(s.createdAt)}にログイン）`}
                        >
                          この端末をログアウトさせる
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {others.length > 0 ? (
          <form method="post" action="/account/sessions/end-others" class="actions">
            <Csrf token={csrf} />
            <button type="submit" class="danger">
              他の端末をすべてログアウトさせる
            </button>
          </form>
        ) : (
          <p>ほかにログインしている端末はありません。</p>
        )}
        <p>
          <a href="/account">アカウント設定へ戻る</a>
        </p>
      </>,
      status,
    );
  };

  r.get("/account/sessions", (c) => page(c));

  r.post("/account/sessions/end", async (c) => {
    const values = await formBody(c);
    try {
      await endOwnSession(c.var.app, {
        actor: actorOf(c),
        sessionId: values.session,
        currentIdHash: c.var.session?.idHash ?? "",
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === "not_found") return page(c, refusal(error.message), 404);
      if (error.code === "validation") return page(c, refusal(error.message), 422);
      if (error.code === "conflict") return page(c, refusal(error.message), 409);
      throw error;
    }
    return done(c, "/account/sessions", "その端末をログアウトさせました。");
  });

  r.post("/account/sessions/end-others", async (c) => {
    const ended = await endOtherOwnSessions(c.var.app, {
      actor: actorOf(c),
      currentIdHash: c.var.session?.idHash ?? "",
    });
    return done(
      c,
      "/account/sessions",
      ended > 0
        ? `他の端末（${ended}台）をログアウトさせました。`
        : "ほかにログインしている端末はありませんでした。",
    );
  });

  return r;
}
