/**
 * What every platform connector offers, behind one interface: send a post, delete one, read the
 * account's profile, and say its limits. A connector is a small module per platform (`line.ts`,
 * `x.ts`, `mastodon.ts`, `bluesky.ts`, `threads.ts`) that speaks the platform's documented HTTP
 * API with Node's fetch; it keeps no state and never logs a token. Its errors are
 * `PlatformError`s whose `kind` tells the sender what to do (retry later, ask the account manager
 * to reconnect, give the operators a task) and whose `message` is the reason in Japanese, with the
 * platform's own words kept apart.
 */
import type { LineAudience } from "../domain/line-audience.ts";
import type { Platform } from "../guideline/pack.ts";

/** The credentials of a connection, as kept encrypted (sealed) in `platform_connections`. */
export type Credentials = {
  accessToken: string;
  /** OAuth refresh token (X), when the platform issues one. */
  refreshToken?: string;
  /** When the access token expires (ISO 8601), when the platform says. */
  expiresAt?: string;
  /**
   * The platform's id of the account the token acts for, when the token alone does not say
   * (Instagram user id): typed by the account manager with the token.
   */
  accountId?: string;
  /**
   * The server the token belongs to, for platforms with many (a Mastodon instance, a Bluesky
   * PDS): its base URL, kept sealed with the token.
   */
  server?: string;
  /**
   * The OAuth client the token was issued to, when snsgov made the token through OAuth with an app
   * of its own per server (Mastodon): needed to revoke the token on that server
   * (`POST /oauth/revoke` takes the client's id and secret). Kept sealed with the token, so a key
   * rotation or a new registration of the app does not lose it. Absent for a pasted token.
   */
  oauthClient?: { clientId: string; clientSecret: string };
};

/** The account on the platform the connection speaks for. */
export type ConnectedAccount = {
  /** The platform's id of the account (X user id, LINE bot user id). */
  externalId: string;
  /** Its handle without `@` (X username, LINE basic id). */
  handle: string;
};

/** An image of a post, with its alt text (5.1.3). */
export type OutgoingImage = {
  /**
   * The bytes the platform gets: the approved image, or the JPEG made of it for a platform that
   * cannot take it as it is (`limits.fetchedImages`).
   */
  bytes: Uint8Array;
  contentType: string;
  filename: string;
  alt: string;
  /** snsgov's id of the image (for the record of what went out). */
  imageId?: number;
  /**
   * A signed, expiring public URL of these bytes (`/media/s/…`), set by the sender for a platform
   * that fetches images itself (`limits.imagesByUrl`: Instagram, Threads, LINE), when a public media URL
   * is configured.
   */
  publicUrl?: string;
  /**
   * A signed, expiring public URL of the image's preview (LINE's `previewImageUrl`: a JPEG of at
   * most `limits.fetchedImages.preview`), set with `publicUrl` when the platform asks for one.
   */
  previewUrl?: string;
};

/** Exactly what goes out: the approved version's text and images, and the outbox row's retry key. */
export type OutgoingPost = {
  text: string;
  images: readonly OutgoingImage[];
  /** A UUID, the same for every attempt of one outbox row (sent where the platform honours one). */
  idempotencyKey: string;
  /**
   * When the first attempt of this outbox row began (the same for every attempt): a platform that
   * keys records by time (Bluesky's TID record keys) derives a stable key from it.
   */
  firstAttemptAt?: Date;
  /**
   * LINE: who receives it, as approved (null or left out: every friend, a broadcast; else a
   * narrowcast to this audience).
   */
  audience?: LineAudience | null;
};

/** The platform's answer to a post that went out. */
export type SentPost = {
  /** The platform's id of the post (none for a LINE broadcast). */
  platformPostId: string | null;
  /** The public URL (none for a LINE message). */
  url: string | null;
  /** The platform's request id (LINE `X-Line-Request-Id`), kept for inquiries. */
  requestId: string | null;
  /** When the platform accepted it. */
  at: Date;
  /** True when the platform said it had this request already (a retry after a crash). */
  duplicate: boolean;
  /** The answer's identifying fields, kept on the outbox row (never a token). */
  raw: Record<string, unknown>;
  /**
   * "pending": the platform accepted the request and reports later whether it went out (a LINE
   * narrowcast): the sender asks `progress` with the request id before recording it.
   */
  delivery?: "pending";
};

/** How an accepted request is getting on (LINE `GET /v2/bot/message/progress/narrowcast`). */
export type DeliveryProgress = {
  /** waiting: being prepared; sending; succeeded; failed (see `errorCode`, `failedDescription`). */
  phase: "waiting" | "sending" | "succeeded" | "failed";
  successCount: number | null;
  failureCount: number | null;
  targetCount: number | null;
  acceptedTime: string | null;
  completedTime: string | null;
  failedDescription: string;
  errorCode: number | null;
};

