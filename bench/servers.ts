/**
 * The database servers a benchmark measures: always the embedded PostgreSQL server (started in a
 * temporary folder with the default, durable settings, as `snsgov serve` runs it), and the
 * PostgreSQL at BENCH_DATABASE_URL or TEST_DATABASE_URL when one is set. Each is named to the
 * test helpers in TEST_DATABASE_URL while it is measured. Also how a benchmark serves an
 * application on loopback and loads it (autocannon in its own process).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { startTestServer } from "../test/support/db.ts";

/** The external server's URL, read before anything sets TEST_DATABASE_URL. */
const external = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

/** True when an external PostgreSQL is measured too. */
export const measuresExternal = external !== undefined;

/**
 * Runs `measure` on each server in turn ("embedded", then "postgres" when set) and returns the
 * results in that order.
 */
export async function onEachServer<T>(measure: (label: "embedded" | "postgres") => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  const embedded = await startTestServer({ durable: true });
  try {
    process.env.TEST_DATABASE_URL = embedded.url;
    results.push(await measure("embedded"));
  } finally {
    await embedded.stop();
  }
  if (external) {
    process.env.TEST_DATABASE_URL = external;
    results.push(await measure("postgres"));
  }
  return results;
}

/** What one autocannon run measured. */
export type Figures = {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  kb: number;
  /** The server's own CPU time per request (this process; autocannon runs in another). */
  cpuUs: number;
};

const require = createRequire(import.meta.url);

function numberAt(value: unknown, ...path: string[]): number {
  let v: unknown = value;
  for (const key of path) v = typeof v === "object" && v !== null ? Reflect.get(v, key) : undefined;
  return typeof v === "number" ? v : Number.NaN;
}

/**
 * Runs autocannon against `url` in its own process (its CLI, JSON output), so the load generator does not
 * share the server's event loop: on 2 cores, one drives and one serves.
 */
export function run(
  url: string,
  label: string,
  options: { connections: number; seconds: number; headers?: string[] },
): Promise<Figures> {
  const cli = require.resolve("autocannon/autocannon.js");
  const args = [
    cli,
    "-c",
    String(options.connections),
    "-d",
    String(options.seconds),
    "-j",
    ...(options.headers ?? []).flatMap((h) => ["-H", h]),
    url,
  ];
  const cpuBefore = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err}`));
      const result: unknown = JSON.parse(out);
      const cpu = process.cpuUsage(cpuBefore);
      resolve({
        cpuUs: (cpu.user + cpu.system) / numberAt(result, "requests", "total"),
        label,
        rps: numberAt(result, "requests", "average"),
        p50: numberAt(result, "latency", "p50"),
        p99: numberAt(result, "latency", "p99"),
        errors: numberAt(result, "errors"),
        non2xx: numberAt(result, "non2xx"),
        kb: numberAt(result, "throughput", "average") / 1024,
      });
    });
  });
}

/** Serves `fetch` on a loopback port; returns its base URL and a function that closes it. */
export async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  const server = serve({ fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const address: AddressInfo | string | null = server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
