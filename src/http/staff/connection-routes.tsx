/**
 * 自動発信の接続 of an account (/accounts/:id/connection, issue 15): whether the account is
 * connected to its platform's API, who connected it and when, who revoked it; the account manager
 * connects and revokes with a reason; anyone who may check the profile reads it from the platform
 * now (4.4.3, 7). Connecting: through the platform's consent page and back where OAuth is available
 * (X; Mastodon; Threads, Facebook and Instagram with the city's app: 「…の画面で許可する」), with
 * the token pasted once for LINE and as the fallback beside OAuth (token-forms.ts, folded under
 * 「トークンを貼り付けて接続する」), and for Bluesky with the handle and an app password, exchanged
 * for tokens at once.
 */
import { Hono } from "hono";
import { getAccount } from "../../app/accounts/read.ts";
import {
  beginOAuthConnect,
  type ConnectionView,
  connectBluesky,
  connectionsInfo,
  connectWithToken,
  finishOAuthConnect,
  revokeConnection,
} from "../../app/publishing/connections.ts";
import { platformApiUrl } from "../../app/publishing/connectors.ts";
import { oauthStateAccountId } from "../../app/publishing/oauth-state.ts";
import { checkProfileNow, fieldLabels } from "../../app/publishing/profile-watch.ts";
import { type TokenForm as TokenFormSpec, tokenFormOf } from "../../app/publishing/token-forms.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { accountStatusLabels } from "../../domain/accounts.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { notFound } from "../../errors.ts";
import { platformLabel } from "../../guideline/pack.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, setFlash, submit } from "../render.tsx";
import { AccountHeader } from "../views/account-tabs.tsx";
import { Badge, Csrf, ErrorSummary, type FormState, TextField } from "../views/components.tsx";
import { DateTime } from "../views/dates.tsx";

type Forms = { connect?: FormState; revoke?: FormState };

const statusBadge = (c: ConnectionView) =>
  c.status === "active" ? (
    <Badge tone="ok">接続中</Badge>
  ) : c.status === "needs_reconnect" ? (
    <Badge tone="error">接続し直してください</Badge>
  ) : (
    <Badge tone="muted">取り消し済み</Badge>
  );

async function nameOf(c: HttpContext, id: number | null): Promise<string> {
  if (id === null) return "システム";
  return (await findStaff(c.var.app.db, id))?.name ?? `職員#${id}`;
}

/** Where the platform sends the browser back: X's names the account; the others' are per platform. */
const callbackUri = (c: HttpContext, platform: string, accountId: number) =>
  platform === "x"
    ? `${c.var.app.config.publicUrl}/accounts/${accountId}/connection/x/callback`
    : `${c.var.app.config.publicUrl}/connection/${platform}/callback`;

/** The form for a token pasted once (token-forms.ts); what was typed as a token is never put back. */
function TokenForm(props: {
  accountId: number;
  form: TokenFormSpec;
  csrf: string;
  state: FormState | undefined;
}) {
  const { form, state } = props;
  return (
    <form method="post" action={`/accounts/${props.accountId}/connection/token`} novalidate>
      <Csrf token={props.csrf} />
      {form.accountId ? (
        <TextField
          name="accountId"
          label={form.accountId.label}
          hint={form.accountId.hint}
          required
          autocomplete="off"
          state={state}
        />
      ) : null}
      <TextField
        name="token"
        type="password"
        label={form.tokenLabel}
        hint={form.tokenHint}
        required
        autocomplete="off"
        state={state}
      />
      <button type="submit">接続する</button>
    </form>
  );
}