/** The platform's answer to a deletion. */
export type DeletedPost = {
  deleted: boolean;
  /** What the platform answered, in Japanese, for the post's record. */
  note: string;
  raw: Record<string, unknown>;
};

/** The profile as the platform shows it (4.4.3: what the profile must say; 7.3: hijacking). */
export type Profile = {
  externalId: string;
  name: string;
  handle: string;
  bio: string;
  link: string;
};

export type Limits = {
  /** Characters of text the platform accepts (X counts weighted; the checker warns earlier). */
  maxTextLength: number;
  /** Images per post this connector sends (0: none). */
  maxImages: number;
  /** The platform honours a retry key: a resend after a crash cannot post twice. */
  idempotent: boolean;
  /** Posts can be deleted through the API. */
  canDelete: boolean;
  /** A post has a public URL. */
  hasPublicUrl: boolean;
  /** The platform fetches each image from a public URL (Instagram, Threads, LINE) instead of an upload. */
  imagesByUrl?: boolean;
  /**
   * What a platform that fetches images takes: an image of another type or larger goes as a JPEG
   * made of it; `preview`: the platform also fetches a preview of at most this size (LINE).
   */
  fetchedImages?: {
    types: readonly string[];
    maxBytes: number;
    preview?: { maxBytes: number };
  };
};

export type PlatformErrorKind =
  /** The token expired or was revoked: the account manager reconnects. */
  | "auth"
  /** The token lacks a permission (scope). */
  | "scope"
  /** Too many requests: retry after `retryAfterMs`. */
  | "rate"
  /** 5xx, timeout, network: retry with back-off. */
  | "transient"
  /** The platform refused the content or request: the operators look at it. */
  | "invalid"
  /** The post is not there (already deleted). */
  | "not_found"
  /** The platform offers no such operation. */
  | "unsupported";

/** A refusal or failure of the platform, with the reason in Japanese. */
export class PlatformError extends Error {
  override name = "PlatformError";
  constructor(
    readonly kind: PlatformErrorKind,
    /** The reason in Japanese (shown to people). */
    message: string,
    readonly details: {
      status?: number;
      retryAfterMs?: number;
      /** The platform's own message (English as it came), for the record. */
      platformMessage?: string;
      requestId?: string | null;
    } = {},
  ) {
    super(message);
  }
}

/** What a connector of one platform offers. */
export type Connector = {
  platform: Platform;
  limits: Limits;
  /** Sends the post; resolves with the platform's answer. */
  send(credentials: Credentials, account: ConnectedAccount, post: OutgoingPost): Promise<SentPost>;
  /**
   * For a platform without a retry key: looks for the post among the account's posts since
   * `since` (after a crash between sending and recording), so it is not sent twice.
   */
  findSent?(
    credentials: Credentials,
    account: ConnectedAccount,
    post: { text: string; since: Date },
  ): Promise<SentPost | null>;
  /** Deletes a post it sent (or says it cannot). */
  delete(
    credentials: Credentials,
    account: ConnectedAccount,
    platformPostId: string | null,
  ): Promise<DeletedPost>;
  /** Reads the account's profile. */
  readProfile(credentials: Credentials): Promise<Profile>;
  /** For a send answered with `delivery: "pending"`: how it is getting on, by its request id. */
  progress?(credentials: Credentials, requestId: string): Promise<DeliveryProgress>;
  /**
   * Gets a new access token with the refresh token (where the platform has one), or with the
   * access token itself (`refreshesAccessToken`: Threads). `now` dates the new token's expiry.
   */
  refresh?(credentials: Credentials, now?: Date): Promise<Credentials>;
  /** The access token itself is refreshed (Threads' long-lived token): no refresh token needed. */
  refreshesAccessToken?: boolean;
  /** How long before its expiry a token is refreshed (default one minute; Threads seven days). */
  refreshAheadMs?: number;
  /**
   * When connecting: the credentials completed with what the platform says of the token (its
   * expiry, `expiresAt`), before they are kept.
   */
  inspect?(credentials: Credentials, now: Date): Promise<Credentials>;
  /**
   * Revokes the token on the platform's side, so that a copy of it (a backup, a leaked database)
   * is worthless too. Resolves when the platform confirmed it; a PlatformError otherwise — of kind
   * `unsupported` when the platform documents no way to revoke this token through its API, its
   * message saying in Japanese where on the platform the token is invalidated instead.
   */
  revoke?(credentials: Credentials): Promise<void>;
};
