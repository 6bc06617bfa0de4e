/**
 * One HTTP call to a platform with Node's fetch: a timeout, JSON in and out, and the usual
 * failures turned into `PlatformError`s with a Japanese reason — 401 (token expired or revoked),
 * 403 (missing permission), 429 (with `Retry-After`), 5xx and timeouts (transient), other 4xx
 * (refused, with the platform's own message). Tokens travel only in the Authorization header and
 * are never part of an error or a log line.
 */
import { PlatformError } from "./connector.ts";

export type ApiRequest = {
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (sent as application/json) or form fields (x-www-form-urlencoded). */
  json?: unknown;
  form?: Record<string, string>;
  /** A multipart body (Facebook photos, Mastodon media; fetch sets the boundary), or raw bytes with their type (Bluesky blobs). */
  multipart?: FormData;
  bytes?: { data: Uint8Array; contentType: string };
  timeoutMs?: number;
};

export type ApiResponse = { status: number; headers: Headers; body: Record<string, unknown> };

/** The platform's name in Japanese messages. */
export type PlatformLabel = "LINE" | "X" | "Facebook" | "Instagram" | "Mastodon" | "Bluesky" | "Threads";

const DEFAULT_TIMEOUT_MS = 15_000;

/** `Retry-After` (seconds or an HTTP date) in milliseconds; default one minute. */
export function retryAfterMs(value: string | null, now = Date.now()): number {
  if (!value) return 60_000;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 60_000 : Math.max(0, at - now);
}

function platformMessageOf(body: Record<string, unknown>): string {
  const parts = [body.message, body.detail, body.title, body.error_description, body.error]
    .filter((v): v is string => typeof v === "string" && v !== "")
    .slice(0, 2);
  return parts.join(" / ").slice(0, 500);
}

async function bodyOf(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (text === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed))
      : { value: parsed };
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/** The PlatformError for a non-2xx answer (not for the statuses the caller handles itself). */
export function errorFor(
  label: PlatformLabel,
  response: ApiResponse,
  requestId: string | null,
): PlatformError {
  const platformMessage = platformMessageOf(response.body);
  const said = platformMessage ? `（${label}の応答: ${platformMessage}）` : "";
  const details = { status: response.status, platformMessage, requestId };
  const { status } = response;
  if (status === 401)
    return new PlatformError(
      "auth",
      `${label}の接続が無効になっています（トークンの期限切れか取り消し）。アカウント管理者が接続し直してください${said}。`,
      details,
    );
  if (status === 403)
    return new PlatformError(
      "scope",
      `${label}がこの操作を許可しませんでした（権限の不足か、アカウントの制限）。アカウント管理者が権限を確認し、接続し直してください${said}。`,
      details,
    );
  if (status === 429) {
    const wait = retryAfterMs(response.headers.get("retry-after"));
    return new PlatformError(
      "rate",
      `${label}の送信回数の上限に達しました。${Math.ceil(wait / 1000)}秒後に自動で再送します${said}。`,
      { ...details, retryAfterMs: wait },
    );
  }
  if (status === 404)
    return new PlatformError("not_found", `${label}上に対象の投稿が見つかりません${said}。`, details);
  if (status >= 500)
    return new PlatformError(
      "transient",
      `${label}のサーバーで一時的な障害が起きています（HTTP ${status}）。自動で再送します${said}。`,
      details,
    );
  return new PlatformError(
    "invalid",
    `${label}が投稿を受け付けませんでした（HTTP ${status}）。内容を確認してください${said}。`,
    details,
  );
}

/**
 * Sends one request; resolves with any HTTP answer (the caller decides which statuses are
 * success) and rejects only for a timeout or a network failure, as a transient PlatformError.
 */
export async function callApi(label: PlatformLabel, request: ApiRequest): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: "application/json", ...request.headers };
  let body: string | FormData | Blob | undefined;
  if (request.multipart) {
    body = request.multipart; // fetch sets the multipart Content-Type with its boundary
  } else if (request.bytes) {
    headers["Content-Type"] = request.bytes.contentType;
    body = new Blob([Buffer.from(request.bytes.data)], { type: request.bytes.contentType });
  } else if (request.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(request.json);
  } else if (request.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(request.form).toString();
  }
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: "error",
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new PlatformError(
      "transient",
      timedOut
        ? `${label}から時間内に応答がありませんでした。送信されたかどうかを確かめてから、自動で再送します。`
        : `${label}に接続できませんでした（ネットワークの障害）。自動で再送します。`,
    );
  }
  return { status: response.status, headers: response.headers, body: await bodyOf(response) };
}

/**
 * The answer with a `Retry-After` taken from a rate-limit reset header when the platform sends
 * none (Mastodon `X-RateLimit-Reset`: an ISO time; Bluesky `ratelimit-reset`: Unix seconds).
 */
export function withResetAsRetryAfter(response: ApiResponse, header: string, now = Date.now()): ApiResponse {
  const reset = response.headers.get(header);
  if (response.status !== 429 || response.headers.get("retry-after") || !reset) return response;
  const at = /^\d+$/.test(reset.trim()) ? Number(reset.trim()) * 1000 : Date.parse(reset);
  if (Number.isNaN(at)) return response;
  const headers = new Headers(response.headers);
  headers.set("retry-after", String(Math.max(1, Math.ceil((at - now) / 1000))));
  return { ...response, headers };
}

/** A string field of a JSON object ("" when absent). */
export function str(body: Record<string, unknown> | unknown, key: string): string {
  if (typeof body !== "object" || body === null) return "";
  const value: unknown = Object.entries(body).find(([k]) => k === key)?.[1];
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

/** An object field of a JSON object ({} when absent). */
export function obj(body: Record<string, unknown> | unknown, key: string): Record<string, unknown> {
  if (typeof body !== "object" || body === null) return {};
  const value: unknown = Object.entries(body).find(([k]) => k === key)?.[1];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {};
}

/** An array field of a JSON object ([] when absent). */
export function list(body: Record<string, unknown> | unknown, key: string): unknown[] {
  if (typeof body !== "object" || body === null) return [];
  const value: unknown = Object.entries(body).find(([k]) => k === key)?.[1];
  return Array.isArray(value) ? value : [];
}

/**
 * Text compared as a platform shows it (finding a post after a crash): links stand for any link
 * (platforms shorten them), white space ignored.
 */
export function comparableText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/https?:\/\/\S+/g, "<link>")
    .replace(/\s+/g, "");
}
