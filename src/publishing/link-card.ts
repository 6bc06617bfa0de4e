/**
 * A link card for a post (Bluesky's `app.bsky.embed.external`): the title, description and image
 * of the page a post links to, read from its Open Graph tags (`og:title`, `og:description`,
 * `og:image`; else `<title>` and `<meta name="description">`).
 *
 * Fetching an address a post names, from the server, is a request forgery risk (SSRF): the
 * address could point at the city's intranet, a cloud metadata service or the server itself. So a
 * page is fetched only
 * - over https, from a public address (`SNSGOV_LINK_CARDS=public`, the default); the tests and
 *   the demo, whose pages are loopback servers, say `SNSGOV_LINK_CARDS=loopback` instead: then
 *   only this machine is asked (http allowed), and no other name is even looked up;
 * - from a public address: the host name is resolved first and every address it resolves to is
 *   checked (private, loopback, link-local, CGNAT, multicast, reserved, documentation ranges, and
 *   IPv4-mapped or NAT64 forms of them refused), and the connection goes to the checked address
 *   itself (the check runs in the socket's `lookup`, so a second DNS answer cannot differ);
 * - following at most three redirects, each checked the same way;
 * - within 5 seconds in all, reading at most 1 MB (a page is cut there; an image over it is left
 *   out), with no cookies and no credentials.
 * Any failure gives no card (or no image): the post goes out without it, never failing for it.
 */
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { htmlToText } from "./text.ts";

/**
 * Where link cards are fetched from: `public` (https, public addresses: production), `loopback`
 * (only this machine, over http or https, never a DNS lookup of another name: the tests and the
 * demo, whose pages are loopback servers), `off` (no link cards).
 */
export type LinkCardSource = "public" | "loopback" | "off";

export type LinkCardOptions = {
  /** Default `public`. */
  from?: LinkCardSource;
  /** For the whole fetch, redirects included (default 5 s). */
  timeoutMs?: number;
  /** The most bytes read of a page or an image (default 1,000,000: Bluesky's thumbnail limit). */
  maxBytes?: number;
};

export type LinkCard = {
  uri: string;
  title: string;
  description: string;
  image?: { bytes: Uint8Array; contentType: string };
};

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 1_000_000;
const MAX_REDIRECTS = 3;
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);

/** Addresses a link card is never fetched from (IPv4-mapped IPv6 forms are matched too). */
const REFUSED = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  REFUSED.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const)
  REFUSED.addSubnet(net, prefix, "ipv6");
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

const family = (address: string) => (isIP(address) === 6 ? "ipv6" : "ipv4");

/** Whether a link card may be fetched from this IP address. */
export function addressAllowed(address: string, from: LinkCardSource = "public"): boolean {
  if (isIP(address) === 0 || from === "off") return false;
  if (from === "loopback") return LOOPBACK.check(address, family(address));
  return !REFUSED.check(address, family(address));
}

/** A connection refused by the address check (never reaches the network). */
class RefusedAddress extends Error {}

/**
 * A DNS lookup that answers only when every address of the name is allowed (else it fails the
 * connection): used as the socket's `lookup`, so the connection goes to the address checked.
 */
export function checkedLookup(from: LinkCardSource): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const list = Array.isArray(addresses) ? addresses : [];
      const bad = list.find((a) => !addressAllowed(a.address, from));
      const first = list[0];
      if (bad || !first) return callback(new RefusedAddress(`refused address for ${hostname}`), "", 4);
      if (options.all) return callback(null, list);
      return callback(null, first.address, first.family);
    });
  };
}

/** Whether a URL may be fetched at all, before any lookup or connection (scheme, host). */
export function urlAllowed(url: URL, from: LinkCardSource = "public"): boolean {
  if (url.username !== "" || url.password !== "" || from === "off") return false;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host) !== 0;
  if (literal && !addressAllowed(host, from)) return false;
  // Loopback (tests, demo): this machine only, http allowed; no other name is looked up.
  if (from === "loopback")
    return (url.protocol === "http:" || url.protocol === "https:") && (literal || host === "localhost");
  return url.protocol === "https:";
}

type Fetched = { status: number; contentType: string; location: string; body: Buffer; truncated: boolean };

