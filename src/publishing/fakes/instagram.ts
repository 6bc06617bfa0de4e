/**
 * A fake Instagram Graph API (content publishing) for one professional account on loopback
 * (テスト用の疑似サーバー): `POST /{ig-user-id}/media` fetches `image_url` like Instagram does
 * (it must answer 200 with `image/jpeg` and JPEG bytes; otherwise the container is refused with
 * Instagram's "media download has failed"), `alt_text` on an image and on a carousel item (or, with
 * `carouselAltText: "refused"`, a parameter error for it on an item, as Meta might answer: it is
 * not documented either way), carousels (`is_carousel_item`, `media_type=CAROUSEL`),
 * `GET /{container}?fields=status_code` (IN_PROGRESS for `processingPolls` checks, then FINISHED),
 * `POST /{ig-user-id}/media_publish` (a container is published once), `GET /{media-id}`,
 * `GET /{ig-user-id}/media`, `GET /{ig-user-id}/content_publishing_limit`, `GET /{ig-user-id}`,
 * and `DELETE /{media-id}` refused as unsupported unless `deletable` is set — under `/v25.0`.
 */
import { createHash } from "node:crypto";
import { GRAPH_VERSION } from "../graph.ts";
import { facebookLoginFake, graphFault, graphFields, graphPath, graphToken, noSuchObject } from "./graph.ts";
import { type FakeServer, listingPage, startFake } from "./server.ts";

export type FakeContainer = {
  id: string;
  imageUrl: string;
  caption: string;
  alt: string;
  carouselItem: boolean;
  children: string[];
  /** SHA-256 of the image fetched from `image_url` ("" for a carousel). */
  imageSha256: string;
  polls: number;
  published: boolean;
};
export type FakeMedia = {
  id: string;
  caption: string;
  permalink: string;
  timestamp: string;
  containerId: string;
  deleted: boolean;
};

export type FakeInstagram = FakeServer & {
  apiUrl: string;
  containers: Map<string, FakeContainer>;
  media: FakeMedia[];
  user: { id: string; username: string; name: string; biography: string; website: string };
  tokens: Set<string>;
  /** How many status checks answer IN_PROGRESS before FINISHED. */
  processingPolls: number;
  /** Posts published in the moving 24 hours that the limit counts, and the limit. */
  quota: { usage: number; total: number };
  /** Whether `DELETE /{media-id}` deletes (Instagram's API generally does not). */
  deletable: boolean;
  /** Every image fetch the fake made (the URL and its answer's status). */
  fetches: { url: string; status: number }[];
  /** Whether a carousel item takes `alt_text` (Meta documents it for image posts only). */
  carouselAltText: "accepted" | "refused";
};

/** The IG user id of the fake's account (typed with the token when connecting to it). */
export const FAKE_INSTAGRAM_USER_ID = "17841400000000001";

