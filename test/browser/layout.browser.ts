/**
 * Every page a role uses, on a phone (390 × 844) and at a desk (1280 × 800), over the demo
 * municipality: nothing scrolls sideways, no text cell is squeezed narrower than 48 px, controls
 * are at least 44 px tall on the phone, axe-core finds nothing; after a refused form the error
 * summary at the top of the page has the focus, is on the first screen, links each problem to its
 * field (which carries its own message) and what was typed is still there. Screenshots of every
 * page are kept in test-artifacts/screenshots/ (git-ignored) for a reviewer to look at.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD, seedDemo } from "../../src/app/demo.ts";
import { accounts, incidents, posts, staff } from "../../src/db/schema.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { assertAccessible, browserSuite } from "./support.ts";

const shots = fileURLToPath(new URL("../../test-artifacts/screenshots/", import.meta.url));
mkdirSync(shots, { recursive: true });

const phone = { name: "phone", width: 390, height: 844 } as const;
const desk = { name: "desk", width: 1280, height: 800 } as const;
type Viewport = typeof phone | typeof desk;

let app: TestApp | undefined;
const suite = browserSuite(async () => {
  app = await testApp({ start: new Date().toISOString() });
  await seedDemo(app.ctx);
  return app;
});

/** Ids of demo records the pages are about. */
async function ids(): Promise<{ pending: number; incident: number; account: number }> {
  assert.ok(app);
  const db = app.ctx.db;
  const [pending] = await db.select({ id: posts.id }).from(posts).where(eq(posts.status, "pending")).limit(1);
  const [incident] = await db.select({ id: incidents.id }).from(incidents).limit(1);
  const [account] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.status, "active"), eq(accounts.handle, "iwaki_city")))
    .limit(1);
  assert.ok(
    pending && incident && account,
    "the demo has a post awaiting approval, an incident, the city's account",
  );
  return { pending: pending.id, incident: incident.id, account: account.id };
}

async function open(login: string | null, viewport: Viewport, javaScript = true): Promise<Page> {
  const page = login
    ? await suite.signedIn(login, { password: DEMO_PASSWORD, javaScript })
    : await suite.browser.newPage({ locale: "ja-JP", javaScriptEnabled: javaScript });
  await page.setViewportSize({ width: viewport.width, height: viewport.height });
  page.setDefaultTimeout(20_000);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
}

/**
 * What a person would notice: sideways scrolling, squeezed cells, controls too small to tap.
 * (No named functions inside: the page does not have the helpers tsx adds for them.)
 */
function measure(page: Page, touch: boolean): Promise<string[]> {
  return page.evaluate((touch) => {
    const problems: string[] = [];
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) problems.push(`scrolls sideways by ${overflow}px`);
    for (const cell of Array.from(document.querySelectorAll("main td, main th"))) {
      const text = (cell.textContent ?? "").trim();
      const box = cell.getBoundingClientRect();
      if (text && box.height > 0 && box.width < 48)
        problems.push(`cell ${Math.round(box.width)}px「${text.slice(0, 16)}」`);
    }
    if (!touch) return problems;
    const controls = [
      "button",
      "select",
      "textarea",
      'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"])',
      ".checkbox",
      "summary",
      ".button",
      ".site-nav a",
      ".user-box a",
      "ul.tabs a",
      ".pagination a",
      ".actions > a",
    ].join(",");
    for (const el of Array.from(document.querySelectorAll(controls))) {
      const box = el.getBoundingClientRect();
      const hidden = box.width === 0 || el.closest(".visually-hidden") !== null;
      if (!hidden && box.height < 44)
        problems.push(
          `target ${Math.round(box.height)}px tall「${(el.textContent ?? "").trim().slice(0, 16)}」`,
        );
    }
    return problems;
  }, touch);
}

/** Visits each path at both widths: 200, fits, cells wide enough, targets big enough, axe clean. */
async function tour(login: string | null, paths: string[]): Promise<void> {
  const problems: string[] = [];
  for (const viewport of [phone, desk]) {
    const page = await open(login, viewport);
    try {
      for (const path of paths) {
        const res = await page.goto(`${suite.url}${path}`);
        assert.equal(res?.status(), 200, path);
        await shoot(page, `${login ?? "citizen"}${path.replaceAll(/[^A-Za-z0-9]+/g, "_")}-${viewport.name}`);
        for (const p of await measure(page, viewport === phone))
          problems.push(`${path} at ${viewport.width}px: ${p}`);
        await assertAccessible(page);
      }
    } finally {
      await page.context().close();
    }
  }
  assert.deepEqual(problems, [], "every page fits its screen");
}

