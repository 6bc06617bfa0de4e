/** openPostgres gives up on a server that never answers instead of hanging every request. */
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { test } from "node:test";
import { databaseAppError } from "../errors.ts";
import { openPostgres } from "./client.ts";

test("a query against a server that accepts but never answers fails as an outage (503) within the timeout", {
  timeout: 10_000,
}, async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const address = silent.address();
  assert.ok(address && typeof address === "object");
  const handle = await openPostgres(`postgres://postgres@127.0.0.1:${address.port}/test`, {
    max: 1,
    connectMs: 300,
  });
  try {
    const started = Date.now();
    const error = await handle.pool.query("select 1").then(
      () => undefined,
      (e: unknown) => e,
    );
    const waited = Date.now() - started;
    assert.ok(error, "the query should fail");
    assert.ok(waited < 5_000, `gave up after ${waited} ms`);
    assert.equal(databaseAppError(error)?.status, 503);
  } finally {
    await handle.close().catch(() => undefined);
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});