/** Starts the fake for the account `username` (IG user id `user.id`), token `token`. */
export async function startFakeInstagram(options: {
  token: string;
  username: string;
  name?: string;
  port?: number;
  now?: () => Date;
  /** The city's Meta app, for Facebook Login (the linked page's `instagram_business_account`). */
  app?: { id: string; secret: string };
}): Promise<FakeInstagram> {
  const containers = new Map<string, FakeContainer>();
  const media: FakeMedia[] = [];
  const fetches: FakeInstagram["fetches"] = [];
  const user = {
    id: FAKE_INSTAGRAM_USER_ID,
    username: options.username,
    name: options.name ?? "テスト用Instagramアカウント",
    biography: "",
    website: "",
  };
  let next = 17_900_000_000_000_000n;
  const newId = () => {
    next += 1n;
    return next.toString();
  };
  const tokens = new Set([options.token]);
  const userTokens = new Set<string>();
  const login = options.app
    ? facebookLoginFake({
        app: options.app,
        consentName: `${user.name}（Instagram）とつながっているFacebookページ`,
        userTokens,
        pageTokens: tokens,
        accountsEntry: (accessToken) => ({
          id: "104000000000002",
          name: `${user.name}のページ`,
          access_token: accessToken,
          instagram_business_account: { id: user.id, username: user.username },
        }),
      })
    : () => null;
  const state: Omit<FakeInstagram, keyof FakeServer> = {
    apiUrl: "",
    containers,
    media,
    user,
    tokens,
    fetches,
    processingPolls: 0,
    quota: { usage: 0, total: 100 },
    deletable: false,
    carouselAltText: "accepted",
  };
  const downloadFailed = (detail: string) =>
    graphFault(400, {
      message: `Media download has failed.: The media URI doesn't meet our requirements. ${detail}`,
      type: "OAuthException",
      code: 9004,
      error_subcode: 2207052,
    });

  const fetchImage = async (url: string): Promise<{ sha256: string } | { error: string }> => {
    try {
      const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(5000) });
      fetches.push({ url, status: response.status });
      if (response.status !== 200) return { error: `HTTP ${response.status}` };
      if ((response.headers.get("content-type") ?? "") !== "image/jpeg") return { error: "not a JPEG" };
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return { error: "not JPEG data" };
      return { sha256: createHash("sha256").update(bytes).digest("hex") };
    } catch {
      fetches.push({ url, status: 0 });
      return { error: "not reachable" };
    }
  };

  const server = await startFake(async (request) => {
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "Instagram",
        media.map((m) => ({
          at: m.timestamp,
          text: `${m.deleted ? "（削除済み）" : ""}${m.caption}`,
          id: m.id,
        })),
      );
    const path = graphPath(request);
    const loginAnswer = login(request, path);
    if (loginAnswer) return loginAnswer;
    if (path === null) return graphFault(400, { message: "Unknown path components", code: 2500 });
    if (!tokens.has(graphToken(request)))
      return graphFault(401, {
        message: "Invalid OAuth access token - Cannot parse access token",
        code: 190,
      });
    const mine = `/${user.id}`;
    if (request.method === "GET" && path === mine) return { status: 200, body: user };
    if (request.method === "GET" && path === `${mine}/content_publishing_limit`)
      return {
        status: 200,
        body: {
          data: [
            {
              quota_usage: state.quota.usage,
              config: { quota_total: state.quota.total, quota_duration: 86400 },
            },
          ],
        },
      };
    if (request.method === "POST" && path === `${mine}/media`) {
      const fields = graphFields(request);
      const caption = typeof fields.caption === "string" ? fields.caption : "";
      const base = { id: newId(), caption, polls: 0, published: false, imageUrl: "", imageSha256: "" };
      if (fields.media_type === "CAROUSEL") {
        const children = String(fields.children ?? "")
          .split(",")
          .filter(Boolean);
        if (children.length < 2 || children.some((c) => !containers.get(c)?.carouselItem))
          return graphFault(400, { message: "(#100) Invalid parameter: children", code: 100 });
        containers.set(base.id, { ...base, alt: "", carouselItem: false, children });
        return { status: 200, body: { id: base.id } };
      }
      const imageUrl = typeof fields.image_url === "string" ? fields.image_url : "";
      if (imageUrl === "")
        return graphFault(400, { message: "(#100) The parameter image_url is required", code: 100 });
      const carouselItem = fields.is_carousel_item === true || fields.is_carousel_item === "true";
      if (carouselItem && "alt_text" in fields && state.carouselAltText === "refused")
        return graphFault(400, { message: "(#100) Invalid parameter: alt_text", code: 100 });
      const fetched = await fetchImage(imageUrl);
      if ("error" in fetched) return downloadFailed(fetched.error);
      containers.set(base.id, {
        ...base,
        imageUrl,
        imageSha256: fetched.sha256,
        alt: typeof fields.alt_text === "string" ? fields.alt_text : "",
        carouselItem,
        children: [],
      });
      return { status: 200, body: { id: base.id } };
    }
    if (request.method === "POST" && path === `${mine}/media_publish`) {
      const container = containers.get(String(graphFields(request).creation_id ?? ""));
      if (!container || container.carouselItem)
        return graphFault(400, { message: "(#100) Invalid creation_id", code: 100 });
      if (container.published)
        return graphFault(400, {
          message: "Media ID is not available: The media has already been published",
          code: 9007,
          error_subcode: 2207027,
        });
      if (container.polls < state.processingPolls)
        return graphFault(400, {
          message:
            "Media ID is not available: The media is not ready for publishing, please wait for a moment",
          code: 9007,
          error_subcode: 2207027,
        });
      container.published = true;
      state.quota.usage++;
      const item = {
        id: newId(),
        caption: container.caption,
        permalink: `https://www.instagram.com/p/C${next.toString(36)}/`,
        timestamp: (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "+0000"),
        containerId: container.id,
        deleted: false,
      };
      media.push(item);
      return { status: 200, body: { id: item.id } };
    }
    if (request.method === "GET" && path === `${mine}/media`) {
      const data = media
        .filter((m) => !m.deleted)
        .reverse()
        .map((m) => ({ id: m.id, caption: m.caption, permalink: m.permalink, timestamp: m.timestamp }));
      return { status: 200, body: { data, paging: {} } };
    }
    const id = path.slice(1);
    const container = containers.get(id);
    if (request.method === "GET" && container) {
      container.polls++;
      const status = container.published
        ? "PUBLISHED"
        : container.polls > state.processingPolls
          ? "FINISHED"
          : "IN_PROGRESS";
      return {
        status: 200,
        body: {
          id,
          status_code: status,
          status:
            status === "FINISHED"
              ? "Finished: Media has been uploaded and it is ready to be published."
              : "In Progress",
        },
      };
    }
    const item = media.find((m) => m.id === id && !m.deleted);
    if (request.method === "GET" && item)
      return { status: 200, body: { id, permalink: item.permalink, timestamp: item.timestamp } };
    if (request.method === "DELETE" && item && !state.deletable)
      return graphFault(400, {
        message: "(#3) Application does not have the capability to make this API call.",
        code: 3,
      });
    if (request.method === "DELETE" && item) {
      item.deleted = true;
      return { status: 200, body: { success: true } };
    }
    return noSuchObject(id, request.method);
  }, options.port);
  return Object.assign(state, server, { apiUrl: `${server.url}/${GRAPH_VERSION}` });
}
