/**
 * A fake Bluesky PDS on loopback (テスト用の疑似サーバー): the XRPC methods the Bluesky connector
 * uses — `com.atproto.server.createSession` (handle + app password), `refreshSession` (the refresh
 * token is replaced), `getSession`, `app.bsky.actor.getProfile`, `com.atproto.repo.uploadBlob`,
 * `createRecord` (a chosen `rkey` must be a TID near the present; a key that exists already is
 * answered 500 `InternalServerError`, as the PDS does today), `getRecord`, `listRecords`,
 * `deleteRecord`, `com.atproto.identity.resolveHandle` (the account's handle and `handles`; any
 * other: 400 "Unable to resolve handle"); an expired access token gets 400 `ExpiredToken`, an
 * unknown one 401. A record is checked as the PDS validates `app.bsky.feed.post`: facets within
 * the text's UTF-8 bytes, a mention's `did`, a link's `uri`, an external embed's `uri`, `title`
 * and `description`, a blob over 1,000,000 bytes refused.
 */
import { createHash, randomBytes } from "node:crypto";
import { bearerOf, type FakeServer, jsonOf, listingPage, type RecordedRequest, startFake } from "./server.ts";

export type FakeBlueskyPost = {
  rkey: string;
  uri: string;
  cid: string;
  record: Record<string, unknown>;
  text: string;
  deleted: boolean;
};

export type FakeBluesky = FakeServer & {
  posts: FakeBlueskyPost[];
  blobs: Map<string, { mimeType: string; size: number }>;
  profile: { did: string; handle: string; displayName: string; description: string };
  /** Other handles `resolveHandle` knows, with their DIDs. */
  handles: Map<string, string>;
  /** The app password the fake accepts for the handle. */
  appPassword: string;
  accessTokens: Set<string>;
  refreshTokens: Set<string>;
  /** Makes every access token issued so far expire (ExpiredToken), as after two hours. */
  expireAccessTokens(): void;
  /** A session without the sign-in (for tests that skip connecting). */
  issueSession(): { accessJwt: string; refreshJwt: string };
};

const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const S32 = "234567abcdefghijklmnopqrstuvwxyz";
/** A TID of `micros` (clock id 0). */
const tid = (micros: bigint) => {
  let out = "";
  for (let v = micros; v > 0n; v /= 32n) out = S32[Number(v % 32n)] + out;
  return `${out.padStart(11, "2")}22`;
};
const tidMillis = (tid: string) =>
  Number([...tid.slice(0, 11)].reduce((v, c) => v * 32n + BigInt(S32.indexOf(c)), 0n) / 1000n);

