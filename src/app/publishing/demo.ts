/**
 * Publishing in the demo (`npm run demo`): loopback fakes of LINE, X, Facebook, Instagram,
 * Mastodon, Bluesky and Threads — サンプル, テスト用の疑似サーバー, never the real platforms — take
 * the place of the platforms' APIs, the city's demo X (@iwaki_city), LINE (@iwakicity), Facebook
 * page (iwakicity) and Instagram (@iwaki_kanko) accounts are connected by their account manager,
 * and a サンプル post approved for five minutes after the start goes out by itself and fills its
 * record. The Instagram fake fetches images from the demo server's own signed URLs (the public
 * URL). The Mastodon, Bluesky and Threads fakes accept the sample tokens (and app password)
 * printed at the start, for connecting by hand on the account's page.
 */
import type { Config } from "../../config.ts";
import { listAccounts } from "../../db/repos/accounts.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { startFakeBluesky } from "../../publishing/fakes/bluesky.ts";
import { startFakeFacebook } from "../../publishing/fakes/facebook.ts";
import { FAKE_INSTAGRAM_USER_ID, startFakeInstagram } from "../../publishing/fakes/instagram.ts";
import { startFakeLine } from "../../publishing/fakes/line.ts";
import { startFakeMastodon } from "../../publishing/fakes/mastodon.ts";
import type { FakeServer } from "../../publishing/fakes/server.ts";
import { startFakeThreads } from "../../publishing/fakes/threads.ts";
import { startFakeX } from "../../publishing/fakes/x.ts";
import { loadActor } from "../actors.ts";
import type { Actor, AppContext } from "../context.ts";
import { approvePost } from "../posts/decide.ts";
import { draftPost, editPost } from "../posts/draft.ts";
import { reschedulePost } from "../posts/publishing.ts";
import { submitPost } from "../posts/submit.ts";
import { connectWithAccessToken, connectWithToken } from "./connections.ts";

/** The demo's tokens: only the fakes accept them. */
export const DEMO_LINE_TOKEN = "demo-line-channel-access-token-sample";
export const DEMO_X_TOKEN = "demo-x-access-token-sample";
export const DEMO_X_CLIENT_ID = "snsgov-demo-app";
export const DEMO_FACEBOOK_TOKEN = "demo-facebook-page-token-sample";
export const DEMO_INSTAGRAM_TOKEN = "demo-instagram-token-sample";
export const DEMO_MASTODON_TOKEN = "demo-mastodon-access-token-sample";
export const DEMO_BLUESKY_APP_PASSWORD = "demo-bsky-appp-assw";
export const DEMO_THREADS_TOKEN = "demo-threads-access-token-sample";
/** The demo city's Threads app (OAuth against the fake; サンプル). */
const DEMO_THREADS_APP = { id: "100000000000001", secret: "demo-threads-app-secret" } as const;

