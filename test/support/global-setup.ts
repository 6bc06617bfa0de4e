/**
 * Runs once before all test files (node --test-global-setup): makes sure there is a test server
 * (test/run.ts starts the run's embedded server and names it in TEST_DATABASE_URL; a bare
 * `node --test` gets one here, stopped by the teardown) and builds its migrated template, so test
 * files only clone it.
 */
import { preparePostgresTemplate, startTestServer, type TestServer } from "./db.ts";

let started: TestServer | undefined;

export async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    started = await startTestServer();
    process.env.TEST_DATABASE_URL = started.url;
    process.env.SNSGOV_TEST_EMBEDDED = "1";
  }
  await preparePostgresTemplate(process.env.TEST_DATABASE_URL ?? "");
}

export async function globalTeardown(): Promise<void> {
  await started?.stop();
  started = undefined;
}