const jwt = (claims: Record<string, unknown>) =>
  [
    { alg: "ES256K", typ: "at+jwt" },
    { ...claims, jti: randomBytes(8).toString("hex") },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
    .concat(randomBytes(16).toString("base64url"))
    .join(".");

/** Starts the fake PDS for the account `handle` that signs in with `appPassword`. */
export async function startFakeBluesky(options: {
  handle: string;
  appPassword: string;
  displayName?: string;
  port?: number;
  now?: () => Date;
}): Promise<FakeBluesky> {
  const now = () => options.now?.() ?? new Date();
  const posts: FakeBlueskyPost[] = [];
  const blobs: FakeBluesky["blobs"] = new Map();
  const accessTokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const expired = new Set<string>();
  const profile = {
    did: "did:plc:fakeiwakicity0000000000",
    handle: options.handle,
    displayName: options.displayName ?? "テスト用Blueskyアカウント",
    description: "",
  };
  const issueSession = () => {
    const exp = Math.floor(now().getTime() / 1000) + 7200;
    const accessJwt = jwt({ scope: "com.atproto.appPass", sub: profile.did, exp });
    const refreshJwt = jwt({ scope: "com.atproto.refresh", sub: profile.did, exp: exp + 90 * 86400 });
    accessTokens.add(accessJwt);
    refreshTokens.add(refreshJwt);
    return { accessJwt, refreshJwt };
  };
  let self = "";
  const didDoc = () => ({
    "@context": ["https://www.w3.org/ns/did/v1"],
    id: profile.did,
    alsoKnownAs: [`at://${profile.handle}`],
    service: [{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint: self }],
  });
  const session = () => ({
    ...issueSession(),
    did: profile.did,
    didDoc: didDoc(),
    handle: profile.handle,
    active: true,
  });
  const fail = (status: number, error: string, message: string) => ({ status, body: { error, message } });
  const handles = new Map<string, string>();
  /** What the PDS's record validation would refuse in a post's facets and embed ("" when valid). */
  const invalidRecord = (record: Record<string, unknown>, text: string): string => {
    const size = Buffer.byteLength(text, "utf8");
    const facets: unknown[] = Array.isArray(record.facets) ? record.facets : [];
    for (const facet of facets) {
      const f = typeof facet === "object" && facet !== null ? Object.fromEntries(Object.entries(facet)) : {};
      const index =
        typeof f.index === "object" && f.index !== null ? Object.fromEntries(Object.entries(f.index)) : {};
      const { byteStart, byteEnd } = index;
      if (
        typeof byteStart !== "number" ||
        typeof byteEnd !== "number" ||
        byteStart < 0 ||
        byteEnd > size ||
        byteStart >= byteEnd
      )
        return "Record/facets/index is out of range";
      const features: unknown[] = Array.isArray(f.features) ? f.features : [];
      for (const feature of features) {
        const g =
          typeof feature === "object" && feature !== null ? Object.fromEntries(Object.entries(feature)) : {};
        if (g.$type === "app.bsky.richtext.facet#mention" && !String(g.did ?? "").startsWith("did:"))
          return "Record/facets/features/did must be a valid did";
        if (g.$type === "app.bsky.richtext.facet#link" && !/^https?:\/\//.test(String(g.uri ?? "")))
          return "Record/facets/features/uri must be a uri";
        if (g.$type === "app.bsky.richtext.facet#tag") {
          const tag = typeof g.tag === "string" ? g.tag : "";
          if (tag.length === 0 || Buffer.byteLength(tag, "utf8") > 640 || [...tag].length > 64)
            return "Record/facets/features/tag must not be longer than 64 graphemes";
          if (tag.startsWith("#")) return "Record/facets/features/tag must not start with #";
        }
      }
    }
    const embed =
      typeof record.embed === "object" && record.embed !== null
        ? Object.fromEntries(Object.entries(record.embed))
        : {};
    if (embed.$type === "app.bsky.embed.external") {
      const external =
        typeof embed.external === "object" && embed.external !== null
          ? Object.fromEntries(Object.entries(embed.external))
          : {};
      if (
        typeof external.uri !== "string" ||
        typeof external.title !== "string" ||
        typeof external.description !== "string"
      )
        return 'Record/embed/external must have the properties "uri", "title" and "description"';
    }
    return "";
  };
  const authorised = (request: RecordedRequest) => {
    const token = bearerOf(request);
    if (expired.has(token)) return fail(400, "ExpiredToken", "Token has expired");
    if (!accessTokens.has(token)) return fail(401, "AuthenticationRequired", "Invalid token");
    return null;
  };
  const live = () => posts.filter((p) => !p.deleted);
  const server = await startFake((request) => {
    const nsid = request.path.replace(/^\/xrpc\//, "");
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "Bluesky",
        posts.map((p) => ({
          at: String(p.record.createdAt ?? ""),
          text: `${p.deleted ? "（削除済み）" : ""}${p.text}`,
          id: p.rkey,
        })),
      );
    if (request.method === "POST" && nsid === "com.atproto.server.createSession") {
      const body = jsonOf(request);
      const who = String(body.identifier ?? "").replace(/^@/, "");
      if ((who !== profile.handle && who !== profile.did) || body.password !== options.appPassword)
        return fail(401, "AuthenticationRequired", "Invalid identifier or password");
      return { status: 200, body: session() };
    }
    if (request.method === "POST" && nsid === "com.atproto.server.deleteSession") {
      // Ends the session: its refresh token no longer works (its short-lived access token runs out).
      if (!refreshTokens.delete(bearerOf(request)))
        return fail(401, "InvalidToken", "Token could not be verified");
      return { status: 200 };
    }
    if (request.method === "POST" && nsid === "com.atproto.server.refreshSession") {
      const token = bearerOf(request);
      if (!refreshTokens.delete(token)) return fail(400, "ExpiredToken", "Token has been revoked");
      return { status: 200, body: session() };
    }
    if (request.method === "GET" && nsid === "com.atproto.identity.resolveHandle") {
      const handle = (request.query.get("handle") ?? "").toLowerCase();
      const did = handle === profile.handle ? profile.did : handles.get(handle);
      return did ? { status: 200, body: { did } } : fail(400, "InvalidRequest", "Unable to resolve handle");
    }
    const refused = authorised(request);
    if (refused) return refused;
    const q = request.query;
    if (request.method === "GET" && nsid === "com.atproto.server.getSession")
      return { status: 200, body: { did: profile.did, handle: profile.handle, active: true } };
    if (request.method === "GET" && nsid === "app.bsky.actor.getProfile") {
      if (q.get("actor") !== profile.did && q.get("actor") !== profile.handle)
        return fail(400, "InvalidRequest", "Profile not found");
      return { status: 200, body: { ...profile, followersCount: 0, postsCount: live().length } };
    }
    if (request.method === "POST" && nsid === "com.atproto.repo.uploadBlob") {
      const mimeType = request.headers["content-type"] ?? "";
      const size = Number(request.headers["content-length"] ?? request.body.length);
      if (size > 1_000_000)
        return fail(
          400,
          "BlobTooLarge",
          "This file is too large. It is 1.0MB but the maximum size is 976.56KB.",
        );
      const link = `bafkrei${createHash("sha256").update(request.body).digest("hex").slice(0, 40)}`;
      blobs.set(link, { mimeType, size });
      return { status: 200, body: { blob: { $type: "blob", ref: { $link: link }, mimeType, size } } };
    }
    if (request.method === "POST" && nsid === "com.atproto.repo.createRecord") {
      const body = jsonOf(request);
      if (body.repo !== profile.did || body.collection !== "app.bsky.feed.post")
        return fail(400, "InvalidRequest", "Invalid repo or collection");
      const record =
        typeof body.record === "object" && body.record !== null
          ? Object.fromEntries(Object.entries(body.record))
          : {};
      const text = typeof record.text === "string" ? record.text : "";
      if ([...new Intl.Segmenter("ja", { granularity: "grapheme" }).segment(text)].length > 300)
        return fail(
          400,
          "InvalidRequest",
          "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes",
        );
      const invalid = invalidRecord(record, text);
      if (invalid) return fail(400, "InvalidRequest", `Invalid app.bsky.feed.post record: ${invalid}`);
      let rkey = typeof body.rkey === "string" ? body.rkey : "";
      if (rkey !== "") {
        if (!TID.test(rkey) || Math.abs(tidMillis(rkey) - now().getTime()) > 10 * 60_000)
          return fail(400, "InvalidRequest", "Invalid rkey for app.bsky.feed.post");
        if (posts.some((p) => p.rkey === rkey))
          return fail(500, "InternalServerError", "Internal Server Error");
      } else {
        rkey = tid(BigInt(now().getTime()) * 1000n + BigInt(posts.length % 1000));
      }
      const uri = `at://${profile.did}/app.bsky.feed.post/${rkey}`;
      const cid = `bafyrei${createHash("sha256").update(JSON.stringify(record)).digest("hex").slice(0, 40)}`;
      posts.push({ rkey, uri, cid, record, text, deleted: false });
      return { status: 200, body: { uri, cid, commit: { cid, rev: rkey }, validationStatus: "valid" } };
    }
    if (request.method === "GET" && nsid === "com.atproto.repo.getRecord") {
      const post = live().find((p) => p.rkey === q.get("rkey") && q.get("repo") === profile.did);
      if (!post) return fail(400, "RecordNotFound", `Could not locate record`);
      return { status: 200, body: { uri: post.uri, cid: post.cid, value: post.record } };
    }
    if (request.method === "GET" && nsid === "com.atproto.repo.listRecords") {
      const limit = Number(q.get("limit") ?? "50");
      const records = live()
        .reverse()
        .slice(0, limit)
        .map((p) => ({ uri: p.uri, cid: p.cid, value: p.record }));
      return { status: 200, body: { records } };
    }
    if (request.method === "POST" && nsid === "com.atproto.repo.deleteRecord") {
      const body = jsonOf(request);
      for (const p of posts) if (p.rkey === body.rkey) p.deleted = true;
      return { status: 200, body: { commit: { cid: "bafyreidelete", rev: "3" } } };
    }
    return fail(501, "MethodNotImplemented", "Method Not Implemented");
  }, options.port);
  self = server.url;
  return Object.assign(server, {
    posts,
    blobs,
    profile,
    handles,
    appPassword: options.appPassword,
    accessTokens,
    refreshTokens,
    expireAccessTokens: () => {
      for (const t of accessTokens) expired.add(t);
    },
    issueSession,
  });
}
