/**
 * The demo's publishing (`npm run demo`): with the loopback fakes in place of LINE, X, Facebook
 * and Instagram, the city's demo accounts on each are connected, and the サンプル post approved for five minutes
 * ahead goes out by itself at its time and fills its record, and a サンプル LINE post for
 * 20〜39歳・女性・福島県 waits for approval; without fakes (real platform URLs)
 * nothing is connected.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { activeConnections } from "../../db/repos/platform-publishing.ts";
import { findPost } from "../../db/repos/posts.ts";
import { audienceLabel, storedAudience } from "../../domain/line-audience.ts";
import type { FakeServer } from "../../publishing/fakes/server.ts";
import type { FakeX } from "../../publishing/fakes/x.ts";
import { contextFor } from "../bootstrap.ts";
import { seedDemo } from "../demo.ts";
import { silentLogger } from "../logger.ts";
import { startDemoPlatforms } from "./demo.ts";
import { runSender } from "./sender.ts";

let app: TestApp;
let fakes: FakeServer[] = [];
const keyFile = join(tmpdir(), `snsgov-token-keys-demo-${process.pid}.json`);

before(async () => {
  app = await testApp({ running: true, env: { SNSGOV_TOKEN_KEY_FILE: keyFile } });
});
after(async () => {
  await app.close();
  for (const f of fakes) await f.close();
  await rm(keyFile, { force: true });
});

test("the demo connects @iwaki_city and LINE to the fakes; the サンプル post goes out five minutes later", async () => {
  const platforms = await startDemoPlatforms(app.ctx.config);
  fakes = platforms.fakes;
  const ctx = contextFor(app.handle, platforms.config, { clock: app.clock, log: silentLogger });
  await seedDemo(ctx);
  const connections = await activeConnections(ctx.db);
  assert.deepEqual(connections.map((c) => [c.platform, c.externalHandle]).sort(), [
    ["facebook", "iwakicity"],
    ["instagram", "iwaki_kanko"],
    ["line", "iwakicity"],
    ["x", "iwaki_city"],
  ]);
  const x = fakes[1] as FakeX;
  assert.deepEqual(await runSender(ctx), [], "not before its time");
  app.clock.advance(5 * 60_000);
  assert.deepEqual(await runSender(ctx), ["recorded"]);
  const [tweet] = x.tweets;
  assert.match(tweet?.text ?? "", /^【サンプル】/);
  const html = await (await fetch(`${x.url}/`)).text();
  assert.match(html, /テスト用の疑似サーバー/);
  assert.match(html, /本物のXではありません/);
  const outbox = await ctx.db.query.publishingOutbox.findFirst();
  const post = outbox ? await findPost(ctx.db, outbox.postId) : undefined;
  assert.equal(post?.publishedUrl, `https://x.com/iwaki_city/status/${tweet?.id}`);
  // A サンプル LINE post for some friends only waits for approval, its audience in plain Japanese.
  const pending = await ctx.db.query.posts.findMany({ where: (p, { eq }) => eq(p.status, "pending") });
  const narrowcast = pending.find((p) => p.audience !== null);
  assert.match(narrowcast?.text ?? "", /^【サンプル】/);
  assert.equal(audienceLabel(storedAudience(narrowcast?.audience ?? null)), "20〜39歳・女性・福島県の友だち");
  // Mastodon, Bluesky and Threads run as labelled test servers with the sample credentials printed.
  for (const [name, fake] of [
    ["Mastodon", fakes[4]],
    ["Bluesky", fakes[5]],
    ["Threads", fakes[6]],
  ] as const) {
    const line = platforms.describe.find((d) => d.startsWith(name));
    assert.match(
      line ?? "",
      /テスト用の疑似サーバー（サンプル）: http:\/\/127\.0\.0\.1:\d+（.*(アクセストークン|アプリパスワード) demo-/,
    );
    const page = await (await fetch(`${fake?.url}/`)).text();
    assert.ok(page.includes(`本物の${name}ではありません`), `${name}'s fake says it is not ${name}`);
  }
});
