/**
 * Connections as the account manager uses them, against the loopback fakes: only the manager
 * connects (an operator is refused, on the record); a token of another account is refused; the
 * token is kept only sealed (not in the row, not in the audit log; the key file is 0600 and
 * outside the database); X connects through OAuth 2.0 with PKCE and a state bound to the account;
 * revoking cancels what waits; rotating the key keeps every token readable; the profile watch
 * alerts the manager to an unrecorded change and to a bio missing what 4.4.3 requires.
 */
import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import type { TestApp } from "../../../test/support/context.ts";
import { refused } from "../../../test/support/errors.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { type PlatformsApp, testAppWithPlatforms } from "../../../test/support/platforms.ts";
import { entriesAfter, lastEntry } from "../../db/repos/audit.ts";
import { listNotifications } from "../../db/repos/notifications.ts";
import { connectionsOf } from "../../db/repos/platform-publishing.ts";
import type { FakeLine } from "../../publishing/fakes/line.ts";
import type { FakeX } from "../../publishing/fakes/x.ts";
import {
  beginXConnect,
  connectionsInfo,
  connectLine,
  finishXConnect,
  revokeConnection,
} from "./connections.ts";
import { openCredentials } from "./connectors.ts";
import { watchProfiles } from "./profile-watch.ts";
import { rotateTokenKey } from "./rotate.ts";
import { publisherActor } from "./sender.ts";

let app: TestApp;
let org: TestOrg;
let platforms: PlatformsApp;
let line: FakeLine;
let x: FakeX;
let keyFile: string;
const redirectUri = "http://localhost:3000/accounts/callback";

before(async () => {
  platforms = await testAppWithPlatforms({
    line: { token: "line-secret-token", basicId: "@iwaki_line" },
    x: { username: "iwaki_x" },
  });
  ({ app, line, x, keyFile } = platforms);
  org = await seedOrg(app.ctx);
});
after(() => platforms.close());

test("only the account manager connects LINE; another account's token is refused; the token is kept sealed", async () => {
  const account = await seedKouhouAccount(app.ctx, org, {
    platform: "line",
    handle: "@iwaki_line",
    url: "https://lin.ee/a",
  });
  const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
  await assert.rejects(
    connectLine(app.ctx, {
      actor: org.actors.kouhouStaff,
      accountId: account.id,
      input: { token: "line-secret-token" },
    }),
    refused("forbidden", /アカウント管理者（課等の長、第4-1\(4\)）だけ/),
  );
  line.tokens.add("someone-elses-token");
  const other = line.bot.basicId;
  line.bot.basicId = "@other_city";
  await assert.rejects(
    connectLine(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      input: { token: "someone-elses-token" },
    }),
    refused("validation", /別のアカウント（@other_city）/),
  );
  line.bot.basicId = other;
  await assert.rejects(
    connectLine(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      input: { token: "wrong" },
    }),
    refused("validation", /トークンを受け付けませんでした/),
  );
  const connection = await connectLine(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { token: "line-secret-token" },
  });
  assert.equal(connection.status, "active");
  assert.equal(connection.connectedBy, org.staff.kouhouManager.id);
  const [row] = await connectionsOf(app.ctx.db, account.id);
  assert.ok(row && !row.tokenCiphertext.includes("line-secret-token"));
  assert.equal((await openCredentials(app.ctx.config, row)).accessToken, "line-secret-token");
  const log = JSON.stringify(await entriesAfter(app.ctx.db, seq, 100));
  assert.ok(log.includes("publishing.connect") && log.includes("auth.denied"));
  assert.ok(!log.includes("line-secret-token"), "the token is not in the audit log");
  assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
  assert.ok(!(await readFile(keyFile, "utf8")).includes("line-secret-token"));
  const info = await connectionsInfo(app.ctx, { actor: org.actors.kouhouStaff, accountId: account.id });
  assert.equal(info.mayManage, false);
  assert.ok(!JSON.stringify(info).includes("line-secret-token"));
});

