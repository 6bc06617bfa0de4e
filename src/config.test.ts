/** Configuration: SNSGOV_TRUSTED_PROXIES is parsed into ranges, and a bad value names the variable. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./config.ts";

test("SNSGOV_TRUSTED_PROXIES: none by default; addresses and CIDR ranges of both families", () => {
  assert.deepEqual(loadConfig({}).trustedProxies, []);
  assert.deepEqual(
    loadConfig({ SNSGOV_TRUSTED_PROXIES: " 10.0.0.0/8 ,192.0.2.1, ::1, 2001:db8::/32," }).trustedProxies,
    [
      { address: "10.0.0.0", prefix: 8, family: "ipv4" },
      { address: "192.0.2.1", prefix: 32, family: "ipv4" },
      { address: "::1", prefix: 128, family: "ipv6" },
      { address: "2001:db8::", prefix: 32, family: "ipv6" },
    ],
  );
});

test("SNSGOV_TRUSTED_PROXIES: an invalid entry stops the start with a message naming the variable", () => {
  for (const value of [
    "proxy.example",
    "10.0.0.0/33",
    "::1/129",
    "10.0.0.0/8/8",
    "10.0.0.0/x",
    "300.1.1.1",
  ]) {
    assert.throws(
      () => loadConfig({ SNSGOV_TRUSTED_PROXIES: `192.0.2.1, ${value}` }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes("SNSGOV_TRUSTED_PROXIES") &&
        error.message.includes(value),
      value,
    );
  }
});
