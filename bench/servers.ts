/**
 * The database servers a benchmark measures: always the embedded PostgreSQL server (started in a
 * temporary folder with the default, durable settings, as `snsgov serve` runs it), and the
 * PostgreSQL at BENCH_DATABASE_URL or TEST_DATABASE_URL when one is set. Each is named to the
 * test helpers in TEST_DATABASE_URL while it is measured.
 */
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
