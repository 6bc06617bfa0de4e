/**
 * Assertions on refusals for tests.
 */
import assert from "node:assert/strict";
import { AppError } from "../../src/errors.ts";

/** For `assert.rejects`: an AppError with this code and a message matching `pattern`. */
export function refused(code: string, pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  };
}
