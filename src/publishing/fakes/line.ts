/**
 * A fake LINE Messaging API on loopback (テスト用の疑似サーバー): the endpoints the LINE connector
 * uses — `POST /v2/bot/message/broadcast` (with the retry key: a second request with an accepted
 * key gets 409 and `X-Line-Accepted-Request-Id`, as LINE documents) and `GET /v2/bot/info` —
 * for one channel whose access token is `token`. Messages it accepted are in `messages`. Image
 * messages (`originalContentUrl`, `previewImageUrl`) are fetched like LINE does: each URL must
 * answer 200 with a JPEG or PNG, the original of at most 10 MB and the preview of at most 1 MB,
 * else the broadcast is refused with 400 (a local fake accepts http on loopback; LINE itself
 * requires https).
 *
 * Narrowcast: `POST /v2/bot/message/narrowcast` answers 202 with `X-Line-Request-Id` (the same
 * retry-key 409 as a broadcast), and `GET /v2/bot/message/progress/narrowcast?requestId=`
 * advances one step per poll through `narrowcastSteps` (default waiting → sending → succeeded),
 * ending `failed` with LINE's errorCode 2 ("the number of recipients is too small") when
 * `narrowcastFailure` is set when the message is accepted.
 */
import { createHash, randomUUID } from "node:crypto";
import { bearerOf, type FakeServer, jsonOf, listingPage, startFake } from "./server.ts";

/** An image the fake fetched: its URL, type, size and SHA-256. */
export type FetchedImage = { url: string; contentType: string; size: number; sha256: string };

