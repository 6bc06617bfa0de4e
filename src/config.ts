/**
 * Configuration from the environment, parsed once with zod. An invalid value stops the program
 * with a message naming the variable, so a typo never starts a half-configured server.
 */

import { isIP } from "node:net";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { GRAPH_API_URL, GRAPH_VERSION } from "./publishing/graph.ts";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const minutes = z.coerce.number().int().positive();

/** Comma-separated origins (scheme://host[:port], nothing else); empty means none. */
const isOrigin = (o: string) => /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/i.test(o) && URL.canParse(o);
const origins = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .refine(
    (list) => list.every(isOrigin),
    "must be comma-separated origins like https://www.city.example.lg.jp",
  )
  .transform((list) => list.map((o) => new URL(o).origin));

/** An IP address or CIDR range: `192.0.2.10`, `10.0.0.0/8`, `2001:db8::/32`, `::1`. */
export type AddressRange = { address: string; prefix: number; family: "ipv4" | "ipv6" };

/** One `address[/prefix]`, or undefined when it is not one. */
export function parseAddressRange(text: string): AddressRange | undefined {
  const [address = "", prefixText, ...rest] = text.split("/");
  const version = isIP(address);
  if (rest.length > 0 || version === 0 || address.includes("%")) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** Comma-separated addresses and CIDR ranges; empty means none. */
const addressRanges = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .superRefine((list, ctx) => {
    const bad = list.filter((entry) => parseAddressRange(entry) === undefined);
    if (bad.length > 0)
      ctx.addIssue({
        code: "custom",
        message: `must be comma-separated IP addresses or CIDR ranges like 10.0.0.0/8, 2001:db8::/32 or 192.0.2.10 (not: ${bad.join(", ")})`,
      });
  })
  .transform((list) => list.flatMap((entry) => parseAddressRange(entry) ?? []));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  SNSGOV_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  SNSGOV_PUBLIC_URL: z.string().url().optional(),
  SNSGOV_COOKIE_SECURE: bool.optional(),
  SNSGOV_SESSION_IDLE_MINUTES: minutes.default(30),
  SNSGOV_SESSION_ABSOLUTE_MINUTES: minutes.default(12 * 60),
  SNSGOV_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SNSGOV_LOGIN_LOCK_MINUTES: minutes.default(15),
  SNSGOV_TRUSTED_PROXIES: addressRanges,
  SNSGOV_AUDIT_KEY_FILE: z.string().min(1).optional(),
  SNSGOV_AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
  SNSGOV_AUDIT_CHECKPOINT_MINUTES: minutes.default(5),
  SNSGOV_CITY_NAME: z.string().min(1).default("いわき市"),
  SNSGOV_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  SNSGOV_EMBED_ORIGINS: origins,
  SNSGOV_LEAK_MANUAL_URL: z.string().trim().url().optional(),
  SNSGOV_SMTP_HOST: z.string().trim().optional(),
  SNSGOV_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SNSGOV_SMTP_SECURE: z.enum(["tls", "starttls", "none"]).default("starttls"),
  SNSGOV_SMTP_USER: z.string().optional(),
  SNSGOV_SMTP_PASSWORD: z.string().optional(),
  SNSGOV_SMTP_FROM: z.string().trim().optional(),
  SNSGOV_TOKEN_KEY_FILE: z.string().min(1).optional(),
  SNSGOV_PUBLISHER: z.enum(["in-process", "separate"]).default("in-process"),
  SNSGOV_LINE_API_URL: z.string().url().default("https://api.line.me"),
  SNSGOV_X_API_URL: z.string().url().default("https://api.x.com"),
  SNSGOV_X_AUTHORIZE_URL: z.string().url().default("https://x.com/i/oauth2/authorize"),
  SNSGOV_X_CLIENT_ID: z.string().trim().optional(),
  SNSGOV_X_CLIENT_SECRET: z.string().optional(),
  SNSGOV_FACEBOOK_API_URL: z.string().url().default(GRAPH_API_URL),
  SNSGOV_INSTAGRAM_API_URL: z.string().url().default(GRAPH_API_URL),
  SNSGOV_MEDIA_PUBLIC_URL: z.string().url().optional(),
  /** Instead of each Mastodon account's own server (tests and the demo: the loopback fake). */
  SNSGOV_MASTODON_API_URL: z.string().url().optional(),
  SNSGOV_BLUESKY_PDS_URL: z.string().url().default("https://bsky.social"),
  /** Link cards of Bluesky posts: from public https pages; only this machine (tests, demo); none. */
  SNSGOV_LINK_CARDS: z.enum(["public", "loopback", "off"]).default("public"),
  SNSGOV_THREADS_API_URL: z.string().url().default("https://graph.threads.net/v1.0"),
  SNSGOV_THREADS_AUTHORIZE_URL: z.string().url().default("https://threads.net/oauth/authorize"),
  SNSGOV_THREADS_APP_ID: z.string().trim().optional(),
  SNSGOV_THREADS_APP_SECRET: z.string().optional(),
  SNSGOV_FACEBOOK_DIALOG_URL: z
    .string()
    .url()
    .default(`https://www.facebook.com/${GRAPH_VERSION}/dialog/oauth`),
  SNSGOV_META_APP_ID: z.string().trim().optional(),
  SNSGOV_META_APP_SECRET: z.string().optional(),
});

