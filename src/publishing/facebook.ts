/**
 * Facebookページ through the Graph API with a Page access token (developers.facebook.com/docs/
 * pages-api, graph-api/reference/page/feed, page/photos, photo):
 *
 * - send, text: `POST /{page-id}/feed` (JSON `{ message }`) → `{ id: "{page-id}_{post-id}" }`.
 * - send, one image: `POST /{page-id}/photos` (multipart: `source` the file, `caption`,
 *   `published=true`) → `{ id: photo id, post_id }`.
 * - send, several images: each `POST /{page-id}/photos` with `published=false` (multipart), then
 *   `POST /{page-id}/feed` `{ message, attached_media: [{ media_fbid }] }`.
 * - alt text: `POST /{photo-id}` `{ alt_text_custom }` for each photo. Meta documents no alt text
 *   field on the upload itself; a refusal of the alt text does not undo a post that went out (the
 *   answer kept says which photos lack it).
 * - The URL: `https://www.facebook.com/{page username}/posts/{post-id}` (or
 *   `permalink.php?story_fbid=…&id={page-id}` for a page without a username).
 * - findSent (Graph has no retry key): `GET /{page-id}/feed?since=…&fields=id,message,created_time`
 *   and a post with the same text.
 * - delete: `DELETE /{post-id}` → `{ success: true }`.
 * - profile: `GET /me?fields=id,name,username,about,website,link` (with a Page token, `me` is the
 *   page).
 * Permissions of the token: pages_manage_posts, pages_read_engagement, pages_show_list
 * (docs/publishing.md).
 */
import {
  type ConnectedAccount,
  type Connector,
  type Credentials,
  type OutgoingImage,
  type OutgoingPost,
  PlatformError,
  type SentPost,
} from "./connector.ts";
import { bearer, deleteGraphObject, graphOk, metaRevokeUnsupported } from "./graph.ts";
import { callApi, comparableText, list, str } from "./http.ts";

const LABEL = "Facebook";

/** The public URL of a Page post from its Graph id (`{page-id}_{post-id}`). */
export function facebookPostUrl(account: ConnectedAccount, graphId: string): string {
  const [pageId = account.externalId, storyId = graphId] = graphId.includes("_")
    ? graphId.split("_")
    : [account.externalId, graphId];
  const handle = account.handle.replace(/^@/, "");
  return handle && !/^\d+$/.test(handle)
    ? `https://www.facebook.com/${handle}/posts/${storyId}`
    : `https://www.facebook.com/permalink.php?story_fbid=${storyId}&id=${pageId}`;
}

