/**
 * A 乗っ取り in a real browser (7.3(1)): the manager reports the takeover of an official account,
 * publishes the marking from the incident page, and citizens see 「現在、不正アクセスを受けています」
 * on the list, the account's page and the verification at once, at 390 px and 1280 px; the
 * recovery form names what is missing. axe-core checks every page.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recordPasswordChange, updateSecurity } from "../../src/app/credentials/credentials.ts";
import { seedKouhouAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";
import { assertAccessible, browserSuite } from "./support.ts";

let app: TestApp;
let org: TestOrg;
const suite = browserSuite(async () => {
  app = await testApp({ start: new Date().toISOString() });
  org = await seedOrg(app.ctx);
  await givePassword(app, org.staff.kouhouManager.id);
  return app;
});

const shots = process.env.SNSGOV_SCREENSHOTS;

test("a 乗っ取り marked on the public pages at once, readable at 390 px and 1280 px", async () => {
  const account = await seedKouhouAccount(app.ctx, org, { name: "いわき市広報", handle: "iwaki_koho" });
  const manager = await suite.signedIn(org.staff.kouhouManager.employeeNo);
  await manager.goto(`${suite.url}/incidents/new?accountId=${account.id}`);
  await manager.getByRole("radio", { name: "乗っ取り" }).check();
  await manager.getByLabel("件名").fill("広報アカウントの乗っ取り");
  await manager.getByLabel("何が起きたか").fill("身に覚えのない投稿があり、ログインできません。");
  const since = new Date(Date.now() - 30 * 60_000 + 9 * 3_600_000).toISOString().slice(0, 16);
  await manager.getByLabel("不正アクセスが始まった日時").fill(since);
  await manager.getByRole("button", { name: "報告する" }).click();
  await manager.waitForURL(/\/incidents\/\d+$/);
  const incidentUrl = manager.url();
  await assertAccessible(manager);
  assert.ok(await manager.getByRole("heading", { name: "乗っ取り: 広報アカウントの乗っ取り" }).isVisible());
  await manager.getByRole("button", { name: "公開する" }).click();
  await manager.waitForURL(/\/incidents\/\d+#hijack-title$/);
  await assertAccessible(manager);
  assert.ok(await manager.getByText("公開ページに表示中").isVisible());
  await manager.getByRole("button", { name: "回復を記録する（公開ページの表示を終える）" }).click();
  await assertAccessible(manager);
  assert.ok(
    await manager
      .getByText(/パスワードを変更した記録がありません/)
      .first()
      .isVisible(),
  );

  const citizen = await suite.browser.newPage({ locale: "ja-JP" });
  for (const width of [390, 1280]) {
    await citizen.setViewportSize({ width, height: 900 });
    for (const [name, path] of [
      ["accounts", "/public/accounts"],
      ["account", `/public/accounts/${account.id}`],
      ["verify", `/public/verify?url=${encodeURIComponent(account.url)}`],
    ] as const) {
      await citizen.goto(`${suite.url}${path}`);
      await assertAccessible(citizen);
      assert.ok(await citizen.getByText("現在、不正アクセスを受けています").first().isVisible(), path);
      if (shots) await citizen.screenshot({ path: `${shots}/hijack-${name}-${width}.png`, fullPage: true });
    }
    if (shots) {
      await manager.setViewportSize({ width, height: 900 });
      await manager.screenshot({ path: `${shots}/hijack-incident-${width}.png`, fullPage: true });
    }
  }

  // 4.3.3: the password changed after the takeover and two-factor on, as recorded on the
  // credentials page; then recovery is recorded and /public/notices says the account is back.
  const changedAt = new Date(Date.now() - 10 * 60_000 + 9 * 3_600_000).toISOString().slice(0, 16);
  await recordPasswordChange(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { changedAt, changedById: String(org.staff.kouhouManager.id) },
  });
  await updateSecurity(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { mfaEnabled: "on" },
  });
  await manager.goto(incidentUrl);
  await manager.getByRole("button", { name: "回復を記録する（公開ページの表示を終える）" }).click();
  await assertAccessible(manager);
  assert.ok(
    (await manager.getByText("公開ページに表示中").count()) === 0,
    "the marking is no longer shown as public",
  );
  for (const width of [390, 1280]) {
    await citizen.setViewportSize({ width, height: 900 });
    await citizen.goto(`${suite.url}/public/notices`);
    await assertAccessible(citizen);
    const heading = citizen.getByRole("heading", {
      name: /「いわき市広報」は、不正アクセスから回復しました/,
    });
    assert.ok(await heading.isVisible(), `recovery notice at ${width} px`);
    assert.ok(
      await citizen
        .getByText(/までの投稿は市によるものではありません/)
        .first()
        .isVisible(),
    );
    const overflow = await citizen.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${width} px (${overflow})`);
    if (shots)
      await citizen.screenshot({ path: `${shots}/hijack-recovered-notice-${width}.png`, fullPage: true });
  }
});
