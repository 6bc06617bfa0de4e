/**
 * Browser-suite support: starts the application on a loopback port over a fresh test database,
 * launches Debian's Chromium through playwright-core, and runs axe-core on pages.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { createHttpApp } from "../../src/http/app.tsx";
import type { TestApp } from "../support/context.ts";

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

/** Serves the app on 127.0.0.1 (random port); returns its base URL and a stop function. */
export async function startServer(app: TestApp): Promise<{ url: string; stop(): Promise<void> }> {
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
