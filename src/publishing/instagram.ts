/**
 * Instagram (professional account) through the Instagram Graph API content publishing, with a
 * token from Facebook Login for Business (developers.facebook.com/docs/instagram-platform/
 * content-publishing, reference/ig-user/media, media_publish, ig-container, content_publishing_limit):
 *
 * - Instagram fetches each image itself from a public URL (JPEG only): the sender gives the
 *   signed, expiring URL of the approved image (`OutgoingImage.publicUrl`, `/media/s/…`).
 *   Instagram cannot post text only: a post without an image is refused before anything is sent.
 * - limit: `GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config` before publishing;
 *   a full quota waits (rate) instead of failing.
 * - send, one image: `POST /{ig-user-id}/media` `{ image_url, caption, alt_text }` → container id;
 *   several (a carousel, at most 10): a container per image `{ image_url, is_carousel_item: true }`,
 *   then `{ media_type: "CAROUSEL", children: "id,id", caption }`. Alt text (`alt_text`, since
 *   March 2025) is documented for image posts only, so a carousel's images go without it.
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
    },
    async send(credentials, account, post: OutgoingPost) {
      if (post.images.length === 0)
        throw refuse(
          "Instagramには文章だけの投稿ができません。画像（JPEG）を1枚以上付けてから承認を得てください。",
        );
      if (post.images.length > 10) throw refuse("Instagramに一度に投稿できる画像は10枚までです。");
      if (post.images.some((i) => i.contentType !== "image/jpeg"))
        throw refuse("InstagramはJPEG形式の画像だけを受け付けます。画像をJPEGにしてから承認を得てください。");
      const urls = post.images.map((i) => i.publicUrl ?? "");
      if (urls.some((u) => u === ""))
        throw refuse(
          "Instagramに画像を渡す公開URLが設定されていません（SNSGOV_MEDIA_PUBLIC_URL）。システム管理者に連絡してください。",
        );
      await checkQuota(credentials, account);
      const media = `/${idOf(account)}/media`;
      let containerId: string;
      const [only] = post.images;
      if (post.images.length === 1 && only) {
        const body = await call(credentials, {
          method: "POST",
          path: media,
          json: {
            image_url: only.publicUrl,
            caption: post.text,
            ...(only.alt.trim() ? { alt_text: only.alt.slice(0, 1000) } : {}),
          },
        });
        containerId = str(body, "id");
      } else {
        const children: string[] = [];
        for (const url of urls) {
          const child = await call(credentials, {
            method: "POST",
            path: media,
            json: { image_url: url, is_carousel_item: true },
          });
          children.push(str(child, "id"));
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
      return sentPost(mediaId, await permalinkOf(credentials, mediaId), false, { containerId });
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