/** Where the platforms' APIs are (the real ones by default; the loopback fakes in tests and the demo). */
export type PlatformApiConfig = {
  lineApiUrl: string;
  xApiUrl: string;
  xAuthorizeUrl: string;
  /** The city's X app (OAuth 2.0 client); without it X cannot be connected. */
  xClientId: string | undefined;
  /** Only for a confidential client; never logged. */
  xClientSecret: string | undefined;
  /** Graph API base URL with its version, for Facebook Pages and for Instagram. */
  facebookApiUrl: string;
  instagramApiUrl: string;
  /**
   * The base URL at which the platforms can fetch a post's image (`/media/s/…`, signed, expiring);
   * Instagram needs it. Undefined: Instagram cannot be connected.
   */
  mediaPublicUrl: string | undefined;
  /**
   * Mastodon: unset, each account's own server (from its registered URL); set, every Mastodon
   * connection uses this server (the loopback fake in tests and the demo).
   */
  mastodonApiUrl: string | undefined;
  /** The Bluesky PDS accounts sign in to (https://bsky.social unless the city runs its own). */
  blueskyPdsUrl: string;
  /**
   * Where a Bluesky post's link card is read from (src/publishing/link-card.ts): `public` (https
   * pages at public addresses), `loopback` (only this machine: the tests and the demo, whose pages
   * are loopback servers), `off`.
   */
  linkCards: "public" | "loopback" | "off";
  /** The Threads API with its version. */
  threadsApiUrl: string;
  /** Threads' consent page (OAuth). */
  threadsAuthorizeUrl: string;
  /**
   * The city's Threads app (Meta app id and secret; the secret never logged): with both, Threads
   * is connected through its consent page too; without, only with a pasted token.
   */
  threadsApp: { id: string; secret: string } | undefined;
  /** Facebook Login's consent page. */
  facebookDialogUrl: string;
  /**
   * The city's Meta app (id and secret; the secret never logged): with both, a Facebook page is
   * connected through Facebook Login too; without, only with a pasted page token.
   */
  metaApp: { id: string; secret: string } | undefined;
};

/** SMTP settings for e-mail notifications; absent when SNSGOV_SMTP_HOST is not set (e-mail off). */
export type SmtpConfig = {
  host: string;
  port: number;
  /** `tls`: TLS from the first byte (usually 465); `starttls`: upgrade required (587); `none`: plain. */
  secure: "tls" | "starttls" | "none";
  /** Both or neither; the password is never logged. */
  auth: { user: string; password: string } | undefined;
  /** The sender, e.g. `snsgov <snsgov@city.example.lg.jp>`. */
  from: string;
};

const defaultSmtpPort = { tls: 465, starttls: 587, none: 25 } as const;

/** A bare address or `Name <address>`. */
const isSender = (v: string) => /^[^\s@<>]+@[^\s@<>]+$/.test(v) || /^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/.test(v);

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Base URL people use to reach the server; defaults to http://localhost:PORT. */
  publicUrl: string;
  /** Whether cookies carry `Secure` and the `__Host-` prefix; off only for plain-http localhost. */
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteMinutes: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /**
   * Reverse proxies whose X-Forwarded-For is believed when they are the peer; empty: the header is
   * ignored and the connecting address is the client's.
   */
  trustedProxies: AddressRange[];
  /** Ed25519 private key (PEM) that signs audit checkpoints; kept outside the database. */
  auditKeyFile: string;
  /**
   * Where every signed checkpoint is also appended as one JSON line (fsync'd, append-only): a copy
   * outside the database to check it against (`snsgov audit verify --anchor`).
   */
  auditAnchorFile: string;
  auditCheckpointMinutes: number;
  cityName: string;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Origins allowed to frame the public embed routes (CSP frame-ancestors); empty: none. */
  embedOrigins: string[];
  /** 7.1: the city's 情報流出事案対応マニュアル, linked from every 情報漏えい incident; optional. */
  leakManualUrl: string | undefined;
  /** E-mail notifications over SMTP; undefined when not configured (e-mail is off). */
  smtp: SmtpConfig | undefined;
  /** The AES-256-GCM keys that encrypt platform tokens; a file outside the database, beside the audit key. */
  tokenKeyFile: string;
  /** `in-process`: `serve` also sends posts and watches profiles; `separate`: `snsgov publisher` does. */
  publisher: "in-process" | "separate";
  platforms: PlatformApiConfig;
  /** The demo (`snsgov serve --demo`): pages say that what they show is a sample. */
  demo: boolean;
};

