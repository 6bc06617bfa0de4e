/**
 * Instagram (professional account) through the Instagram Graph API content publishing, with a
 * token from Facebook Login for Business (developers.facebook.com/docs/instagram-platform/
 * content-publishing, reference/ig-user/media, media_publish, ig-container, content_publishing_limit):
 *
 * - Instagram fetches each image itself from a public URL (JPEG only, at most 8 MB): the sender
 *   gives the signed, expiring URL of the approved image (`OutgoingImage.publicUrl`, `/media/s/…`),
 *   or of a JPEG made of it when it is a PNG or GIF or larger (`limits.fetchedImages`).
 *   Instagram cannot post text only: a post without an image is refused before anything is sent.
 * - limit: `GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config` before publishing;
 *   a full quota waits (rate) instead of failing.
 * - send, one image: `POST /{ig-user-id}/media` `{ image_url, caption, alt_text }` → container id;
 *   several (a carousel, at most 10): a container per image `{ image_url, is_carousel_item: true,
 *   alt_text }`, then `{ media_type: "CAROUSEL", children: "id,id", caption }`. Alt text
 *   (`alt_text`, since March 2025) is documented for image posts (not reels or stories); Meta does
 *   not say whether a carousel item takes it, so it is sent, and when Instagram refuses an item for
 *   it (a parameter error) the item is made again without it and the answer lists the images that
 *   went without alt text (`altTextRefused`).
 * - wait: `GET /{container-id}?fields=status_code` until `FINISHED` (ERROR/EXPIRED: refused).
 * - publish: `POST /{ig-user-id}/media_publish` `{ creation_id }` → media id; the URL from
 *   `GET /{media-id}?fields=permalink,timestamp`.
 * - findSent (no retry key): `GET /{ig-user-id}/media?fields=id,caption,permalink,timestamp`.
 * - delete: the IG Media reference documents reading only; `DELETE /{media-id}` is tried, and when
 *   Instagram refuses it the answer says so (deleted: false) and the post is deleted in the app.
 * - profile: `GET /{ig-user-id}?fields=id,username,name,biography,website`; the IG user id is
 *   typed with the token when connecting (`Credentials.accountId`).
 * Permissions: instagram_basic, instagram_content_publish, pages_read_engagement, pages_show_list.
 */
import {
  type ConnectedAccount,
  type Connector,
  type Credentials,
  type OutgoingPost,
  PlatformError,
  type SentPost,
} from "./connector.ts";
import { bearer, deleteGraphObject, graphOk, metaRevokeUnsupported } from "./graph.ts";
import { callApi, comparableText, list, obj, str } from "./http.ts";

const LABEL = "Instagram";

export type InstagramOptions = {
  /** Base URL with the version (https://graph.facebook.com/v25.0, or the fake). */
  baseUrl: string;
  /** Pause between status checks of a container (ms). */
  pollMs?: number;
  /** Status checks before giving up for now (the sender retries later). */
  maxPolls?: number;
};

const refuse = (message: string) => new PlatformError("invalid", message);

/** Instagram's limit of one image (the sender makes a JPEG within it of a larger one). */
export const INSTAGRAM_MAX_IMAGE_BYTES = 8_000_000;

/** `alt_text` of an image, when it has one (Instagram takes at most 1000 characters). */
const altOf = (image: { alt: string }) => (image.alt.trim() ? { alt_text: image.alt.slice(0, 1000) } : {});

