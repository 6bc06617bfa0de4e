/**
 * The public pages in a real browser, as a citizen uses them: every page passes axe-core
 * (WCAG 2.1 A/AA), the list is filtered and the verification answered with JavaScript turned
 * off, and the embeddable fragment is framed by the configured city site only.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { accountNotices, mediaPolicies } from "../../src/db/schema.ts";
import { seedAccount } from "../support/accounts.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { seedOrg } from "../support/org.ts";
import { assertAccessible, browserSuite } from "./support.ts";

let withScripts: BrowserContext;
let noScripts: BrowserContext;
let page: Page;
let plain: Page;
const ids = { city: 0, closed: 0 };
/** Two stand-in city sites on loopback: one configured to frame the embed, one not. */
const sites: Server[] = [];
let cmsAllowed = "";
let cmsOther = "";

async function cmsSite(): Promise<string> {
  const site = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="ja"><title>市のサイト</title><iframe title="公式アカウント一覧" src="${suite.url}/public/embed/accounts"></iframe></html>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  sites.push(site);
  const address: AddressInfo | string | null = site.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

async function seed(): Promise<TestApp> {
  cmsAllowed = await cmsSite();
  cmsOther = await cmsSite();
  const app = await testApp({ start: "2026-11-24T03:00:00Z", env: { SNSGOV_EMBED_ORIGINS: cmsAllowed } });
  const org = await seedOrg(app.ctx);
  const base = { divisionId: org.divisions.kouhou.id, managerId: org.staff.kouhouManager.id, policy: true };
  const city = await seedAccount(app.ctx, {
    ...base,
    handle: "iwaki_city",
    name: "いわき市",
    alias: "いわき市役所",
    url: "https://x.com/iwaki_city",
  });
  ids.city = city.id;
  await seedAccount(app.ctx, {
    ...base,
    divisionId: org.divisions.soumuka.id,
    platform: "instagram",
    handle: "iwaki_soumu",
    name: "いわき市総務課",
    url: "https://www.instagram.com/iwaki_soumu/",
  });
  const kanko = await seedAccount(app.ctx, {
    ...base,
    divisionId: org.divisions.furusato.id,
    handle: "iwaki_kanko",
    name: "いわき観光",
    status: "closure_announced",
  });
  ids.closed = (
    await seedAccount(app.ctx, {
      ...base,
      handle: "iwaki_old_pr",
      name: "旧広報",
      status: "closed",
      closedOn: "2026-03-31",
    })
  ).id;
  await app.ctx.db.insert(accountNotices).values({
    accountId: kanko.id,
    kind: "closure",
    status: "announced",
    details: {},
    reason: "観光情報は市の公式アカウントに集約します。",
    effectiveDate: "2027-01-31",
    announcementDate: "2026-11-20",
    displayUntil: "2027-07-30",
    requestedAt: new Date("2026-11-01T00:00:00Z"),
  });
  await app.ctx.db.insert(mediaPolicies).values({
    accountId: city.id,
    version: 2,
    status: "superseded",
    purpose: "改定前の目的",
    platformDescription: "X",
    content: "お知らせ",
    staffInCharge: "広報広聴課",
    frequency: "週1回",
    timing: "日中",
    method: "許可を得て投稿",
    commentHandling: "返信しません",
    replyPolicy: "no_reply",
    replyText: "返信しません。",
  });
  return app;
}

const suite = browserSuite(seed, async (browser) => {
  withScripts = await browser.newContext({ locale: "ja-JP" });
  noScripts = await browser.newContext({ locale: "ja-JP", javaScriptEnabled: false });
  page = await withScripts.newPage();
  plain = await noScripts.newPage();
});
after(() => {
  for (const site of sites) site.close();
});

test("every public page passes axe-core", async () => {
  for (const path of [
    "/public/accounts",
    "/public/accounts?platform=x",
    `/public/accounts/${ids.city}`,
    `/public/accounts/${ids.city}/policy/1`,
    `/public/accounts/${ids.closed}`,
    "/public/notices",
    "/public/verify",
    "/public/verify?url=https%3A%2F%2Fx.com%2Fiwaki_clty",
    "/public/verify?url=https%3A%2F%2Fx.com%2Fiwaki_city",
    "/public/verify?url=https%3A%2F%2Fx.com%2Fiwaki_old_pr",
    "/public/verify?url=%E3%81%AA%E3%81%AB",
    "/public/no-such-page",
  ]) {
    await page.goto(`${suite.url}${path}`);
    await assertAccessible(page);
  }
});

test("the skip link moves focus to the main content", async () => {
  await page.goto(`${suite.url}/public/accounts`);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), "本文へ移動");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
});

