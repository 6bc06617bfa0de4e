/**
 * A use-case context for tests: a fresh migrated database (see db.ts), a clock the test can
 * move, quiet logs, and the same event reactions as the server.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contextFor } from "../../src/app/bootstrap.ts";
import type { AppContext } from "../../src/app/context.ts";
import { silentLogger } from "../../src/app/logger.ts";
import { loadConfig } from "../../src/config.ts";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { testDatabase } from "./db.ts";

export type TestClock = {
  now(): Date;
  set(at: Date | string): void;
  advance(ms: number): void;
  /** Returns at once; the requested waits are kept in `slept` (milliseconds, in order). */
  sleep(ms: number): Promise<void>;
  slept: number[];
};

export function testClock(start: Date | string = "2026-11-24T00:00:00Z"): TestClock {
  let current = new Date(start);
  const slept: number[] = [];
  return {
    slept,
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/**
 * A clock that runs with real time from `start` (now by default); `set` and `advance` move it.
 * For the browser suite's two-factor codes, which the browser side computes from real time.
 */
export function runningClock(start: Date | string = new Date()): TestClock {
  let offset = new Date(start).getTime() - Date.now();
  const slept: number[] = [];
  return {
    slept,
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => new Date(Date.now() + offset),
    set: (at) => {
      offset = new Date(at).getTime() - Date.now();
    },
    advance: (ms) => {
      offset += ms;
    },
  };
}

export type TestApp = { ctx: AppContext; handle: DatabaseHandle; clock: TestClock; close(): Promise<void> };

/** A context on a fresh database. `env` overrides configuration variables. */
export async function testApp(
  options: {
    env?: Record<string, string>;
    start?: string;
    /** A clock that runs with real time (runningClock) instead of standing still. */
    running?: boolean;
  } = {},
): Promise<TestApp> {
  const handle = await testDatabase();
  const clock = options.running ? runningClock(options.start) : testClock(options.start);
  // Each app its own audit anchor file (unless the test places the key or the file itself).
  const own = options.env?.SNSGOV_AUDIT_ANCHOR_FILE || options.env?.SNSGOV_AUDIT_KEY_FILE;
  const anchorDir = own ? null : join(tmpdir(), `snsgov-test-anchors-${randomUUID()}`);
  const config = loadConfig({
    SNSGOV_DATA_DIR: "/tmp/snsgov-test-unused",
    SNSGOV_COOKIE_SECURE: "false",
    ...(anchorDir ? { SNSGOV_AUDIT_ANCHOR_FILE: join(anchorDir, "audit-anchors.jsonl") } : {}),
    ...options.env,
  });
  const ctx = contextFor(handle, config, { clock, log: silentLogger });
  const close = async () => {
    await handle.close();
    if (anchorDir) await rm(anchorDir, { recursive: true, force: true });
  };
  return { ctx, handle, clock, close };
}