async function page(c: HttpContext, accountId: number, forms: Forms = {}, status: 200 | 409 | 422 = 200) {
  const actor = actorOf(c);
  const ctx = c.var.app;
  const account = await getAccount(ctx, { actor, id: accountId });
  const info = await connectionsInfo(ctx, { actor, accountId });
  const names = new Map<number, string>();
  for (const conn of info.connections)
    for (const id of [conn.connectedBy, conn.revokedBy])
      if (id !== null && !names.has(id)) names.set(id, await nameOf(c, id));
  const who = (id: number | null) => (id === null ? "システム" : (names.get(id) ?? `職員#${id}`));
  const csrf = csrfOf(c);
  const label = platformLabel(account.platform);
  const live = info.live;
  const tokenForm = tokenFormOf(account.platform);
  return render(
    c,
    `自動発信の接続: ${account.name}`,
    <>
      <AccountHeader
        account={{
          id: account.id,
          name: account.name,
          platform: account.platform,
          divisionName: account.divisionName,
          statusLabel: accountStatusLabels[account.status],
        }}
        current="/connection"
        title="自動発信の接続"
      />
      <p>
        接続すると、承認された投稿が予約した日時に（予約がなければ承認後すぐに）{label}
        へ自動で発信され、{label}
        が返した
        {account.platform === "line"
          ? "リクエストIDと日時（LINEのメッセージには公開URLがありません）"
          : "投稿のID・URL・日時"}
        が発信の記録になります。承認後に内容が変わった投稿は発信されません（第5-1(4)）。接続しない場合は、これまでどおり発信後に発信の記録を入力します。
      </p>
      {/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(platformApiUrl(ctx.config, account.platform)) ? (
        <div class="notice notice-warning" role="note">
          <p>
            この環境では、{label}
            の代わりに、このコンピューターの中だけで動くテスト用の疑似サーバー（サンプル）に接続しています。本物の
            {label}には発信されません。
          </p>
        </div>
      ) : null}
      {account.platform === "line" && !ctx.config.platforms.mediaPublicUrl ? (
        <div class="notice notice-info" role="note">
          <p>
            画像つきの投稿はLINEへ自動発信されません（LINEは画像をインターネット上のURLから取り込むため、画像を一時的に公開するURL「SNSGOV_MEDIA_PUBLIC_URL」の設定が必要です。システム管理者にご相談ください）。文字だけの投稿は自動発信されます。
          </p>
        </div>
      ) : null}
      <section aria-labelledby="live-heading">
        <h2 id="live-heading">現在の接続</h2>
        {live ? (
          <dl class="facts">
            <dt>状態</dt>
            <dd>{statusBadge(live)}</dd>
            <dt>{label}上のアカウント</dt>
            <dd>{live.externalHandle ? `@${live.externalHandle.replace(/^@/, "")}` : "—"}</dd>
            <dt>接続した人・日時</dt>
            <dd>
              {who(live.connectedBy)}（<DateTime at={live.connectedAt} />）
            </dd>
            <dt>プロフィールの最終確認</dt>
            <dd>
              {live.profileCheckedAt ? <DateTime at={live.profileCheckedAt} /> : "まだ確認していません"}
            </dd>
            {live.lastError ? (
              <>
                <dt>{label}からの最後の応答</dt>
                <dd>{live.lastError}</dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p>接続していません。</p>
        )}
        {live && live.status === "active" ? (
          <form method="post" action={`/accounts/${account.id}/connection/${live.id}/check`}>
            <Csrf token={csrf} />
            <button type="submit" class="secondary">
              プロフィールを今すぐ確認する（第4-4(3)、第7）
            </button>
          </form>
        ) : null}
      </section>
      {!info.available ? (
        <div class="notice notice-warning">
          <p>{info.unavailableReason}</p>
        </div>
      ) : info.mayManage ? (
        <section aria-labelledby="connect-heading">
          <h2 id="connect-heading">{live ? "接続し直す" : `${label}に接続する`}</h2>
          <ErrorSummary state={forms.connect} />
          {info.oauth ? (
            <form method="post" action={`/accounts/${account.id}/connection/oauth`}>
              <Csrf token={csrf} />
              <p>
                {label}の画面で、このアカウント（@{account.handle.replace(/^@/, "")}
                ）として許可してください。投稿・削除・プロフィールの読み取りの権限を求めます。許可すると、この画面に戻ります。
              </p>
              <button type="submit">{label}の画面で許可する</button>
            </form>
          ) : null}
          {tokenForm && info.oauth ? (
            <details open={forms.connect !== undefined}>
              <summary>トークンを貼り付けて接続する</summary>
              <p>
                この端末から{label}
                の画面を開けない場合（LGWAN内の端末など）は、インターネットにつながる端末で発行したトークンを貼り付けて接続できます。
              </p>
              <TokenForm accountId={account.id} form={tokenForm} csrf={csrf} state={forms.connect} />
            </details>
          ) : tokenForm ? (
            <TokenForm accountId={account.id} form={tokenForm} csrf={csrf} state={forms.connect} />
          ) : account.platform === "bluesky" ? (
            <form method="post" action={`/accounts/${account.id}/connection/bluesky`} novalidate>
              <Csrf token={csrf} />
              <TextField
                name="identifier"
                label="ハンドル"
                hint="例: iwaki.bsky.social（@は不要です）"
                required
                autocomplete="off"
                state={forms.connect}
              />
              <TextField
                name="appPassword"
                type="password"
                label="アプリパスワード"
                hint="Blueskyの「設定」→「プライバシーとセキュリティ」→「アプリパスワード」で作ったものを入力してください（アカウントのパスワードは使いません）。アプリパスワードは保存せず、Blueskyから受け取ったトークンだけを暗号化して保管します。"
                required
                autocomplete="off"
                state={forms.connect}
              />
              <button type="submit">接続する</button>
            </form>
          ) : null}
        </section>
      ) : (
        <p>接続と取り消しは、このアカウントのアカウント管理者（課等の長、第4-1(4)）が行います。</p>
      )}
      {live && info.mayManage ? (
        <section aria-labelledby="revoke-heading">
          <h2 id="revoke-heading">接続を取り消す</h2>
          <ErrorSummary state={forms.revoke} />
          <form method="post" action={`/accounts/${account.id}/connection/${live.id}/revoke`} novalidate>
            <Csrf token={csrf} />
            <TextField name="reason" label="取り消す理由" required maxlength={500} state={forms.revoke} />
            <p>
              取り消すと、まだ発信されていない投稿の自動発信は取りやめになり、手動での発信と記録に戻ります。
            </p>
            <button type="submit" class="danger">
              接続を取り消す
            </button>
          </form>
        </section>
      ) : null}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">接続の履歴</h2>
        {info.connections.length === 0 ? (
          <p>履歴はありません。</p>
        ) : (
          <table>
            <caption class="visually-hidden">接続の履歴</caption>
            <thead>
              <tr>
                <th scope="col">接続</th>
                <th scope="col">状態</th>
                <th scope="col">取り消し</th>
              </tr>
            </thead>
            <tbody>
              {info.connections.map((conn) => (
                <tr>
                  <td>
                    {who(conn.connectedBy)}（<DateTime at={conn.connectedAt} />）
                  </td>
                  <td>{statusBadge(conn)}</td>
                  <td>
                    {conn.revokedAt
                      ? `${who(conn.revokedBy)}（${formatDateTime(conn.revokedAt)}）理由: ${conn.revokedReason}`
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>,
    status,
  );
}

export function connectionRoutes() {
  const r = new Hono<AppEnv>();
  const accountId = (c: HttpContext) => intParam(c.req.param("id"));
  const here = (id: number) => `/accounts/${id}/connection`;

  r.get("/accounts/:id/connection", (c) => page(c, accountId(c)));

  const connectBy =
    (connect: typeof connectWithToken) =>
    async (c: HttpContext): Promise<Response> => {
      const id = accountId(c);
      const values = await formBody(c);
      const result = await submit(values, () =>
        connect(c.var.app, { actor: actorOf(c), accountId: id, input: values }),
      );
      // Tokens and passwords are never put back into the form (the account id and handle are).
      if (!result.ok)
        return page(
          c,
          id,
          {
            connect: {
              ...result.state,
              values: {
                accountId: String(values.accountId ?? ""),
                identifier: String(values.identifier ?? ""),
              },
            },
          },
          result.status,
        );
      const conn = result.result;
      return done(c, here(id), `${platformLabel(conn.platform)}に接続しました（${conn.externalHandle}）。`);
    };
  r.post("/accounts/:id/connection/token", connectBy(connectWithToken));
  r.post("/accounts/:id/connection/bluesky", connectBy(connectBluesky));

  const beginOAuth = async (c: HttpContext): Promise<Response> => {
    const id = accountId(c);
    const ctx = c.var.app;
    const { platform } = await getAccount(ctx, { actor: actorOf(c), id });
    const result = await submit({}, () =>
      beginOAuthConnect(ctx, { actor: actorOf(c), accountId: id, redirectUri: callbackUri(c, platform, id) }),
    );
    if (!result.ok) return page(c, id, { connect: result.state }, result.status);
    return c.redirect(result.result.url, 303);
  };
  r.post("/accounts/:id/connection/oauth", beginOAuth);
  r.post("/accounts/:id/connection/x", beginOAuth);

  const finishOAuth = async (c: HttpContext, id: number, platform: string): Promise<Response> => {
    const label = platformLabel(platform);
    if (c.req.query("error")) {
      setFlash(c, { kind: "warning", text: `${label}の画面で許可されなかったため、接続しませんでした。` });
      return c.redirect(here(id), 303);
    }
    const values = { code: c.req.query("code") ?? "", state: c.req.query("state") ?? "" };
    const result = await submit({}, () =>
      finishOAuthConnect(c.var.app, {
        actor: actorOf(c),
        accountId: id,
        input: values,
        redirectUri: callbackUri(c, platform, id),
      }),
    );
    if (!result.ok) return page(c, id, { connect: { ...result.state, values: {} } }, result.status);
    return done(c, here(id), `${label}に接続しました（@${result.result.externalHandle}）。`);
  };
  // X's callback names the account (the address registered in X's developer portal).
  r.get("/accounts/:id/connection/x/callback", (c) => finishOAuth(c, accountId(c), "x"));
  // One callback per platform for the others (registered once with the app): the account is the
  // one the `state` names, checked when the state is opened.
  r.get("/connection/:platform{mastodon|threads|facebook|instagram}/callback", async (c) => {
    const id = oauthStateAccountId(c.req.query("state") ?? "");
    if (id === 0) throw notFound("接続の手続き");
    return finishOAuth(c, id, c.req.param("platform"));
  });

  r.post("/accounts/:id/connection/:cid/revoke", async (c) => {
    const id = accountId(c);
    const values = await formBody(c);
    const result = await submit(values, () =>
      revokeConnection(c.var.app, {
        actor: actorOf(c),
        accountId: id,
        connectionId: intParam(c.req.param("cid")),
        input: values,
      }),
    );
    if (!result.ok) return page(c, id, { revoke: result.state }, result.status);
    const { platformRevocation } = result.result;
    if (platformRevocation.outcome !== "revoked") {
      setFlash(c, { kind: "warning", text: `接続を取り消しました。${platformRevocation.note}` });
      return c.redirect(here(id), 303);
    }
    return done(c, here(id), `接続を取り消しました。${platformRevocation.note}`);
  });

  r.post("/accounts/:id/connection/:cid/check", async (c) => {
    const id = accountId(c);
    const result = await checkProfileNow(c.var.app, {
      actor: actorOf(c),
      accountId: id,
      connectionId: intParam(c.req.param("cid")),
    });
    const unrecorded = result.changed.filter((ch) => ch.unrecorded);
    if (result.failed.length > 0) {
      setFlash(c, { kind: "error", text: result.failed.map((f) => f.reason).join(" ") });
    } else if (unrecorded.length > 0) {
      setFlash(c, {
        kind: "error",
        text: `記録のない変更があります: ${unrecorded.map((ch) => `${fieldLabels[ch.field]}「${ch.before}」→「${ch.after}」`).join("、")}。心当たりがなければインシデントとして報告してください（第7）。`,
      });
    } else if (result.bioErrors.length > 0) {
      setFlash(c, {
        kind: "warning",
        text: `プロフィールに第4-4(3)で必要な記載が足りません: ${result.bioErrors.flatMap((b) => b.messages).join(" ")}`,
      });
    } else {
      setFlash(c, { kind: "success", text: "プロフィールを確認しました。記録のない変更はありません。" });
    }
    return c.redirect(unrecorded.length > 0 ? `/incidents/new?accountId=${id}&type=hijack` : here(id), 303);
  });

  return r;
}
