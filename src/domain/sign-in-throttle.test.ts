/** The per-address wait grows with failures and stays within a few seconds. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ADDRESS_MAX_WAIT_MS, ADDRESS_SLOWDOWN_AFTER, addressWaitMs } from "./sign-in-throttle.ts";

test("no wait below the threshold, then doubling waits up to the cap", () => {
  assert.equal(addressWaitMs(0), 0);
  assert.equal(addressWaitMs(ADDRESS_SLOWDOWN_AFTER - 1), 0);
  const waits = Array.from({ length: 8 }, (_, i) => addressWaitMs(ADDRESS_SLOWDOWN_AFTER + i));
  assert.deepEqual(waits, [250, 500, 1000, 2000, 4000, 4000, 4000, 4000]);
  assert.equal(addressWaitMs(1_000_000), ADDRESS_MAX_WAIT_MS);
});
