/**
 * LINE公式アカウント through the Messaging API (developers.line.biz/en/reference/messaging-api/):
 *
 * - send: `POST /v2/bot/message/broadcast` with the channel access token (Bearer) and
 *   `X-Line-Retry-Key` (the outbox row's UUID), body `{"messages":[{"type":"text","text":…}]}`;
 *   200 `{}` with `X-Line-Request-Id`. A retry with the same key that LINE accepted already is
 *   answered 409 with `X-Line-Accepted-Request-Id`: that is the earlier send, not a failure.
 *   A broadcast has no id and no public URL: the request id and the time are what is kept.
 * - narrowcast (a post whose approved audience is not everyone): `POST /v2/bot/message/narrowcast`
 *   with the same headers, body `{ messages, recipient?, filter?, limit? }` (narrowcastTarget in
 *   src/domain/line-audience.ts); 202 `{}` with `X-Line-Request-Id`, 409 with
 *   `X-Line-Accepted-Request-Id` for a retry key LINE accepted already. Accepted is not sent: the
 *   answer says `delivery: "pending"`, and `progress` reads
 *   `GET /v2/bot/message/progress/narrowcast?requestId=` → `phase` (waiting, sending, succeeded,
 *   failed), `successCount`, `failureCount`, `targetCount`, `acceptedTime`, `completedTime`,
 *   `failedDescription`, `errorCode`.
 * - profile: `GET /v2/bot/info` → `{ userId, basicId, displayName, pictureUrl? }` (LINE's API
 *   offers no status message: the bio is not read).
 * - delete: a delivered broadcast cannot be taken back through the API; the answer says so.
 * - revoke: `POST /v2/oauth/revoke` with `access_token` (form), for short- and long-lived channel
 *   access tokens alike (a stateless token cannot be revoked; snsgov does not take those).
 * - images: LINE fetches each image itself from a public URL, so an image goes as an image message
 *   `{"type":"image","originalContentUrl":url,"previewImageUrl":preview}` with the signed,
 *   expiring URLs the sender gives (`limits.imagesByUrl`, `OutgoingImage.publicUrl` and
 *   `previewUrl`): the text message first, then at most 4 images (a broadcast carries at most 5
 *   messages). LINE's image message reference: JPEG or PNG, HTTPS (TLS 1.2 or later) in
 *   production, URL at most 2000 characters, the original at most 10 MB, the preview at most 1 MB
 *   (`limits.fetchedImages`: the sender makes a JPEG preview of at most 1 MB for a larger image, and
 *   a JPEG of a GIF or of an image over 10 MB). A post breaking these, or with images but no public
 *   URL configured, is refused before anything is sent.
 */
import { narrowcastTarget } from "../domain/line-audience.ts";
import {
  type ConnectedAccount,
  type Connector,
  type Credentials,
  type DeliveryProgress,
  type OutgoingPost,
  PlatformError,
  type SentPost,
} from "./connector.ts";
import { callApi, errorFor, str } from "./http.ts";

const phases: readonly DeliveryProgress["phase"][] = ["waiting", "sending", "succeeded", "failed"];
const count = (body: unknown, key: string): number | null => {
  const value = typeof body === "object" && body !== null ? Reflect.get(body, key) : undefined;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
};

/** LINE's progress answer, read field by field (anything unexpected is a transient failure). */
function progressOf(body: unknown, requestId: string | null): DeliveryProgress {
  const phase = phases.find((p) => p === str(body, "phase"));
  if (!phase)
    throw new PlatformError(
      "transient",
      "LINEの配信状況の応答を読めませんでした。しばらくして確かめ直します。",
      {
        requestId,
      },
    );
  return {
    phase,
    successCount: count(body, "successCount"),
    failureCount: count(body, "failureCount"),
    targetCount: count(body, "targetCount"),
    acceptedTime: str(body, "acceptedTime") || null,
    completedTime: str(body, "completedTime") || null,
    failedDescription: str(body, "failedDescription"),
    errorCode: count(body, "errorCode"),
  };
}

/** A broadcast carries at most 5 messages: the text, then at most 4 images. */
export const LINE_MAX_IMAGES = 4;
/** The original image's limit. */
export const LINE_MAX_IMAGE_BYTES = 10_000_000;
/** The preview image's limit (a larger image gets a preview of its own from the sender). */
export const LINE_MAX_PREVIEW_BYTES = 1_000_000;
const LINE_IMAGE_TYPES = ["image/jpeg", "image/png"];
const LINE_MAX_URL = 2000;