export type FakeLine = FakeServer & {
  /** Every broadcast accepted, in order. */
  messages: {
    requestId: string;
    retryKey: string;
    text: string;
    /** The images of the broadcast, as fetched from their URLs, each with its preview. */
    images: (FetchedImage & { preview: FetchedImage })[];
    at: Date;
    /** "narrowcast" with its `recipient`, `filter` and `limit` as sent; else a broadcast. */
    kind: "broadcast" | "narrowcast";
    target?: { recipient?: unknown; filter?: unknown; limit?: unknown };
    /** Narrowcast: how many progress requests it has answered. */
    polls: number;
    /** Narrowcast: the failure it ends with, if any. */
    failure?: { errorCode: number; failedDescription: string };
  }[];
  /** The phases a narrowcast's progress goes through, one per poll (the last one stays). */
  narrowcastSteps: ("waiting" | "sending" | "succeeded")[];
  /** Set: the next narrowcast accepted ends failed with this (LINE errorCode 2 by default). */
  narrowcastFailure: { errorCode: number; failedDescription: string } | null;
  /** How many friends a narrowcast reaches (targetCount). */
  narrowcastTargets: number;
  /** Every image fetch the fake made (the URL and its answer's status; 0: not reachable). */
  fetches: { url: string; status: number }[];
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
  const fetches: FakeLine["fetches"] = [];
  const initial: Pick<FakeLine, "narrowcastSteps" | "narrowcastFailure" | "narrowcastTargets"> = {
    narrowcastSteps: ["waiting", "sending", "succeeded"],
    narrowcastFailure: null,
    narrowcastTargets: 1200,
  };
  /** The returned fake (its settings change during a test); set once the server has started. */
  let self: FakeLine | undefined;
  const settings = () => self ?? initial;
  /** LINE's progress answer for an accepted narrowcast, one step further each time. */
  const progressOf = (m: FakeLine["messages"][number]) => {
    const state = settings();
    const steps = state.narrowcastSteps;
    const step = m.failure
      ? m.polls < steps.length - 1
        ? "waiting"
        : "failed"
      : (steps[Math.min(m.polls, steps.length - 1)] ?? "succeeded");
    m.polls++;
    const done = step === "succeeded" || step === "failed";
    return {
      phase: step,
      ...(step === "succeeded" ? { successCount: state.narrowcastTargets - 3, failureCount: 3 } : {}),
      ...(step === "sending" || step === "succeeded" ? { targetCount: state.narrowcastTargets } : {}),
      ...(step === "failed" && m.failure ? m.failure : {}),
      acceptedTime: m.at.toISOString(),
      ...(done ? { completedTime: new Date(m.at.getTime() + 60_000).toISOString() } : {}),
    };
  };
  type Image = FakeLine["messages"][number]["images"][number];
  const fetchImage = async (url: string, maxBytes: number): Promise<FetchedImage | string> => {
    try {
      const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(5000) });
      fetches.push({ url, status: response.status });
      const contentType = response.headers.get("content-type") ?? "";
      if (response.status !== 200) return `HTTP ${response.status}`;
      if (!["image/jpeg", "image/png"].includes(contentType)) return "not a JPEG or PNG";
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > maxBytes) return `larger than ${maxBytes / 1_000_000} MB`;
      return {
        url,
        contentType,
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      };
    } catch {
      fetches.push({ url, status: 0 });
      return "not reachable";
    }
  };
  /** The broadcast's messages: the text of the first, the images fetched (or why not). */
  const readMessages = async (
    list: unknown,
  ): Promise<{ text: string; images: Image[] } | { error: string }> => {
    if (!Array.isArray(list) || list.length === 0 || list.length > 5)
      return { error: "messages must have 1 to 5 items" };
    let text = "";
    const images: Image[] = [];
    for (const [i, m] of list.entries()) {
      const message: Record<string, unknown> = typeof m === "object" && m !== null ? { ...m } : {};
      if (message.type === "text" && typeof message.text === "string" && message.text !== "") {
        if (i === 0) text = message.text;
        continue;
      }
      const original = message.originalContentUrl;
      const previewUrl = message.previewImageUrl;
      if (message.type !== "image" || typeof original !== "string" || typeof previewUrl !== "string")
        return { error: `messages[${i}] is not a valid message` };
      const image = await fetchImage(original, 10_000_000);
      if (typeof image === "string") return { error: `messages[${i}].originalContentUrl: ${image}` };
      const preview = await fetchImage(previewUrl, 1_000_000);
      if (typeof preview === "string") return { error: `messages[${i}].previewImageUrl: ${preview}` };
      images.push({ ...image, preview });
    }
    return text === "" ? { error: "messages[0].text must be set" } : { text, images };
  };
  const server = await startFake(async (request) => {
    if (request.method === "GET" && request.path === "/")
      return listingPage(
        "LINE",
        messages.map((m) => ({
          at: m.at.toISOString(),
          text: m.kind === "narrowcast" ? `［絞り込み配信］${m.text}` : m.text,
          id: m.requestId,
        })),
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
    if (request.method === "GET" && request.path === "/v2/bot/message/progress/narrowcast") {
      const id = request.query.get("requestId") ?? "";
      const message = messages.find((m) => m.kind === "narrowcast" && m.requestId === id);
      if (!message) return { status: 404, headers, body: { message: "Not found" } };
      return { status: 200, headers, body: progressOf(message) };
    }
    const kind =
      request.path === "/v2/bot/message/broadcast"
        ? "broadcast"
        : request.path === "/v2/bot/message/narrowcast"
          ? "narrowcast"
          : null;
    if (request.method === "POST" && kind) {
      const retryKey = request.headers["x-line-retry-key"] ?? "";
      const earlier = retryKey ? accepted.get(retryKey) : undefined;
      if (earlier)
        return {
          status: 409,
          headers: { ...headers, "X-Line-Accepted-Request-Id": earlier },
          body: { message: "The retry key is already accepted" },
        };
      const read = await readMessages(jsonOf(request).messages);
      if ("error" in read)
        return {
          status: 400,
          headers,
          body: { message: "The request body has 1 error(s)", details: [{ message: read.error }] },
        };
      const body = jsonOf(request);
      if (retryKey) accepted.set(retryKey, requestId);
      const state = settings();
      const failure = kind === "narrowcast" ? state.narrowcastFailure : null;
      messages.push({
        requestId,
        retryKey,
        ...read,
        at: options.now?.() ?? new Date(),
        kind,
        polls: 0,
        ...(kind === "narrowcast"
          ? { target: { recipient: body.recipient, filter: body.filter, limit: body.limit } }
          : {}),
        ...(failure ? { failure } : {}),
      });
      if (failure) state.narrowcastFailure = null;
      return { status: kind === "narrowcast" ? 202 : 200, headers, body: {} };
    }
    return { status: 404, headers, body: { message: "Not found" } };
  }, options.port);
  self = Object.assign(server, { ...initial, messages, fetches, bot, tokens });
  return self;
}