/** One GET with the checks above; resolves with at most `maxBytes` of the body. */
function getOnce(url: URL, options: Required<LinkCardOptions>, signal: AbortSignal): Promise<Fetched> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      {
        lookup: checkedLookup(options.from),
        signal,
        headers: {
          "User-Agent": "snsgov-link-card/1 (+link preview for an official post)",
          Accept: "text/html,application/xhtml+xml,image/*;q=0.8",
        },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        let settled = false;
        const done = () => {
          if (settled) return;
          settled = true;
          resolve({
            status: response.statusCode ?? 0,
            contentType: (response.headers["content-type"] ?? "").toLowerCase(),
            location: response.headers.location ?? "",
            body: Buffer.concat(chunks),
            truncated,
          });
        };
        response.on("data", (chunk: Buffer) => {
          if (settled) return;
          const room = options.maxBytes - size;
          chunks.push(chunk.subarray(0, room));
          size += Math.min(chunk.length, room);
          if (chunk.length > room) {
            truncated = true;
            done();
            response.destroy();
          }
        });
        response.on("end", done);
        // Cut short (the time ran out, the server hung up): nothing is taken from it.
        response.on("close", () => {
          if (!settled && !response.complete) {
            settled = true;
            reject(new Error("the answer ended early"));
          }
          done();
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
  });
}

/** GET following redirects (each checked), or null when refused or failed. */
async function safeGet(address: string, options: Required<LinkCardOptions>, signal: AbortSignal) {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!urlAllowed(url, options.from)) return null;
    let fetched: Fetched;
    try {
      fetched = await getOnce(url, options, signal);
    } catch {
      return null;
    }
    if (fetched.status >= 300 && fetched.status < 400 && fetched.location !== "") {
      try {
        url = new URL(fetched.location, url);
      } catch {
        return null;
      }
      continue;
    }
    return fetched.status === 200 ? { ...fetched, url } : null;
  }
  return null;
}

/** The page's text in its declared encoding (Japanese sites often use Shift_JIS or EUC-JP). */
function decodePage(body: Buffer, contentType: string): string {
  const head = body.subarray(0, 2048).toString("latin1");
  const declared =
    /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1];
  try {
    return new TextDecoder(declared ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}

/** The `content` of a `<meta>` whose property or name is one of `keys` ("" when none). */
function metaContent(html: string, keys: readonly string[]): string {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const attr = (name: string) =>
      new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i")
        .exec(tag)
        ?.slice(1)
        .find((v) => v !== undefined) ?? "";
    const key = (attr("property") || attr("name")).toLowerCase();
    if (keys.includes(key)) return htmlToText(attr("content"));
  }
  return "";
}

const clip = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** Title, description and image address of a page's HTML. */
export function cardOfHtml(
  html: string,
  pageUrl: URL,
): { title: string; description: string; image: string } {
  const title =
    metaContent(html, ["og:title", "twitter:title"]) ||
    htmlToText(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? "");
  const description = metaContent(html, ["og:description", "twitter:description", "description"]);
  const imageRef = metaContent(html, ["og:image", "og:image:secure_url", "twitter:image"]);
  let image = "";
  try {
    image = imageRef ? new URL(imageRef, pageUrl).toString() : "";
  } catch {
    image = "";
  }
  return { title: clip(title, 300), description: clip(description, 1000), image };
}

/**
 * The link card of `address`, or null when the page cannot be fetched safely, is not HTML, or
 * says nothing (no title and no description). Never throws.
 */
export async function fetchLinkCard(
  address: string,
  options: LinkCardOptions = {},
): Promise<LinkCard | null> {
  const settings: Required<LinkCardOptions> = {
    from: options.from ?? "public",
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
  };
  if (settings.from === "off") return null;
  const signal = AbortSignal.timeout(settings.timeoutMs);
  try {
    const page = await safeGet(address, settings, signal);
    if (!page || !/^(text\/html|application\/xhtml\+xml)/.test(page.contentType)) return null;
    const card = cardOfHtml(decodePage(page.body, page.contentType), page.url);
    if (card.title === "" && card.description === "") return null;
    const result: LinkCard = { uri: address, title: card.title, description: card.description };
    if (card.image === "") return result;
    const image = await safeGet(card.image, settings, signal);
    const type = image?.contentType.split(";")[0]?.trim() ?? "";
    if (!image || image.truncated || !IMAGE_TYPES.has(type)) return result;
    return { ...result, image: { bytes: new Uint8Array(image.body), contentType: type } };
  } catch {
    return null;
  }
}