/** After a refused form: the summary is focused, on the first screen, and links to the fields. */
async function assertErrorSummary(page: Page, name: string): Promise<string[]> {
  await shoot(page, `error-${name}`);
  const summary = await page.evaluate(() => {
    const box = document.getElementById("error-summary");
    const links = Array.from(box?.querySelectorAll("a") ?? []).map((a) => {
      const target = document.getElementById((a.getAttribute("href") ?? "").slice(1));
      const described = (target?.getAttribute("aria-describedby") ?? "")
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" ");
      return { text: a.textContent ?? "", target: target?.tagName ?? null, described };
    });
    return {
      focused: document.activeElement === box && box !== null,
      top: box?.getBoundingClientRect().top ?? -1,
      firstInMain: document.querySelector("main")?.firstElementChild === box,
      heading: box?.querySelector("h2")?.textContent ?? "",
      title: document.title,
      links,
    };
  });
  assert.ok(summary.focused, `${name}: the error summary has the focus`);
  assert.ok(
    summary.top >= 0 && summary.top < 844 / 2,
    `${name}: the summary is near the top (${summary.top}px)`,
  );
  assert.equal(summary.heading, "入力内容を確認してください");
  assert.ok(summary.links.length > 0, `${name}: each problem links to its field`);
  for (const link of summary.links) {
    assert.ok(link.target, `${name}: 「${link.text}」 leads to a field`);
    assert.ok(link.described.includes(link.text), `${name}: the field repeats 「${link.text}」 beside it`);
  }
  await assertAccessible(page);
  return summary.links.map((l) => l.text);
}

test("a citizen: the list of accounts, an account, the notices, the check", async () => {
  const { account } = await ids();
  await tour(null, [
    "/public/accounts",
    `/public/accounts/${account}`,
    "/public/notices",
    "/public/verify",
    "/public/verify?url=https%3A%2F%2Fx.com%2Fiwaki_city_official",
  ]);
});

