import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError, databaseAppError, databaseUnavailableReason, isDatabaseUnavailable } from "./errors.ts";

/** An error as the drivers make them: a message, a code, drizzle's wrapping as `cause`. */
function failure(message: string, fields: { code?: string; column?: string } = {}): Error {
  return Object.assign(new Error(message), fields);
}
const wrapped = (cause: Error) => new Error("Failed query: insert into …", { cause });

test("a database outage is recognised in one place, through drizzle's wrapping", () => {
  const outages: Array<[Error, string]> = [
    [failure("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED" }), "ECONNREFUSED"],
    [
      new AggregateError([failure("connect ECONNREFUSED ::1:5432", { code: "ECONNREFUSED" })]),
      "ECONNREFUSED",
    ],
    [wrapped(failure("terminating connection due to administrator command", { code: "57P01" })), "57P01"],
    [wrapped(failure("connection failure", { code: "08006" })), "08006"],
    [failure("sorry, too many clients already", { code: "53300" }), "53300"],
    [
      wrapped(new Error("timeout exceeded when trying to connect")),
      "timeout exceeded when trying to connect",
    ],
    [new Error("Connection terminated unexpectedly"), "Connection terminated unexpectedly"],
  ];
  for (const [error, reason] of outages) {
    assert.equal(databaseUnavailableReason(error), reason, error.message);
    const mapped = databaseAppError(error);
    assert.equal(mapped?.code, "unavailable");
    assert.equal(mapped?.status, 503);
    assert.match(mapped?.message ?? "", /しばらく時間をおいてから/);
  }
  for (const error of [new Error("boom"), failure("syntax error", { code: "42601" }), "text", undefined]) {
    assert.equal(isDatabaseUnavailable(error), false, String(error));
  }
});

test("a data exception is a Japanese 422 (naming the column when known), never a 500", () => {
  const nul = databaseAppError(
    wrapped(failure('invalid byte sequence for encoding "UTF8": 0x00', { code: "22021" })),
  );
  assert.ok(nul instanceof AppError);
  assert.equal(nul.status, 422);
  assert.match(nul.message, /使用できない文字/);
  assert.deepEqual(nul.fields, []);
  const named = databaseAppError(failure("value too long", { code: "22001", column: "name" }));
  assert.equal(named?.fields[0]?.field, "name");
  assert.equal(
    databaseAppError(failure("unsupported Unicode escape sequence", { code: "22P05" }))?.status,
    422,
  );
  assert.equal(databaseAppError(failure("foreign key", { code: "23503" }))?.status, 422);
  assert.equal(databaseAppError(failure("duplicate key", { code: "23505" }))?.status, 409);
  assert.equal(databaseAppError(failure("division by zero in our SQL", { code: "42883" })), undefined);
  assert.equal(databaseAppError(new TypeError("a bug of ours")), undefined);
});