/** The messages of a broadcast (text, then images by URL), or why LINE would refuse them. */
export function lineMessages(post: OutgoingPost): Record<string, string>[] {
  const text = { type: "text", text: post.text };
  if (post.images.length === 0) return [text];
  const refuse = (why: string) =>
    new PlatformError(
      "invalid",
      `${why}画像を直すか外して承認を得直すか、LINE公式アカウントの管理画面から送信してください。`,
    );
  if (post.images.length > LINE_MAX_IMAGES)
    throw refuse(
      `LINEに一度に送れる画像は${LINE_MAX_IMAGES}枚までです（本文と合わせて5通まで。この投稿は${post.images.length}枚）。`,
    );
  return [
    text,
    ...post.images.map((image, i) => {
      const which = `${i + 1}枚目の画像（${image.filename}）`;
      if (!image.publicUrl)
        throw new PlatformError(
          "invalid",
          "LINEへ画像を自動発信するには、画像を一時的に公開するURL（SNSGOV_MEDIA_PUBLIC_URL）の設定が必要です（LINEは画像をURLから取り込みます）。システム管理者に設定を依頼するか、画像を外すか、LINE公式アカウントの管理画面から送信してください。",
        );
      if (!LINE_IMAGE_TYPES.includes(image.contentType))
        throw refuse(
          `${which}の形式（${image.contentType}）はLINEで送れません。LINEが受け付けるのはJPEGとPNGです。`,
        );
      if (image.bytes.length > LINE_MAX_IMAGE_BYTES)
        throw refuse(
          `${which}は${Math.ceil(image.bytes.length / 1_000_000)}MBあり、LINEの画像の上限（10MB）を超えています。`,
        );
      const preview = image.previewUrl ?? image.publicUrl;
      if (!image.previewUrl && image.bytes.length > LINE_MAX_PREVIEW_BYTES)
        throw refuse(
          `${which}は${Math.ceil(image.bytes.length / 1000)}KBあり、LINEのプレビュー画像の上限（1MB）を超えています。`,
        );
      if (image.publicUrl.length > LINE_MAX_URL || preview.length > LINE_MAX_URL)
        throw refuse(`${which}の公開URLが${LINE_MAX_URL}文字を超えています。`);
      return { type: "image", originalContentUrl: image.publicUrl, previewImageUrl: preview };
    }),
  ];
}

/** A LINE connector against `baseUrl` (https://api.line.me, or the loopback fake). */
export function lineConnector(baseUrl: string): Connector {
  const auth = (credentials: Credentials) => ({ Authorization: `Bearer ${credentials.accessToken}` });
  return {
    platform: "line",
    limits: {
      maxTextLength: 5000,
      maxImages: LINE_MAX_IMAGES,
      idempotent: true,
      canDelete: false,
      hasPublicUrl: false,
      // LINE fetches each image itself: the sender gives it a signed URL that expires.
      imagesByUrl: true,
      fetchedImages: {
        types: LINE_IMAGE_TYPES,
        maxBytes: LINE_MAX_IMAGE_BYTES,
        preview: { maxBytes: LINE_MAX_PREVIEW_BYTES },
      },
    },
    async send(credentials: Credentials, _account: ConnectedAccount, post: OutgoingPost) {
      const messages = lineMessages(post);
      const audience = post.audience ?? null;
      const response = await callApi("LINE", {
        method: "POST",
        url: `${baseUrl}/v2/bot/message/${audience ? "narrowcast" : "broadcast"}`,
        headers: { ...auth(credentials), "X-Line-Retry-Key": post.idempotencyKey },
        json: audience ? { messages, ...narrowcastTarget(audience) } : { messages },
      });
      // A narrowcast is accepted (202), then sent: its outcome is read with `progress`.
      const pending: Pick<SentPost, "delivery"> = audience ? { delivery: "pending" } : {};
      const requestId = response.headers.get("x-line-request-id");
      if (response.status === 409) {
        const accepted = response.headers.get("x-line-accepted-request-id");
        if (accepted)
          return {
            platformPostId: null,
            url: null,
            requestId: accepted,
            at: new Date(),
            duplicate: true,
            raw: {
              acceptedRequestId: accepted,
              retryRequestId: requestId,
              ...(audience ? { narrowcast: true } : {}),
            },
            ...pending,
          };
      }
      if (response.status !== (audience ? 202 : 200)) throw errorFor("LINE", response, requestId);
      return {
        platformPostId: null,
        url: null,
        requestId,
        at: new Date(),
        duplicate: false,
        raw: { requestId, ...(audience ? { narrowcast: true } : {}) },
        ...pending,
      };
    },
    async progress(credentials: Credentials, requestId: string) {
      const response = await callApi("LINE", {
        method: "GET",
        url: `${baseUrl}/v2/bot/message/progress/narrowcast?requestId=${encodeURIComponent(requestId)}`,
        headers: auth(credentials),
      });
      const id = response.headers.get("x-line-request-id");
      if (response.status !== 200) throw errorFor("LINE", response, id);
      return progressOf(response.body, id);
    },
    async delete() {
      return {
        deleted: false,
        note: "LINEで配信済みのメッセージは、APIで取り消すことができません。LINE公式アカウントの管理画面やお知らせで、訂正・お詫びを配信してください（第7-1）。",
        raw: { unsupported: "broadcast messages cannot be unsent" },
      };
    },
    async revoke(credentials: Credentials) {
      const response = await callApi("LINE", {
        method: "POST",
        url: `${baseUrl}/v2/oauth/revoke`,
        form: { access_token: credentials.accessToken },
      });
      if (response.status !== 200)
        throw errorFor("LINE", response, response.headers.get("x-line-request-id"));
    },
    async readProfile(credentials: Credentials) {
      const response = await callApi("LINE", {
        method: "GET",
        url: `${baseUrl}/v2/bot/info`,
        headers: auth(credentials),
      });
      if (response.status !== 200)
        throw errorFor("LINE", response, response.headers.get("x-line-request-id"));
      return {
        externalId: str(response.body, "userId"),
        name: str(response.body, "displayName"),
        handle: str(response.body, "basicId").replace(/^@/, ""),
        bio: "",
        link: "",
      };
    },
  };
}