test("the accounts banner names the running なりすまし warning as well as the notices", async () => {
  const page = await open(null, phone);
  await page.goto(`${suite.url}/public/accounts`);
  const banner = page.locator("main .notice-warning");
  await banner.getByRole("link", { name: "なりすましアカウントにご注意ください" }).click();
  await page.waitForURL(/\/public\/notices#section-impersonations$/);
  await page.context().close();
});

test("an operator: dashboard, posts, the editor, tasks, notifications, reporting an incident", async () => {
  await tour("D0021", [
    "/",
    "/posts",
    "/posts/new",
    "/tasks",
    "/notifications",
    "/incidents/new",
    "/guideline",
    "/account/sessions",
  ]);
});

test("a manager between meetings: the post awaiting approval, the incident, tasks, accounts", async () => {
  const { pending, incident, account } = await ids();
  await tour("D0010", [
    "/",
    "/tasks",
    "/notifications",
    `/posts/${pending}`,
    "/incidents",
    `/incidents/${incident}`,
    "/accounts",
    `/accounts/${account}`,
  ]);
});

test("the directors, the administrator and the auditor: their lists", async () => {
  await tour("D0002", ["/", "/incidents", "/roles", "/filings"]);
  await tour("D0001", ["/", "/filings"]);
  assert.ok(app);
  const [operator] = await app.ctx.db
    .select({ id: staff.id })
    .from(staff)
    .where(eq(staff.employeeNo, "D0021"));
  assert.ok(operator, "the demo has the operator D0021");
  await tour("D0028", [
    "/",
    "/staff",
    `/staff/${operator.id}`,
    "/org/departments",
    "/admin/settings",
    "/audit",
    "/account/sessions",
  ]);
});

test("on a desk the post text gets a readable width beside its findings; numbers and URLs stay whole", async () => {
  const { pending } = await ids();
  const page = await open("D0010", desk);
  await page.goto(`${suite.url}/posts/${pending}`);
  const layout = await page.evaluate(() => {
    const text = document.querySelector(".text-findings .post-text");
    const findings = document.querySelector(".text-findings > :nth-child(2)");
    const url = document.querySelector(".post-text .url");
    return {
      text: text?.getBoundingClientRect().width ?? 0,
      beside: (findings?.getBoundingClientRect().left ?? 0) > (text?.getBoundingClientRect().right ?? 0),
      breaks: url ? url.querySelectorAll("wbr").length : 0,
    };
  });
  assert.ok(layout.text >= 480, `the text is ${layout.text}px wide`);
  assert.ok(layout.beside, "the findings are beside the text");
  assert.ok(layout.breaks > 0, "the URL in the text breaks only at its seams");
  await page.setViewportSize(phone);
  const below = await page.evaluate(() => {
    const text = document.querySelector(".text-findings > :first-child")?.getBoundingClientRect();
    const findings = document.querySelector(".text-findings > :nth-child(2)")?.getBoundingClientRect();
    return (findings?.top ?? 0) >= (text?.bottom ?? 0);
  });
  assert.ok(below, "on a phone the findings come below the text");
  await page.context().close();
});

test("refused forms: the summary leads the page, has the focus and links to the fields", async () => {
  const { pending } = await ids();
  // A manager returns a post from the phone without saying why.
  const manager = await open("D0010", phone);
  await manager.goto(`${suite.url}/posts/${pending}`);
  await manager.getByRole("button", { name: "差し戻す" }).click();
  await manager.waitForURL(/\/return$/);
  assert.deepEqual(await assertErrorSummary(manager, "post-return"), ["理由・コメントを入力してください。"]);
  await manager.getByRole("link", { name: "理由・コメントを入力してください。" }).click();
  assert.equal(await manager.evaluate(() => location.hash), "#f-comment");
  await manager.context().close();

  // An operator reports an incident with nothing filled in.
  const operator = await open("D0021", phone);
  await operator.goto(`${suite.url}/incidents/new`);
  await operator.getByRole("button", { name: "報告する" }).click();
  await operator.waitForURL(/\/incidents$/);
  assert.ok((await assertErrorSummary(operator, "incident-report")).length >= 1);
  await operator.context().close();

  // Without JavaScript the summary is still the first thing in <main>, focused by autofocus.
  const plain = await open("D0021", phone, false);
  await plain.goto(`${suite.url}/incidents/new`);
  await plain.getByRole("button", { name: "報告する" }).click();
  await plain.waitForURL(/\/incidents$/);
  assert.match(
    await plain.content(),
    /<main id="main" tabindex="-1"><section class="error-summary" id="error-summary" tabindex="-1" autofocus=""/,
  );
  await plain.context().close();

  // An operator saves a new post without choosing an account: the text typed is kept.
  const writer = await open("D0021", desk);
  await writer.goto(`${suite.url}/posts/new`);
  const text = "【サンプル】問い合わせは広報広聴課（0246-22-1111）まで。";
  await writer.locator("textarea").first().fill(text);
  await writer.getByRole("button", { name: "下書きを保存する" }).click();
  await writer.waitForLoadState();
  assert.ok((await assertErrorSummary(writer, "post-new")).length >= 1);
  assert.equal(await writer.locator("textarea").first().inputValue(), text, "what was typed is kept");
  await writer.context().close();

  // A citizen checks something that is not a URL.
  const citizen = await open(null, phone);
  await citizen.goto(`${suite.url}/public/verify?url=${encodeURIComponent("https://[x")}`);
  assert.equal((await assertErrorSummary(citizen, "verify")).length, 1);
  await citizen.context().close();
});

/** Where <main> starts, whether the menu's links show, and the header's notifications link. */
function header(page: Page) {
  return page.evaluate(() => {
    const links = Array.from(document.querySelectorAll<HTMLElement>(".site-nav li a"));
    const shown = links.filter((a) => a.checkVisibility());
    const summary = document.querySelector<HTMLElement>(".nav-menu > summary");
    const notifications = document.querySelector<HTMLElement>('.user-box a[href="/notifications"]');
    return {
      mainTop: Math.round(document.querySelector("main")?.getBoundingClientRect().top ?? -1),
      links: links.length,
      shown: shown.length,
      rows: new Set(shown.map((a) => Math.round(a.getBoundingClientRect().top))).size,
      heights: shown.map((a) => Math.round(a.getBoundingClientRect().height)),
      summary: summary?.checkVisibility() ?? false,
      summaryHeight: Math.round(summary?.getBoundingClientRect().height ?? 0),
      notifications: notifications?.checkVisibility() ? (notifications.textContent ?? "") : null,
      current: document.querySelector('.site-nav a[aria-current="page"]')?.textContent ?? null,
      focused: document.activeElement?.closest(".site-nav")
        ? (document.activeElement.textContent ?? "")
        : null,
    };
  });
}

test("on a phone the staff menu is one button that opens with the keyboard, without script", async () => {
  const page = await open("D0010", phone, false);
  await page.goto(`${suite.url}/tasks`);
  const closed = await header(page);
  await shoot(page, "menu-closed-phone");
  assert.ok(closed.mainTop > 0 && closed.mainTop <= 120, `the header is ${closed.mainTop}px tall`);
  assert.ok(closed.links > 5, "the manager's menu has its links");
  assert.equal(closed.shown, 0, "the links wait behind the menu button");
  assert.ok(closed.summary && closed.summaryHeight >= 44, "the menu button is a 44px target");
  assert.ok(closed.notifications?.startsWith("通知"), "the notifications (and their count) stay in sight");

  // Keyboard only: Tab reaches the button (with a visible focus ring), Enter opens it, the links
  // follow it, Space closes it.
  await page.getByRole("button", { name: "ログアウト" }).focus();
  await page.keyboard.press("Tab");
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el?.matches(".nav-menu > summary")) return null;
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
  });
  assert.ok(ring, "Tab goes from ログアウト to the menu button");
  assert.ok(ring.style !== "none" && ring.width >= 2, `the focus is visible (${ring.style} ${ring.width}px)`);
  await page.keyboard.press("Enter");
  const opened = await header(page);
  await shoot(page, "menu-open-phone");
  assert.equal(opened.shown, closed.links, "every link shows once the menu is open");
  assert.equal(opened.rows, opened.links, "one link a line");
  assert.ok(
    opened.heights.every((h) => h >= 44),
    `every link is a 44px target (${opened.heights.join(", ")})`,
  );
  assert.equal(opened.current, "タスク", "the page you are on is marked");
  await page.keyboard.press("Tab");
  assert.equal((await header(page)).focused, "ダッシュボード", "Tab goes from the button to the first link");
  await page.keyboard.press("Enter");
  await page.waitForURL(`${suite.url}/`);
  await page.locator(".nav-menu > summary").focus();
  await page.keyboard.press(" ");
  assert.equal((await header(page)).shown, closed.links, "Space opens it too");
  await page.keyboard.press(" ");
  assert.equal((await header(page)).shown, 0, "and closes it");
  await page.context().close();
});