test("X connects through OAuth 2.0 with PKCE; a state made for another account is refused", async () => {
  const account = await seedKouhouAccount(app.ctx, org, { platform: "x", handle: "iwaki_x" });
  const otherAccount = await seedKouhouAccount(app.ctx, org, { platform: "x", handle: "iwaki_other" });
  const { url } = await beginXConnect(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    redirectUri,
  });
  const page = await (await fetch(url)).text();
  const back = new URL(/href="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "");
  const input = { code: back.searchParams.get("code"), state: back.searchParams.get("state") };
  await assert.rejects(
    finishXConnect(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: otherAccount.id,
      input,
      redirectUri,
    }),
    refused("validation", /手続きが無効か、時間切れ/),
  );
  const connection = await finishXConnect(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input,
    redirectUri,
  });
  assert.equal(connection.externalHandle, "iwaki_x");
  const [row] = await connectionsOf(app.ctx.db, account.id);
  const credentials = row ? await openCredentials(app.ctx.config, row) : undefined;
  assert.ok(credentials && x.tokens.has(credentials.accessToken) && credentials.refreshToken);

  // Rotating the key: every token readable under the new key, the old key gone from the file.
  const before = JSON.parse(await readFile(keyFile, "utf8"));
  const rotated = await rotateTokenKey(app.ctx, { actor: publisherActor });
  assert.ok(rotated.reencrypted >= 2);
  const afterFile = JSON.parse(await readFile(keyFile, "utf8"));
  assert.deepEqual(Object.keys(afterFile.keys), [rotated.to]);
  assert.notEqual(before.current, rotated.to);
  const [again] = await connectionsOf(app.ctx.db, account.id);
  assert.equal(again?.tokenKeyId, rotated.to);
  assert.equal(
    again ? (await openCredentials(app.ctx.config, again)).accessToken : "",
    credentials.accessToken,
  );

  // The profile watch: the first reading is the baseline; an unrecorded change alerts the manager.
  x.user.description = "いわき市の公式アカウントです。";
  const first = await watchProfiles(app.ctx, { actor: publisherActor, accountId: account.id });
  assert.equal(first.checked, 1);
  assert.equal(first.changed.length, 0);
  assert.equal(first.bioErrors.length, 1, "4.4.3: no media policy, no page URL");
  x.user.name = "Free crypto giveaway";
  const second = await watchProfiles(app.ctx, { actor: publisherActor, accountId: account.id });
  assert.deepEqual(
    second.changed.map((c) => [c.field, c.after, c.unrecorded]),
    [["name", "Free crypto giveaway", true]],
  );
  const { items } = await listNotifications(app.ctx.db, org.staff.kouhouManager.id, {
    unreadOnly: true,
    limit: 20,
    offset: 0,
  });
  const alert = items.find((n) => n.title.includes("記録のないまま変更"));
  assert.ok(alert);
  assert.equal(alert.href, `/incidents/new?accountId=${account.id}&type=hijack`);
  assert.match(alert.body, /表示名: 「テスト用Xアカウント」→「Free crypto giveaway」/);

  // Revoking: X revokes both tokens on its side; the sealed token is wiped here.
  const [live] = await connectionsOf(app.ctx.db, account.id);
  assert.ok(live);
  const sealed = await openCredentials(app.ctx.config, live);
  assert.ok(x.tokens.has(sealed.accessToken) && sealed.refreshToken);
  const revoked = await revokeConnection(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    connectionId: connection.id,
    input: { reason: "担当替えのため接続し直します" },
  });
  assert.equal(revoked.status, "revoked");
  assert.equal(revoked.platformRevocation.outcome, "revoked");
  assert.equal(x.tokens.has(sealed.accessToken), false, "X no longer accepts the access token");
  assert.equal(x.refreshTokens.has(sealed.refreshToken ?? ""), false, "nor the refresh token");
  assert.equal((await connectionsOf(app.ctx.db, account.id))[0]?.tokenCiphertext, "");
});

test("a revocation the platform cannot confirm still disconnects, and says what to do on the platform", async () => {
  const other = line.bot.basicId;
  line.bot.basicId = "@iwaki_line2";
  line.tokens.add("line-token-2");
  try {
    const account = await seedKouhouAccount(app.ctx, org, {
      platform: "line",
      handle: "@iwaki_line2",
      url: "https://lin.ee/b",
    });
    const connect = () =>
      connectLine(app.ctx, {
        actor: org.actors.kouhouManager,
        accountId: account.id,
        input: { token: "line-token-2" },
      });
    const revoke = (connectionId: number) =>
      revokeConnection(app.ctx, {
        actor: org.actors.kouhouManager,
        accountId: account.id,
        connectionId,
        input: { reason: "運用を終了するため" },
      });
    line.fail({
      status: 500,
      body: { message: "Internal error" },
      when: (r) => r.path === "/v2/oauth/revoke",
    });
    const failed = await revoke((await connect()).id);
    assert.equal(failed.status, "revoked", "disconnected here all the same");
    assert.equal(failed.platformRevocation.outcome, "failed");
    assert.match(
      failed.platformRevocation.note,
      /できませんでした（HTTP 500: Internal error）。.*管理画面でもトークンを無効にしてください/,
    );
    assert.ok(line.tokens.has("line-token-2"), "LINE did not revoke it");

    const seq = (await lastEntry(app.ctx.db))?.seq ?? 0;
    const done = await revoke((await connect()).id);
    assert.equal(done.platformRevocation.outcome, "revoked");
    assert.equal(line.tokens.has("line-token-2"), false, "LINE no longer accepts the token");
    const call = line.requests.filter((r) => r.path === "/v2/oauth/revoke").at(-1);
    assert.equal(call?.body, "access_token=line-token-2");
    assert.equal(call?.headers.authorization, undefined, "the token travels only in the form");
    const entry = (await entriesAfter(app.ctx.db, seq, 10)).find((e) => e.action === "publishing.revoke");
    assert.match(JSON.stringify(entry?.summary), /"platformRevocation":"revoked"/);
    assert.ok(!JSON.stringify(entry).includes("line-token-2"), "not in the audit log");
  } finally {
    line.bot.basicId = other;
  }
});