/** A Facebook Pages connector against `baseUrl` (https://graph.facebook.com/v25.0, or the fake). */
export function facebookConnector(baseUrl: string): Connector {
  const call = async (
    credentials: Credentials,
    request: Omit<Parameters<typeof callApi>[1], "headers" | "url"> & { path: string },
  ) => {
    const { path, ...rest } = request;
    return graphOk(
      LABEL,
      await callApi(LABEL, { ...rest, url: `${baseUrl}${path}`, headers: bearer(credentials.accessToken) }),
    );
  };
  const photoForm = (image: OutgoingImage, fields: Record<string, string>) => {
    const form = new FormData();
    form.set("source", new Blob([new Uint8Array(image.bytes)], { type: image.contentType }), image.filename);
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    return form;
  };
  /** Sets each photo's alt text; returns the photo ids Facebook refused it for (never throws for those). */
  const setAltTexts = async (credentials: Credentials, photos: { id: string; alt: string }[]) => {
    const refused: string[] = [];
    for (const photo of photos) {
      if (photo.alt.trim() === "") continue;
      try {
        await call(credentials, {
          method: "POST",
          path: `/${encodeURIComponent(photo.id)}`,
          json: { alt_text_custom: photo.alt.slice(0, 1000) },
        });
      } catch (error) {
        if (!(error instanceof PlatformError) || error.kind === "auth" || error.kind === "transient")
          throw error;
        refused.push(photo.id);
      }
    }
    return refused;
  };
  const sent = (
    account: ConnectedAccount,
    graphId: string,
    extra: { at?: string; duplicate?: boolean; raw?: Record<string, unknown> } = {},
  ): SentPost => {
    if (graphId === "")
      throw new PlatformError(
        "transient",
        "Facebookの応答に投稿のIDがありませんでした。自動で確かめ直します。",
      );
    return {
      platformPostId: graphId,
      url: facebookPostUrl(account, graphId),
      requestId: null,
      at: extra.at ? new Date(extra.at) : new Date(),
      duplicate: extra.duplicate ?? false,
      raw: { id: graphId, ...extra.raw },
    };
  };
  return {
    platform: "facebook",
    limits: { maxTextLength: 63_206, maxImages: 10, idempotent: false, canDelete: true, hasPublicUrl: true },
    async send(credentials, account, post: OutgoingPost) {
      const page = encodeURIComponent(account.externalId);
      const [first, ...rest] = post.images;
      if (!first) {
        const body = await call(credentials, {
          method: "POST",
          path: `/${page}/feed`,
          json: { message: post.text },
        });
        return sent(account, str(body, "id"));
      }
      if (rest.length === 0) {
        const body = await call(credentials, {
          method: "POST",
          path: `/${page}/photos`,
          multipart: photoForm(first, { caption: post.text, published: "true" }),
          timeoutMs: 60_000,
        });
        const photoId = str(body, "id");
        const refused = await setAltTexts(credentials, [{ id: photoId, alt: first.alt }]);
        return sent(account, str(body, "post_id"), { raw: { photoIds: [photoId], altTextRefused: refused } });
      }
      const photos: { id: string; alt: string }[] = [];
      for (const image of post.images) {
        const body = await call(credentials, {
          method: "POST",
          path: `/${page}/photos`,
          multipart: photoForm(image, { published: "false" }),
          timeoutMs: 60_000,
        });
        const id = str(body, "id");
        if (id === "")
          throw new PlatformError(
            "transient",
            "Facebookへの画像のアップロードで応答にIDがありませんでした。",
          );
        photos.push({ id, alt: image.alt });
      }
      const refused = await setAltTexts(credentials, photos);
      const body = await call(credentials, {
        method: "POST",
        path: `/${page}/feed`,
        json: { message: post.text, attached_media: photos.map((p) => ({ media_fbid: p.id })) },
      });
      return sent(account, str(body, "id"), {
        raw: { photoIds: photos.map((p) => p.id), altTextRefused: refused },
      });
    },
    async findSent(credentials, account, post) {
      const query = new URLSearchParams({
        since: String(Math.floor(post.since.getTime() / 1000) - 60),
        fields: "id,message,created_time",
        limit: "25",
      });
      const body = await call(credentials, {
        method: "GET",
        path: `/${encodeURIComponent(account.externalId)}/feed?${query}`,
      });
      const wanted = comparableText(post.text);
      const found = list(body, "data").find((p) => comparableText(str(p, "message")) === wanted);
      return found
        ? sent(account, str(found, "id"), { at: str(found, "created_time"), duplicate: true })
        : null;
    },
    async delete(credentials, _account, platformPostId) {
      if (!platformPostId)
        throw new PlatformError("invalid", "Facebookの投稿IDが記録されていないため、削除できません。");
      return deleteGraphObject("Facebook", {
        id: platformPostId,
        where: "Facebookの画面",
        remove: () => call(credentials, { method: "DELETE", path: `/${encodeURIComponent(platformPostId)}` }),
      });
    },
    async revoke() {
      // No documented way to revoke one page token (graph.ts); the page says where it is done.
      throw metaRevokeUnsupported("Facebook");
    },
    async readProfile(credentials) {
      const body = await call(credentials, {
        method: "GET",
        path: "/me?fields=id,name,username,about,website,link",
      });
      const id = str(body, "id");
      return {
        externalId: id,
        name: str(body, "name"),
        handle: str(body, "username") || id,
        bio: str(body, "about"),
        link: str(body, "website"),
      };
    },
  };
}