/** Thrown when the environment does not describe a usable configuration. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses configuration from an environment object (process.env by default).
 * @throws ConfigError naming every invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const smtp = smtpConfig(e);
  if (typeof smtp === "string") throw new ConfigError(`invalid configuration:\n  ${smtp}`);
  const publicUrl = (e.SNSGOV_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  const dataDir = resolve(e.SNSGOV_DATA_DIR);
  const auditKeyFile = resolve(e.SNSGOV_AUDIT_KEY_FILE ?? `${dataDir}/audit-signing-key.pem`);
  return {
    demo: false,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    cookieSecure: e.SNSGOV_COOKIE_SECURE ?? publicUrl.startsWith("https://"),
    sessionIdleMinutes: e.SNSGOV_SESSION_IDLE_MINUTES,
    sessionAbsoluteMinutes: e.SNSGOV_SESSION_ABSOLUTE_MINUTES,
    loginMaxFailures: e.SNSGOV_LOGIN_MAX_FAILURES,
    loginLockMinutes: e.SNSGOV_LOGIN_LOCK_MINUTES,
    trustedProxies: e.SNSGOV_TRUSTED_PROXIES,
    auditKeyFile,
    auditAnchorFile: resolve(
      e.SNSGOV_AUDIT_ANCHOR_FILE ?? join(dirname(auditKeyFile), "audit-anchors.jsonl"),
    ),
    auditCheckpointMinutes: e.SNSGOV_AUDIT_CHECKPOINT_MINUTES,
    cityName: e.SNSGOV_CITY_NAME,
    logLevel: e.SNSGOV_LOG_LEVEL,
    embedOrigins: e.SNSGOV_EMBED_ORIGINS,
    leakManualUrl: e.SNSGOV_LEAK_MANUAL_URL,
    smtp,
    tokenKeyFile: resolve(e.SNSGOV_TOKEN_KEY_FILE ?? join(dirname(auditKeyFile), "platform-token-keys.json")),
    publisher: e.SNSGOV_PUBLISHER,
    platforms: {
      lineApiUrl: e.SNSGOV_LINE_API_URL.replace(/\/+$/, ""),
      xApiUrl: e.SNSGOV_X_API_URL.replace(/\/+$/, ""),
      xAuthorizeUrl: e.SNSGOV_X_AUTHORIZE_URL,
      xClientId: e.SNSGOV_X_CLIENT_ID || undefined,
      xClientSecret: e.SNSGOV_X_CLIENT_SECRET || undefined,
      facebookApiUrl: e.SNSGOV_FACEBOOK_API_URL.replace(/\/+$/, ""),
      instagramApiUrl: e.SNSGOV_INSTAGRAM_API_URL.replace(/\/+$/, ""),
      mediaPublicUrl: e.SNSGOV_MEDIA_PUBLIC_URL?.replace(/\/+$/, ""),
      mastodonApiUrl: e.SNSGOV_MASTODON_API_URL?.replace(/\/+$/, ""),
      blueskyPdsUrl: e.SNSGOV_BLUESKY_PDS_URL.replace(/\/+$/, ""),
      linkCards: e.SNSGOV_LINK_CARDS,
      threadsApiUrl: e.SNSGOV_THREADS_API_URL.replace(/\/+$/, ""),
      threadsAuthorizeUrl: e.SNSGOV_THREADS_AUTHORIZE_URL,
      threadsApp:
        e.SNSGOV_THREADS_APP_ID && e.SNSGOV_THREADS_APP_SECRET
          ? { id: e.SNSGOV_THREADS_APP_ID, secret: e.SNSGOV_THREADS_APP_SECRET }
          : undefined,
      facebookDialogUrl: e.SNSGOV_FACEBOOK_DIALOG_URL,
      metaApp:
        e.SNSGOV_META_APP_ID && e.SNSGOV_META_APP_SECRET
          ? { id: e.SNSGOV_META_APP_ID, secret: e.SNSGOV_META_APP_SECRET }
          : undefined,
    },
  };
}

/** The SMTP settings, undefined when no host is set, or a message naming what is wrong. */
function smtpConfig(e: z.output<typeof envSchema>): SmtpConfig | undefined | string {
  const host = e.SNSGOV_SMTP_HOST ?? "";
  if (host === "") return undefined;
  const from = e.SNSGOV_SMTP_FROM ?? "";
  if (!isSender(from))
    return "SNSGOV_SMTP_FROM: must be the sender address (snsgov@city.example.lg.jp or 'snsgov <snsgov@city.example.lg.jp>') when SNSGOV_SMTP_HOST is set";
  const user = e.SNSGOV_SMTP_USER ?? "";
  const password = e.SNSGOV_SMTP_PASSWORD ?? "";
  if ((user === "") !== (password === ""))
    return "SNSGOV_SMTP_USER, SNSGOV_SMTP_PASSWORD: set both (authenticated SMTP) or neither";
  return {
    host,
    port: e.SNSGOV_SMTP_PORT ?? defaultSmtpPort[e.SNSGOV_SMTP_SECURE],
    secure: e.SNSGOV_SMTP_SECURE,
    auth: user === "" ? undefined : { user, password },
    from,
  };
}
