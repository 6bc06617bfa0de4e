/**
 * A node:test reporter that sums, per test file, the time of its top-level tests and writes the
 * sums as one JSON object (path relative to the working folder → seconds) when the run ends.
 * test/run.ts adds it to the in-process groups and balances the next run's groups with it.
 */
import { relative } from "node:path";
import type { TestEvent } from "node:test/reporters";

export default async function* durations(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const seconds: Record<string, number> = {};
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { nesting, file, details } = event.data;
    if (nesting !== 0 || !file) continue;
    const path = relative(process.cwd(), file);
    seconds[path] = (seconds[path] ?? 0) + details.duration_ms / 1000;
  }
  yield `${JSON.stringify(seconds)}\n`;
}
