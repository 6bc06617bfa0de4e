/**
 * What the Facebook Pages and Instagram connectors share: Meta's Graph API (graph.facebook.com,
 * a pinned version in the base URL) and its error object
 * `{ error: { message, type, code, error_subcode, fbtrace_id, is_transient } }`, turned into a
 * PlatformError by its code rather than by the HTTP status alone (Graph answers most errors with
 * 400): 190 (and 102) the token expired or was revoked; 10 and 200–299 a missing permission;
 * 4, 17, 32, 613, 80001–80002 (and Instagram's publishing limit, 9 / 2207042) too many calls,
 * waiting as long as `Retry-After` or `X-Business-Use-Case-Usage` says; 1, 2 and 5xx transient;
 * 100 / 33 (no such object) not found; anything else refused. The token travels in the
 * Authorization header (Graph accepts a Bearer token), never in a URL.
 */
import { type DeletedPost, PlatformError } from "./connector.ts";
import { type ApiResponse, errorFor, obj, type PlatformLabel, retryAfterMs, str } from "./http.ts";

/** The Graph API version the connectors are written against (Meta keeps a version ~2 years). */
export const GRAPH_VERSION = "v25.0";
/** The default base URL, version included. */
export const GRAPH_API_URL = `https://graph.facebook.com/${GRAPH_VERSION}`;

const AUTH_CODES = new Set([102, 190]);
const RATE_CODES = new Set([4, 17, 32, 613, 80001, 80002]);
const TRANSIENT_CODES = new Set([1, 2]);
/** Graph's "duplicate status message" (a Page posting the same text again). */
const DUPLICATE_CODE = 506;
/** Instagram: the account reached its publishing limit for the moving 24 hours. */
const IG_LIMIT = { code: 9, subcode: 2207042 };

const num = (body: Record<string, unknown>, key: string) => {
  const value = Number(str(body, key));
  return Number.isFinite(value) ? value : 0;
};

/** The longest `estimated_time_to_regain_access` (minutes) in Meta's usage headers, in ms. */
export function usageWaitMs(headers: Headers): number {
  let minutes = 0;
  for (const name of ["x-business-use-case-usage", "x-page-usage", "x-app-usage"]) {
    const raw = headers.get(name);
    if (!raw) continue;
    for (const m of raw.matchAll(/"estimated_time_to_regain_access"\s*:\s*(\d+)/g))
      minutes = Math.max(minutes, Number(m[1]));
  }
  return minutes * 60_000;
}

/** The PlatformError for a Graph API answer that is not a success. */
export function graphError(label: PlatformLabel, response: ApiResponse): PlatformError {
  const error = obj(response.body, "error");
  const code = num(error, "code");
  const subcode = num(error, "error_subcode");
  const message = [str(error, "message"), str(error, "error_user_msg")].filter(Boolean).join(" / ");
  const trace = str(error, "fbtrace_id") || null;
  const as = (status: number, headers: Headers = response.headers) => {
    const mapped = errorFor(label, { status, headers, body: message ? { message } : {} }, trace);
    return new PlatformError(mapped.kind, mapped.message, { ...mapped.details, status: response.status });
  };
  if (AUTH_CODES.has(code)) return as(401);
  if (code === 10 || (code >= 200 && code <= 299)) return as(403);
  const igLimit = code === IG_LIMIT.code && subcode === IG_LIMIT.subcode;
  if (RATE_CODES.has(code) || igLimit || response.status === 429) {
    const header = response.headers.get("retry-after");
    const wait = header
      ? retryAfterMs(header)
      : Math.max(usageWaitMs(response.headers), igLimit ? 60 * 60_000 : 5 * 60_000);
    return as(429, new Headers({ "retry-after": String(Math.ceil(wait / 1000)) }));
  }
  if (TRANSIENT_CODES.has(code) || error.is_transient === true || response.status >= 500) return as(503);
  if (code === 100 && subcode === 33) return as(404);
  if (code === DUPLICATE_CODE)
    return new PlatformError(
      "invalid",
      `同じ内容の投稿が既に${label}にあるため、${label}が受け付けませんでした（${label}の応答: ${message}）。`,
      { status: response.status, platformMessage: message, requestId: trace },
    );
  if (response.status === 401 || response.status === 403 || response.status === 404)
    return as(response.status);
  return as(400);
}

/** The body of a successful Graph answer, or the PlatformError for it. */
export function graphOk(label: PlatformLabel, response: ApiResponse): Record<string, unknown> {
  if (response.status >= 200 && response.status < 300 && !("error" in response.body)) return response.body;
  throw graphError(label, response);
}

/** `Authorization: Bearer` for a Graph token. */
export const bearer = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });

/**
 * Deletes a Graph object (`DELETE /{id}` through `remove`) and says what the platform answered:
 * deleted, or gone already (not found counts as deleted). `refused` turns a refusal into the
 * answer where the platform may not allow the deletion at all (Instagram); other errors throw.
 */
export async function deleteGraphObject(
  label: "Facebook" | "Instagram",
  props: {
    id: string;
    /** Where staff check by hand (「Facebookの画面」). */
    where: string;
    remove: () => Promise<Record<string, unknown>>;
    refused?: (error: PlatformError) => DeletedPost | null;
  },
): Promise<DeletedPost> {
  const { id } = props;
  try {
    const body = await props.remove();
    const deleted = body.success === true;
    return {
      deleted,
      note: deleted
        ? `${label}で投稿を削除しました。`
        : `${label}は削除を完了したと答えませんでした。${props.where}で確認してください。`,
      raw: { id, deleted },
    };
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    if (error.kind === "not_found")
      return {
        deleted: true,
        note: `${label}では既に削除されていました。`,
        raw: { id, status: error.details.status ?? 404 },
      };
    const answer = props.refused?.(error);
    if (answer) return answer;
    throw error;
  }
}

/**
 * Why a Facebook page token (also the one Instagram is reached through) is not revoked through the
 * API, and where it is invalidated instead. Meta documents one way to revoke: `DELETE
 * /{user-id}/permissions` with the user's or the app's token, which removes the app's whole login
 * from that person — every page and Instagram account they connected through the city's app, not
 * one page token — and a pasted token may come from another app or a system user anyway.
 */
export function metaRevokeUnsupported(label: "Facebook" | "Instagram"): PlatformError {
  return new PlatformError(
    "unsupported",
    `${label}の接続に使うページのアクセストークンを1つだけ無効にする手段は、MetaのAPIにありません（Metaが定めているのは、ログインした人からアプリの許可を丸ごと取り消す方法だけで、その人が同じアプリでつないだ他のページやInstagramの接続まで切れてしまうため、snsgovからは行いません）。Facebookの「設定とプライバシー → 設定 → ビジネス統合」でsnsgovに使ったアプリを削除するか、ビジネス設定のシステムユーザーで発行したトークンなら、そこでトークンを取り消してください。`,
  );
}
