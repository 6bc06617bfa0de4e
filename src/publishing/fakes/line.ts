/**
 * A fake LINE Messaging API on loopback (テスト用の疑似サーバー): the endpoints the LINE connector
 * uses — `POST /v2/bot/message/broadcast` (with the retry key: a second request with an accepted
 * key gets 409 and `X-Line-Accepted-Request-Id`, as LINE documents) and `GET /v2/bot/info` —
 * for one channel whose access token is `token`. Messages it accepted are in `messages`.
 */
import { randomUUID } from "node:crypto";
import { bearerOf, type FakeServer, jsonOf, listingPage, startFake } from "./server.ts";

export type FakeLine = FakeServer & {
  /** Every broadcast accepted, in order. */
  messages: { requestId: string; retryKey: string; text: string; at: Date }[];
  /** The bot's profile (change it to simulate a hijacked account). */
  bot: { userId: string; basicId: string; displayName: string };
  /** Valid channel access tokens (remove one to simulate a revoked token). */
  tokens: Set<string>;
};

/** Starts the fake LINE API for a channel with access token `token`. */
export async function startFakeLine(options: {
  token: string;
  basicId?: string;
  displayName?: string;
  port?: number;
  now?: () => Date;
}): Promise<FakeLine> {
  const messages: FakeLine["messages"] = [];
  const accepted = new Map<string, string>();
  const tokens = new Set([options.token]);
  const bot = {
    userId: `U${randomUUID().replaceAll("-", "")}`,
    basicId: options.basicId ?? "@000test",
    displayName: options.displayName ?? "テスト用LINE公式アカウント",
  };
  const server = await startFake((request) => {
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "LINE",
        messages.map((m) => ({ at: m.at.toISOString(), text: m.text, id: m.requestId })),
      );
    const requestId = randomUUID();
    const headers = { "X-Line-Request-Id": requestId };
    if (request.method === "POST" && request.path === "/v2/oauth/revoke") {
      // The token is in the form, not in the Authorization header; an unknown one is a 400.
      const token = new URLSearchParams(request.body).get("access_token") ?? "";
      if (!tokens.delete(token))
        return {
          status: 400,
          headers,
          body: { error: "invalid_request", error_description: "invalid access_token" },
        };
      return { status: 200, headers, body: {} };
    }
    if (!tokens.has(bearerOf(request)))
      return {
        status: 401,
        headers,
        body: {
          message:
            "Authentication failed. Confirm that the access token in the authorization header is valid.",
        },
      };
    if (request.method === "GET" && request.path === "/v2/bot/info")
      return { status: 200, headers, body: { ...bot, chatMode: "bot", markAsReadMode: "auto" } };
    if (request.method === "POST" && request.path === "/v2/bot/message/broadcast") {
      const retryKey = request.headers["x-line-retry-key"] ?? "";
      const earlier = retryKey ? accepted.get(retryKey) : undefined;
      if (earlier)
        return {
          status: 409,
          headers: { ...headers, "X-Line-Accepted-Request-Id": earlier },
          body: { message: "The retry key is already accepted" },
        };
      const body = jsonOf(request);
      const first = Array.isArray(body.messages) ? body.messages[0] : undefined;
      const text = typeof first === "object" && first !== null && "text" in first ? String(first.text) : "";
      if (text === "") return { status: 400, headers, body: { message: "The request body has 1 error(s)" } };
      if (retryKey) accepted.set(retryKey, requestId);
      messages.push({ requestId, retryKey, text, at: options.now?.() ?? new Date() });
      return { status: 200, headers, body: {} };
    }
    return { status: 404, headers, body: { message: "Not found" } };
  }, options.port);
  return Object.assign(server, { messages, bot, tokens });
}
