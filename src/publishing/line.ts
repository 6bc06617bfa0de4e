/**
 * LINE公式アカウント through the Messaging API (developers.line.biz/en/reference/messaging-api/):
 *
 * - send: `POST /v2/bot/message/broadcast` with the channel access token (Bearer) and
 *   `X-Line-Retry-Key` (the outbox row's UUID), body `{"messages":[{"type":"text","text":…}]}`;
 *   200 `{}` with `X-Line-Request-Id`. A retry with the same key that LINE accepted already is
 *   answered 409 with `X-Line-Accepted-Request-Id`: that is the earlier send, not a failure.
 *   A broadcast has no id and no public URL: the request id and the time are what is kept.
 * - profile: `GET /v2/bot/info` → `{ userId, basicId, displayName, pictureUrl? }` (LINE's API
 *   offers no status message: the bio is not read).
 * - delete: a delivered broadcast cannot be taken back through the API; the answer says so.
 * - revoke: `POST /v2/oauth/revoke` with `access_token` (form), for short- and long-lived channel
 *   access tokens alike (a stateless token cannot be revoked; snsgov does not take those).
 * - images: an image message needs a public https URL of the image (`originalContentUrl`), which
 *   a city's LGWAN-side server does not have; this connector sends text only and refuses a post
 *   with images before sending (limits.maxImages 0).
 */
import {
  type ConnectedAccount,
  type Connector,
  type Credentials,
  type OutgoingPost,
  PlatformError,
} from "./connector.ts";
import { callApi, errorFor, str } from "./http.ts";

/** A LINE connector against `baseUrl` (https://api.line.me, or the loopback fake). */
export function lineConnector(baseUrl: string): Connector {
  const auth = (credentials: Credentials) => ({ Authorization: `Bearer ${credentials.accessToken}` });
  return {
    platform: "line",
    limits: { maxTextLength: 5000, maxImages: 0, idempotent: true, canDelete: false, hasPublicUrl: false },
    async send(credentials: Credentials, _account: ConnectedAccount, post: OutgoingPost) {
      if (post.images.length > 0)
        throw new PlatformError(
          "invalid",
          "LINEへの画像の自動送信には対応していません（画像は公開URLが必要です）。画像を外すか、LINE公式アカウントの管理画面から送信してください。",
        );
      const response = await callApi("LINE", {
        method: "POST",
        url: `${baseUrl}/v2/bot/message/broadcast`,
        headers: { ...auth(credentials), "X-Line-Retry-Key": post.idempotencyKey },
        json: { messages: [{ type: "text", text: post.text }] },
      });
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
            raw: { acceptedRequestId: accepted, retryRequestId: requestId },
          };
      }
      if (response.status !== 200) throw errorFor("LINE", response, requestId);
      return {
        platformPostId: null,
        url: null,
        requestId,
        at: new Date(),
        duplicate: false,
        raw: { requestId },
      };
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