test("at a desk the menu's links show inline, with no button", async () => {
  const page = await open("D0010", desk);
  await page.goto(`${suite.url}/tasks`);
  const wide = await header(page);
  await shoot(page, "menu-desk");
  assert.equal(wide.summary, false, "no menu button at a desk");
  assert.equal(wide.shown, wide.links, "every link shows");
  assert.equal(wide.rows, 1, "on one line");
  assert.equal(wide.current, "タスク");
  assert.ok(wide.notifications?.startsWith("通知"));
  // Tab from the skip link and the header reaches the menu's links directly.
  await page.locator('.site-nav a[href="/"]').focus();
  await page.keyboard.press("Tab");
  assert.equal((await header(page)).focused, "投稿");
  // The open menu on a phone passes axe too (the closed one is checked on every page of the tour).
  await page.setViewportSize(phone);
  await page.locator(".nav-menu > summary").click();
  assert.equal((await header(page)).shown, wide.links);
  await assertAccessible(page);
  await page.context().close();
});

test("the public pages' header fits a phone: the menu button, then the page", async () => {
  const page = await open(null, phone, false);
  await page.goto(`${suite.url}/public/notices`);
  const closed = await header(page);
  await shoot(page, "public-menu-closed-phone");
  assert.ok(closed.mainTop > 0 && closed.mainTop <= 120, `the header is ${closed.mainTop}px tall`);
  assert.equal(closed.shown, 0);
  await page.locator(".nav-menu > summary").focus();
  await page.keyboard.press("Enter");
  const opened = await header(page);
  assert.equal(opened.shown, 3, "the three public pages");
  assert.equal(opened.current, "お知らせ（変更・運用終了など）");
  await shoot(page, "public-menu-open-phone");
  await page.setViewportSize(desk);
  await page.goto(`${suite.url}/public/notices`);
  const wide = await header(page);
  assert.equal(wide.summary, false);
  assert.equal(wide.rows, 1, "at a desk the three links on one line");
  await page.context().close();
});
