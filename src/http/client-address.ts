/**
 * The client's network address, for slowing down sign-in attempts and for the audit log. When
 * the connecting peer is a reverse proxy listed in SNSGOV_TRUSTED_PROXIES, X-Forwarded-For is
 * read from the right (the hop nearest to us): each hop a trusted proxy reports is believed, and
 * the first one that is not itself a trusted proxy is the client. From any other peer the header
 * is ignored, since anyone can send it.
 */
import { BlockList, isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { AddressRange } from "../config.ts";
import type { AppEnv } from "./env.ts";

/** What is recorded when the peer's address is not known (in-process requests). */
export const UNKNOWN_ADDRESS = "unknown";

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * An address as recorded: IPv4-mapped IPv6 (`::ffff:192.0.2.1`) as plain IPv4, IPv6 lower-case,
 * a port (`192.0.2.1:5000`, `[2001:db8::1]:443`) dropped; undefined when it is not an address.
 */
export function normalizeAddress(raw: string): string | undefined {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  if (isIP(value) === 0) return undefined;
  const mapped = /^::ffff:(.+)$/i.exec(value)?.[1];
  if (mapped && IPV4.test(mapped) && isIP(mapped) === 4) return mapped;
  return value.toLowerCase();
}

/** A set of trusted proxy addresses and ranges. */
export type ProxyList = { includes(address: string): boolean };

/** The proxies in `ranges` (from the configuration) as a set to look addresses up in. */
export function proxyList(ranges: readonly AddressRange[]): ProxyList {
  const list = new BlockList();
  for (const range of ranges) list.addSubnet(range.address, range.prefix, range.family);
  return {
    includes: (address) => {
      const version = isIP(address);
      return ranges.length > 0 && version !== 0 && list.check(address, version === 6 ? "ipv6" : "ipv4");
    },
  };
}

/**
 * The client's address from the peer's address and the X-Forwarded-For header (all of them,
 * comma-joined). A hop that is not an address ends the walk at the last believable one.
 */
export function resolveClientAddress(props: {
  peer: string | undefined;
  forwardedFor: string | undefined;
  trusted: ProxyList;
}): string {
  const peer = props.peer === undefined ? undefined : normalizeAddress(props.peer);
  if (peer === undefined) return UNKNOWN_ADDRESS;
  if (!props.trusted.includes(peer) || !props.forwardedFor) return peer;
  const hops = props.forwardedFor.split(",");
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i] ?? "");
    if (hop === undefined) return client;
    client = hop;
    if (!props.trusted.includes(hop)) return hop;
  }
  return client;
}

const lists = new WeakMap<readonly AddressRange[], ProxyList>();

function trustedOf(ranges: readonly AddressRange[]): ProxyList {
  const known = lists.get(ranges);
  if (known) return known;
  const made = proxyList(ranges);
  lists.set(ranges, made);
  return made;
}

function peerAddress(c: Context<AppEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/** The address of the client making this request (see the module comment). */
export function clientAddress(c: Context<AppEnv>): string {
  return resolveClientAddress({
    peer: peerAddress(c),
    forwardedFor: c.req.header("x-forwarded-for"),
    trusted: trustedOf(c.var.app.config.trustedProxies),
  });
}
