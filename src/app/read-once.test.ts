/** Reads kept for one request: once per request and key, never across requests or outside one. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestApp, testApp } from "../../test/support/context.ts";
import type { AppContext } from "./context.ts";
import { forOneRequest, lastingOf, readMemo, readOnce } from "./read-once.ts";

let app: TestApp;
let lasting: AppContext;
before(async () => {
  app = await testApp();
  lasting = app.ctx;
});
after(() => app.close());

test("a request reads each key once; another request and a context outside any request read afresh", async () => {
  const memo = readMemo<number>();
  let reads = 0;
  const read = async () => ++reads;
  const first = forOneRequest(lasting);
  assert.equal(await readOnce(first, memo, "a", read), 1);
  assert.equal(await readOnce(first, memo, "a", read), 1);
  assert.equal(await readOnce(first, memo, "b", read), 2);
  const second = forOneRequest(lasting);
  assert.equal(await readOnce(second, memo, "a", read), 3);
  assert.equal(await readOnce(lasting, memo, "a", read), 4);
  assert.equal(await readOnce(lasting, memo, "a", read), 5);
  assert.equal(forOneRequest(first), first);
});

test("caches that outlive a request find the context the request's copy was made from", () => {
  const copy = forOneRequest(lasting);
  assert.notEqual(copy, lasting);
  assert.equal(lastingOf(copy), lasting);
  assert.equal(lastingOf(lasting), lasting);
});
