/**
 * Browser-suite support: starts the application on a loopback port over a fresh test database,
 * launches Debian's Chromium through playwright-core, and runs axe-core on pages.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before } from "node:test";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { createHttpApp } from "../../src/http/app.tsx";
import type { TestApp } from "../support/context.ts";
import { TEST_PASSWORD } from "../support/http.ts";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Launches Chromium with the flags that work on these machines. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export type TestServer = { url: string; stop(): Promise<void> };

/** Serves the app on 127.0.0.1 (random port); returns its base URL and a stop function. */
export async function startServer(app: TestApp): Promise<TestServer> {
  const http = createHttpApp(app.ctx);
  const server = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a browser test file runs against; read it only in tests. */
export type BrowserSuite = {
  /** The served application's base URL. */
  readonly url: string;
  readonly browser: Browser;
  /** Fills the login form on `page`, submits it and waits for the dashboard. */
  logIn(page: Page, login: string, password?: string): Promise<void>;
  /** A new Japanese page (its own context) signed in as `login`, on the dashboard. */
  signedIn(login: string, options?: { password?: string; javaScript?: boolean }): Promise<Page>;
};

/**
 * Registers the file's `before` and `after` hooks: before the tests, `setUp` makes (and seeds) the
 * app, which is then served and Chromium launched, and `launched` opens what the file's tests share
 * in it; after them, the browser, the server and the app are closed. (Top-level `before` hooks do
 * not wait for each other, so a file adds none of its own.)
 */
export function browserSuite(
  setUp: () => Promise<TestApp>,
  launched?: (browser: Browser) => Promise<void>,
): BrowserSuite {
  let app: TestApp | undefined;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    app = await setUp();
    server = await startServer(app);
    browser = await launchBrowser();
    await launched?.(browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await app?.close();
  });
  const running = () => {
    assert.ok(server && browser, "the browser suite is running");
    return { server, browser };
  };
  const suite: BrowserSuite = {
    get url() {
      return running().server.url;
    },
    get browser() {
      return running().browser;
    },
    async logIn(page, login, password = TEST_PASSWORD) {
      await page.getByLabel("ログインID（職員番号）").fill(login);
      await page.getByLabel("パスワード").fill(password);
      await page.getByRole("button", { name: "ログイン" }).click();
      await page.waitForURL(`${suite.url}/`);
    },
    async signedIn(login, options = {}) {
      const page = await suite.browser.newPage({
        locale: "ja-JP",
        javaScriptEnabled: options.javaScript ?? true,
      });
      await page.goto(`${suite.url}/login`);
      await suite.logIn(page, login, options.password);
      return page;
    },
  };
  return suite;
}

type AxeResult = {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }>;
};

function isAxeResult(value: unknown): value is AxeResult {
  return (
    typeof value === "object" && value !== null && "violations" in value && Array.isArray(value.violations)
  );
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails with the list of violations. */
export async function assertAccessible(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const result: unknown = await page.evaluate(async () => {
    const axe: unknown = Reflect.get(window, "axe");
    if (typeof axe !== "object" || axe === null || !("run" in axe) || typeof axe.run !== "function")
      return null;
    const options = {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };
    const out: unknown = await axe.run(document, options);
    return out;
  });
  assert.ok(isAxeResult(result), "axe ran");
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
  );
  assert.deepEqual(summary, [], `axe-core found problems on ${page.url()}`);
}
