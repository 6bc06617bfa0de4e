/**
 * A fake Facebook Graph API for one Page on loopback (テスト用の疑似サーバー): the endpoints the
 * Facebook connector uses — `GET /me` (the page, for a page token), `POST /{page-id}/feed` (with
 * `attached_media`; the same text again is refused with code 506 as Facebook does),
 * `POST /{page-id}/photos` (multipart `source`, `published`), `POST /{photo-id}`
 * (`alt_text_custom`), `GET /{page-id}/feed?since=`, `DELETE /{post-id}` — under `/v25.0`.
 */
import { GRAPH_VERSION } from "../graph.ts";
import { graphFault, graphFields, graphPath, graphToken, multipartOf, noSuchObject } from "./graph.ts";
import { type FakeServer, listingPage, startFake } from "./server.ts";

export type FakeFacebookPost = {
  id: string;
  message: string;
  photoIds: string[];
  createdAt: string;
  deleted: boolean;
};
export type FakeFacebookPhoto = {
  id: string;
  bytes: number;
  contentType: string;
  caption: string;
  published: boolean;
  alt: string;
};

export type FakeFacebook = FakeServer & {
  /** The base URL the connector is configured with (version included). */
  apiUrl: string;
  posts: FakeFacebookPost[];
  photos: Map<string, FakeFacebookPhoto>;
  /** The page (change it to simulate a hijacked profile). */
  page: { id: string; name: string; username: string; about: string; website: string; link: string };
  /** Page access tokens that work (remove one to simulate an expired token). */
  tokens: Set<string>;
};

/** Starts the fake for the page `username` with page access token `token`. */
export async function startFakeFacebook(options: {
  token: string;
  username: string;
  name?: string;
  port?: number;
  now?: () => Date;
}): Promise<FakeFacebook> {
  const posts: FakeFacebookPost[] = [];
  const photos = new Map<string, FakeFacebookPhoto>();
  const tokens = new Set([options.token]);
  const page = {
    id: "104000000000001",
    name: options.name ?? "テスト用Facebookページ",
    username: options.username,
    about: "",
    website: "",
    link: `https://www.facebook.com/${options.username}`,
  };
  let next = 1_000_000_000_000_000n;
  const newId = () => {
    next += 1n;
    return next.toString();
  };
  const now = () => (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "+0000");
  const publish = (message: string, photoIds: string[]) => {
    if (message !== "" && posts.some((p) => !p.deleted && p.message === message))
      return graphFault(400, { message: "Duplicate status message", code: 506, error_subcode: 1455006 });
    const post = { id: `${page.id}_${newId()}`, message, photoIds, createdAt: now(), deleted: false };
    posts.push(post);
    return { status: 200, body: { id: post.id } };
  };
  const server = await startFake(async (request) => {
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "Facebook",
        posts.map((p) => ({
          at: p.createdAt,
          text: `${p.deleted ? "（削除済み）" : ""}${p.message}${p.photoIds.length ? `（画像${p.photoIds.length}枚）` : ""}`,
          id: p.id,
        })),
      );
    const path = graphPath(request);
    if (path === null)
      return graphFault(400, { message: "Unknown path components", code: 2500, type: "OAuthException" });
    if (!tokens.has(graphToken(request)))
      return graphFault(401, {
        message: "Invalid OAuth access token - Cannot parse access token",
        code: 190,
      });
    const feed = `/${page.id}/feed`;
    if (request.method === "GET" && (path === "/me" || path === `/${page.id}`))
      return { status: 200, body: page };
    if (request.method === "POST" && path === feed) {
      const fields = graphFields(request);
      const attached = Array.isArray(fields.attached_media) ? fields.attached_media : [];
      const photoIds = attached.map((m) =>
        typeof m === "object" && m !== null && "media_fbid" in m ? String(m.media_fbid) : "",
      );
      if (photoIds.some((id) => !photos.has(id)))
        return graphFault(400, { message: "(#100) Invalid media_fbid", code: 100 });
      const message = typeof fields.message === "string" ? fields.message : "";
      if (message === "" && photoIds.length === 0)
        return graphFault(400, { message: "(#100) The parameter message is required", code: 100 });
      return publish(message, photoIds);
    }
    if (request.method === "POST" && path === `/${page.id}/photos`) {
      const form = await multipartOf(request);
      const source = form?.get("source");
      if (!form || !(source instanceof Blob))
        return graphFault(400, { message: "(#324) Requires upload file", code: 324 });
      const photo = {
        id: newId(),
        bytes: source.size,
        contentType: source.type,
        caption: String(form.get("caption") ?? ""),
        published: form.get("published") !== "false",
        alt: "",
      };
      photos.set(photo.id, photo);
      if (!photo.published) return { status: 200, body: { id: photo.id } };
      const posted = publish(photo.caption, [photo.id]);
      if (posted.status !== 200) return posted;
      return { status: 200, body: { id: photo.id, post_id: posts.at(-1)?.id } };
    }
    if (request.method === "GET" && path === feed) {
      const since = Number(request.query.get("since") ?? "0") * 1000;
      const data = posts
        .filter((p) => !p.deleted && Date.parse(p.createdAt.replace("+0000", "Z")) >= since)
        .reverse()
        .map((p) => ({ id: p.id, message: p.message, created_time: p.createdAt }));
      return { status: 200, body: { data, paging: {} } };
    }
    const id = path.slice(1);
    const photo = photos.get(id);
    if (request.method === "POST" && photo) {
      const fields = graphFields(request);
      photo.alt = typeof fields.alt_text_custom === "string" ? fields.alt_text_custom : photo.alt;
      return { status: 200, body: { success: true } };
    }
    if (request.method === "DELETE") {
      const post = posts.find((p) => p.id === id && !p.deleted);
      if (!post) return noSuchObject(id, "DELETE");
      post.deleted = true;
      return { status: 200, body: { success: true } };
    }
    return noSuchObject(id, request.method);
  }, options.port);
  return Object.assign(server, { apiUrl: `${server.url}/${GRAPH_VERSION}`, posts, photos, page, tokens });
}
