/**
 * Runs once before all test files (node --test-global-setup): builds the migrated database dump
 * (and the PostgreSQL template when TEST_DATABASE_URL is set) so test files only load copies.
 */
import { preparePgliteDump, preparePostgresTemplate } from "./db.ts";

export async function globalSetup(): Promise<void> {
  await preparePgliteDump();
  const url = process.env.TEST_DATABASE_URL;
  if (url) await preparePostgresTemplate(url);
}