/** Starts the fakes and returns the configuration that points at them. */
export async function startDemoPlatforms(
  config: Config,
): Promise<{ config: Config; fakes: FakeServer[]; describe: string[] }> {
  const line = await startFakeLine({
    token: DEMO_LINE_TOKEN,
    basicId: "@iwakicity",
    displayName: "いわき市（サンプル）",
  });
  const x = await startFakeX({
    username: "iwaki_city",
    name: "いわき市（サンプル）",
    clientId: DEMO_X_CLIENT_ID,
    presetToken: DEMO_X_TOKEN,
  });
  x.user.description =
    "いわき市の公式アカウント（サンプル）です。運用方針（メディアポリシー）：https://www.city.iwaki.lg.jp/www/sns/koho-x.html";
  x.user.url = "https://www.city.iwaki.lg.jp/www/sns/koho-x.html";
  const facebook = await startFakeFacebook({
    token: DEMO_FACEBOOK_TOKEN,
    username: "iwakicity",
    name: "いわき市（サンプル）",
  });
  const instagram = await startFakeInstagram({
    token: DEMO_INSTAGRAM_TOKEN,
    username: "iwaki_kanko",
    name: "いわき観光（サンプル）",
  });
  const mastodon = await startFakeMastodon({
    username: "iwaki_city",
    token: DEMO_MASTODON_TOKEN,
    displayName: "いわき市（サンプル）",
  });
  const bluesky = await startFakeBluesky({
    handle: "seisaku.iwaki.example.jp",
    appPassword: DEMO_BLUESKY_APP_PASSWORD,
    displayName: "いわき市政策企画（サンプル）",
  });
  const threads = await startFakeThreads({
    username: "iwaki_furusato",
    token: DEMO_THREADS_TOKEN,
    name: "いわきふるさと便り（サンプル）",
    app: DEMO_THREADS_APP,
  });
  return {
    config: {
      ...config,
      platforms: {
        ...config.platforms,
        lineApiUrl: line.url,
        xApiUrl: x.url,
        xAuthorizeUrl: `${x.url}/i/oauth2/authorize`,
        xClientId: DEMO_X_CLIENT_ID,
        xClientSecret: undefined,
        facebookApiUrl: facebook.apiUrl,
        instagramApiUrl: instagram.apiUrl,
        // The Instagram fake fetches images from the demo server itself, on loopback.
        mediaPublicUrl: config.platforms.mediaPublicUrl ?? `http://127.0.0.1:${config.port}`,
        mastodonApiUrl: mastodon.url,
        blueskyPdsUrl: bluesky.url,
        // Link cards only from this machine (the demo's own pages), never the internet.
        linkCards: "loopback",
        threadsApiUrl: threads.apiUrl,
        threadsAuthorizeUrl: `${threads.url}/oauth/authorize`,
        threadsApp: DEMO_THREADS_APP,
      },
    },
    fakes: [line, x, facebook, instagram, mastodon, bluesky, threads],
    describe: [
      `LINE Messaging API のテスト用の疑似サーバー（サンプル）: ${line.url}（受け取ったメッセージの一覧: ${line.url}/）`,
      `X API v2 のテスト用の疑似サーバー（サンプル）: ${x.url}（受け取った投稿の一覧: ${x.url}/）`,
      `Facebook Graph API のテスト用の疑似サーバー（サンプル）: ${facebook.url}（受け取った投稿の一覧: ${facebook.url}/）`,
      `Instagram Graph API のテスト用の疑似サーバー（サンプル）: ${instagram.url}（受け取った投稿の一覧: ${instagram.url}/）`,
      `Mastodon のテスト用の疑似サーバー（サンプル）: ${mastodon.url}（@iwaki_city、「Mastodonの画面で許可する」でも、アクセストークン ${DEMO_MASTODON_TOKEN} の貼り付けでも接続できます）`,
      `Bluesky のテスト用の疑似サーバー（サンプル）: ${bluesky.url}（seisaku.iwaki.example.jp、アプリパスワード ${DEMO_BLUESKY_APP_PASSWORD}）`,
      `Threads API のテスト用の疑似サーバー（サンプル）: ${threads.url}（@iwaki_furusato、「Threadsの画面で許可する」でも、長期アクセストークン ${DEMO_THREADS_TOKEN} の貼り付けでも接続できます）`,
    ],
  };
}

async function person(ctx: AppContext, employeeNo: string) {
  const staff = await findStaffByEmployeeNo(ctx.db, employeeNo);
  return staff ? loadActor(ctx.db, staff.id, "cli") : undefined;
}

/**
 * Connects the demo's X and LINE accounts (when the configuration points at loopback fakes),
 * approves a サンプル post on X scheduled five minutes ahead, and leaves a サンプル LINE post for a
 * narrowcast audience (20〜39歳・女性・福島県) waiting for the LINE account manager's approval.
 */