/** An Instagram connector. */
export function instagramConnector(options: InstagramOptions): Connector {
  const { baseUrl } = options;
  const pollMs = options.pollMs ?? 2000;
  const maxPolls = options.maxPolls ?? 15;
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
  const idOf = (account: ConnectedAccount) => encodeURIComponent(account.externalId);

  const checkQuota = async (credentials: Credentials, account: ConnectedAccount) => {
    const body = await call(credentials, {
      method: "GET",
      path: `/${idOf(account)}/content_publishing_limit?fields=quota_usage,config`,
    });
    const [usage] = list(body, "data");
    const used = Number(str(usage, "quota_usage"));
    const total = Number(str(obj(usage, "config"), "quota_total"));
    if (Number.isFinite(used) && Number.isFinite(total) && total > 0 && used >= total)
      throw new PlatformError(
        "rate",
        `Instagramの24時間あたりの投稿数の上限（${total}件）に達しています。1時間後に自動で再送します。`,
        { retryAfterMs: 60 * 60_000 },
      );
  };

  const waitFinished = async (credentials: Credentials, containerId: string) => {
    for (let i = 0; i < maxPolls; i++) {
      const body = await call(credentials, {
        method: "GET",
        path: `/${encodeURIComponent(containerId)}?fields=status_code,status`,
      });
      const status = str(body, "status_code");
      if (status === "FINISHED") return;
      if (status === "ERROR" || status === "EXPIRED")
        throw refuse(
          `Instagramが画像を処理できませんでした（${status}${str(body, "status") ? `: ${str(body, "status")}` : ""}）。画像の形式（JPEG）と大きさを確認してください。`,
        );
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    throw new PlatformError(
      "transient",
      "Instagramでの画像の処理が時間内に終わりませんでした。自動で再送します。",
    );
  };

  /**
   * A carousel item's container with its alt text. Meta documents `alt_text` for image posts and
   * says nothing of carousel items: when Instagram refuses the item for a parameter, it is made
   * again without the alt text (and the answer says so) rather than the post failing.
   */
  const carouselItem = async (
    credentials: Credentials,
    account: ConnectedAccount,
    image: { url: string; alt: string },
  ): Promise<{ id: string; altTextRefused: boolean }> => {
    const path = `/${idOf(account)}/media`;
    const item = { image_url: image.url, is_carousel_item: true };
    const alt = altOf(image);
    try {
      return {
        id: str(await call(credentials, { method: "POST", path, json: { ...item, ...alt } }), "id"),
        altTextRefused: false,
      };
    } catch (error) {
      const parameterRefused =
        error instanceof PlatformError &&
        error.kind === "invalid" &&
        /#100|alt_text|invalid parameter/i.test(error.details.platformMessage ?? "");
      if (!parameterRefused || !alt.alt_text) throw error;
      return {
        id: str(await call(credentials, { method: "POST", path, json: item }), "id"),
        altTextRefused: true,
      };
    }
  };

  const permalinkOf = async (credentials: Credentials, mediaId: string) => {
    const body = await call(credentials, {
      method: "GET",
      path: `/${encodeURIComponent(mediaId)}?fields=permalink,timestamp`,
    });
    return { url: str(body, "permalink") || null, at: str(body, "timestamp") };
  };

  const sentPost = (
    mediaId: string,
    link: { url: string | null; at: string },
    duplicate: boolean,
    raw: Record<string, unknown> = {},
  ): SentPost => ({
    platformPostId: mediaId,
    url: link.url,
    requestId: null,
    at: link.at ? new Date(link.at) : new Date(),
    duplicate,
    raw: { id: mediaId, ...(link.url ? { permalink: link.url } : {}), ...raw },
  });

  return {
    platform: "instagram",
    limits: {
      maxTextLength: 2200,
      maxImages: 10,
      idempotent: false,
      canDelete: false,
      hasPublicUrl: true,
      imagesByUrl: true,
      fetchedImages: { types: ["image/jpeg"], maxBytes: INSTAGRAM_MAX_IMAGE_BYTES },
    },
    async send(credentials, account, post: OutgoingPost) {
      if (post.images.length === 0)
        throw refuse(
          "Instagramには文章だけの投稿ができません。画像（JPEG）を1枚以上付けてから承認を得てください。",
        );
      if (post.images.length > 10) throw refuse("Instagramに一度に投稿できる画像は10枚までです。");
      const notJpeg = post.images.findIndex((i) => i.contentType !== "image/jpeg");
      if (notJpeg >= 0)
        throw refuse(
          `InstagramはJPEG形式の画像だけを受け付けます（${notJpeg + 1}枚目の画像は${post.images[notJpeg]?.contentType ?? ""}）。画像をJPEGにしてから承認を得てください。`,
        );
      const urls = post.images.map((i) => i.publicUrl ?? "");
      if (urls.some((u) => u === ""))
        throw refuse(
          "Instagramに画像を渡す公開URLが設定されていません（SNSGOV_MEDIA_PUBLIC_URL）。システム管理者に連絡してください。",
        );
      await checkQuota(credentials, account);
      const media = `/${idOf(account)}/media`;
      let containerId: string;
      /** Carousel images (1-based) Instagram took only without their alt text. */
      const altTextRefused: number[] = [];
      const [only] = post.images;
      if (post.images.length === 1 && only) {
        const body = await call(credentials, {
          method: "POST",
          path: media,
          json: { image_url: only.publicUrl, caption: post.text, ...altOf(only) },
        });
        containerId = str(body, "id");
      } else {
        const children: string[] = [];
        for (const [i, image] of post.images.entries()) {
          const child = await carouselItem(credentials, account, { url: urls[i] ?? "", alt: image.alt });
          if (child.altTextRefused) altTextRefused.push(i + 1);
          children.push(child.id);
        }
        for (const child of children) await waitFinished(credentials, child);
        const body = await call(credentials, {
          method: "POST",
          path: media,
          json: { media_type: "CAROUSEL", children: children.join(","), caption: post.text },
        });
        containerId = str(body, "id");
      }
      if (containerId === "")
        throw new PlatformError("transient", "Instagramの応答にコンテナのIDがありませんでした。");
      await waitFinished(credentials, containerId);
      const published = await call(credentials, {
        method: "POST",
        path: `/${idOf(account)}/media_publish`,
        json: { creation_id: containerId },
      });
      const mediaId = str(published, "id");
      if (mediaId === "")
        throw new PlatformError(
          "transient",
          "Instagramの応答に投稿のIDがありませんでした。自動で確かめ直します。",
        );
      return sentPost(mediaId, await permalinkOf(credentials, mediaId), false, {
        containerId,
        ...(altTextRefused.length > 0 ? { altTextRefused } : {}),
      });
    },
    async findSent(credentials, account, post) {
      const body = await call(credentials, {
        method: "GET",
        path: `/${idOf(account)}/media?fields=id,caption,permalink,timestamp&limit=25`,
      });
      const wanted = comparableText(post.text);
      const since = post.since.getTime() - 60_000;
      const found = list(body, "data").find(
        (m) =>
          comparableText(str(m, "caption")) === wanted &&
          (str(m, "timestamp") === "" || Date.parse(str(m, "timestamp")) >= since),
      );
      if (!found) return null;
      return sentPost(
        str(found, "id"),
        { url: str(found, "permalink") || null, at: str(found, "timestamp") },
        true,
      );
    },
    async delete(credentials, _account, platformPostId) {
      if (!platformPostId) throw refuse("Instagramの投稿IDが記録されていないため、削除できません。");
      return deleteGraphObject("Instagram", {
        id: platformPostId,
        where: "Instagramのアプリ",
        remove: () => call(credentials, { method: "DELETE", path: `/${encodeURIComponent(platformPostId)}` }),
        // Meta documents reading media only: a refusal says how to delete by hand (7.1).
        refused: (error) =>
          error.kind === "invalid" || error.kind === "scope"
            ? {
                deleted: false,
                note: `InstagramはAPIからの投稿の削除を受け付けませんでした。Instagramのアプリで投稿を削除し、「プラットフォームの画面で削除した」として記録してください（第7-1）（Instagramの応答: ${error.details.platformMessage ?? ""}）。`,
                raw: { id: platformPostId, refused: error.details.platformMessage ?? "" },
              }
            : null,
      });
    },
    async revoke() {
      // No documented way to revoke one page token (graph.ts); the page says where it is done.
      throw metaRevokeUnsupported("Instagram");
    },
    async readProfile(credentials) {
      const id = credentials.accountId ?? "";
      if (id === "")
        throw refuse(
          "InstagramビジネスアカウントのIDが分かりません。アカウント管理者が接続し直してください。",
        );
      const body = await call(credentials, {
        method: "GET",
        path: `/${encodeURIComponent(id)}?fields=id,username,name,biography,website`,
      });
      return {
        externalId: str(body, "id") || id,
        name: str(body, "name"),
        handle: str(body, "username"),
        bio: str(body, "biography"),
        link: str(body, "website"),
      };
    },
  };
}
