/**
 * Which address is the client's: X-Forwarded-For only counts when a trusted proxy sent it, and is
 * read from the right so that a client cannot choose the address it is counted under.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config.ts";
import { normalizeAddress, proxyList, resolveClientAddress, UNKNOWN_ADDRESS } from "./client-address.ts";

const trusted = proxyList(
  loadConfig({ SNSGOV_TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.1, fd00::/8" }).trustedProxies,
);
const none = proxyList([]);

const resolve = (peer: string | undefined, forwardedFor?: string, list = trusted) =>
  resolveClientAddress({ peer, forwardedFor, trusted: list });

test("without trusted proxies the peer is the client and X-Forwarded-For is ignored", () => {
  assert.equal(resolve("203.0.113.5", "198.51.100.1", none), "203.0.113.5");
  assert.equal(resolve("10.0.0.1", "198.51.100.1", none), "10.0.0.1");
});

test("an untrusted peer cannot choose its address with X-Forwarded-For", () => {
  assert.equal(resolve("203.0.113.5", "198.51.100.1"), "203.0.113.5");
  assert.equal(resolve("203.0.113.5", "10.0.0.2"), "203.0.113.5");
});

test("behind trusted proxies the right-most hop that is not a proxy is the client", () => {
  assert.equal(resolve("10.0.0.1", "198.51.100.7"), "198.51.100.7");
  assert.equal(
    resolve("10.0.0.1", "198.51.100.66, 198.51.100.7"),
    "198.51.100.7",
    "a spoofed left hop is ignored",
  );
  assert.equal(resolve("10.0.0.1", "198.51.100.7, 192.0.2.1, 10.9.9.9"), "198.51.100.7", "chain of proxies");
  assert.equal(resolve("::ffff:10.0.0.1", "198.51.100.7"), "198.51.100.7", "IPv4-mapped peer");
  assert.equal(resolve("fd00::1", "2001:DB8::7"), "2001:db8::7");
  assert.equal(resolve("10.0.0.1", "[2001:db8::7]:4711"), "2001:db8::7");
  assert.equal(resolve("10.0.0.1", "198.51.100.7:4711"), "198.51.100.7");
});

test("a peer that sends no header, or only proxies, or garbage, stays as close as can be believed", () => {
  assert.equal(resolve("10.0.0.1"), "10.0.0.1");
  assert.equal(resolve("10.0.0.1", ""), "10.0.0.1");
  assert.equal(resolve("10.0.0.1", "10.0.0.3, 10.0.0.2"), "10.0.0.3");
  assert.equal(resolve("10.0.0.1", "198.51.100.7, not-an-address"), "10.0.0.1");
  assert.equal(resolve("10.0.0.1", "not-an-address, 10.0.0.2"), "10.0.0.2");
  assert.equal(resolve(undefined, "198.51.100.7"), UNKNOWN_ADDRESS);
});

test("addresses are recorded in one form", () => {
  assert.equal(normalizeAddress("::ffff:192.0.2.9"), "192.0.2.9");
  assert.equal(normalizeAddress(" 2001:DB8::1 "), "2001:db8::1");
  assert.equal(normalizeAddress("unknown"), undefined);
  assert.equal(normalizeAddress("192.0.2.300"), undefined);
});