export async function demoPublishing(ctx: AppContext): Promise<void> {
  const { lineApiUrl, xApiUrl } = ctx.config.platforms;
  const loopback = (url: string) => /^http:\/\/127\.0\.0\.1:/.test(url);
  if (!loopback(lineApiUrl) || !loopback(xApiUrl)) return; // never connect real platforms in a demo
  const accounts = await listAccounts(ctx.db, { visibleDivisionIds: null });
  const x = accounts.find((a) => a.platform === "x" && a.handle === "iwaki_city");
  const line = accounts.find((a) => a.platform === "line" && a.handle.replace(/^@/, "") === "iwakicity");
  const operator = await person(ctx, "D0021");
  if (!x || !line || !operator) return;
  const managerOf = (managerId: number | null) =>
    managerId === null ? Promise.resolve(undefined) : loadActor(ctx.db, managerId, "cli");
  const [xManager, lineManager] = await Promise.all([managerOf(x.managerId), managerOf(line.managerId)]);
  if (lineManager)
    await connectWithToken(ctx, {
      actor: lineManager,
      accountId: line.id,
      input: { token: DEMO_LINE_TOKEN },
    });
  if (xManager)
    await connectWithAccessToken(ctx, { actor: xManager, accountId: x.id, accessToken: DEMO_X_TOKEN });
  await connectMetaAccounts(ctx, accounts);
  const [post] = await draftPost(ctx, {
    actor: operator,
    input: {
      accounts: [
        {
          accountId: x.id,
          text: "【サンプル】この投稿はデモ用です。承認された投稿が予約した日時に自動で発信され、発信の記録が自動で入ります。",
        },
      ],
    },
  });
  if (!post || !xManager) return;
  await submitPost(ctx, { actor: operator, id: post.id, input: { version: 1 } });
  await approvePost(ctx, { actor: xManager, id: post.id, input: { version: 1 } });
  const inFive = new Date(ctx.clock.now().getTime() + 5 * 60_000).toISOString();
  await reschedulePost(ctx, { actor: operator, postId: post.id, input: { scheduledAt: inFive } });
  await demoNarrowcast(ctx, operator, line.id);
}

/** A サンプル LINE post for some friends only, submitted for approval (the approver sees who receives it). */
async function demoNarrowcast(ctx: AppContext, operator: Actor, lineAccountId: number): Promise<void> {
  const [post] = await draftPost(ctx, {
    actor: operator,
    input: {
      accounts: [
        {
          accountId: lineAccountId,
          text: "【サンプル】子育て世代の皆さんへ。乳幼児健診の日程をお知らせします。詳しくは市のホームページをご覧ください。",
        },
      ],
    },
  });
  if (!post) return;
  const { post: edited } = await editPost(ctx, {
    actor: operator,
    id: post.id,
    input: {
      version: 1,
      audience: { ageFrom: "age_20", ageTo: "age_40", gender: "female", areas: ["jp_07"] },
    },
  });
  await submitPost(ctx, { actor: operator, id: post.id, input: { version: edited.version } });
}

/** Connects the demo's Facebook page and Instagram account when their APIs are the loopback fakes. */
async function connectMetaAccounts(
  ctx: AppContext,
  accounts: Awaited<ReturnType<typeof listAccounts>>,
): Promise<void> {
  const { facebookApiUrl, instagramApiUrl } = ctx.config.platforms;
  const loopback = (url: string) => /^http:\/\/127\.0\.0\.1:/.test(url);
  const targets = [
    { platform: "facebook", handle: "iwakicity", url: facebookApiUrl, input: { token: DEMO_FACEBOOK_TOKEN } },
    {
      platform: "instagram",
      handle: "iwaki_kanko",
      url: instagramApiUrl,
      input: { token: DEMO_INSTAGRAM_TOKEN, accountId: FAKE_INSTAGRAM_USER_ID },
    },
  ];
  for (const target of targets) {
    const account = accounts.find((a) => a.platform === target.platform && a.handle === target.handle);
    if (!account || account.managerId === null || !loopback(target.url)) continue;
    const manager = await loadActor(ctx.db, account.managerId, "cli");
    if (manager) await connectWithToken(ctx, { actor: manager, accountId: account.id, input: target.input });
  }
}