test("without JavaScript a citizen filters the list and checks an account", async () => {
  await plain.goto(`${suite.url}/public/accounts`);
  assert.ok(await plain.getByRole("cell", { name: "https://x.com/iwaki_city" }).isVisible());
  await plain.getByLabel("サービス").selectOption("instagram");
  await plain.getByRole("button", { name: "絞り込む" }).click();
  await plain.waitForURL(/platform=instagram/);
  assert.ok(await plain.getByText("https://www.instagram.com/iwaki_soumu/").isVisible());
  assert.equal(await plain.getByText("https://x.com/iwaki_city").count(), 0);

  await plain.getByRole("link", { name: "公式アカウントか確かめる" }).first().click();
  await plain.getByLabel("アカウントのURLまたはユーザー名").fill("https://x.com/iwaki_clty/status/12345");
  await plain.getByRole("button", { name: "確かめる" }).click();
  await plain.waitForURL(/\/public\/verify\?url=/);
  assert.ok(await plain.getByRole("heading", { name: "公式アカウントではありません" }).isVisible());
  assert.ok(await plain.getByRole("heading", { name: "名前のよく似た公式アカウントがあります" }).isVisible());

  await plain.getByLabel("アカウントのURLまたはユーザー名").fill("@iwaki_city");
  await plain.getByLabel("サービス（ユーザー名で確かめるとき）").selectOption("x");
  await plain.getByRole("button", { name: "もう一度確かめる" }).click();
  await plain.waitForURL(/platform=x/);
  assert.ok(await plain.getByRole("heading", { name: "公式アカウントです" }).isVisible());

  await plain.getByLabel("アカウントのURLまたはユーザー名").fill("x.com/iwaki_old_pr");
  await plain.getByRole("button", { name: "もう一度確かめる" }).click();
  await plain.waitForURL(/iwaki_old_pr/);
  assert.ok(await plain.getByRole("heading", { name: /以前の公式アカウントです/ }).isVisible());
});

test("the notice of a closure is shown and linked from the list", async () => {
  await plain.goto(`${suite.url}/public/accounts`);
  await plain.getByRole("link", { name: "お知らせを見る", exact: true }).first().click();
  await plain.waitForURL(/\/public\/notices#notice-/);
  assert.ok(await plain.getByText("観光情報は市の公式アカウントに集約します。").isVisible());
});

test("the embeddable fragment can be framed by the configured origin and not by others", async () => {
  const embed = `${suite.url}/public/embed/accounts`;
  const framing = await withScripts.newPage();
  await framing.goto(`${cmsAllowed}/`);
  const frame = framing.frames().find((f) => f.url() === embed);
  assert.ok(
    frame,
    `the configured origin frames it: ${framing
      .frames()
      .map((f) => f.url())
      .join(", ")}`,
  );
  assert.ok((await frame.content()).includes("snsgov-accounts-table"));

  const refused = await withScripts.newPage();
  await refused.goto(`${cmsOther}/`);
  assert.equal(
    refused.frames().some((f) => f.url() === embed),
    false,
    "another origin cannot frame it (the frame shows Chromium's error page instead)",
  );
  await framing.close();
  await refused.close();
});
