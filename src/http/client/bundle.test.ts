import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { bundlePath, clientBundle } from "./build.ts";

test("the committed browser script is the build of src/http/client (run `npm run build:client` after a change)", async () => {
  const committed = await readFile(bundlePath, "utf8");
  assert.equal(committed, await clientBundle());
});
