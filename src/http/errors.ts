/**
 * One mapping from whatever a request handler threw to what the person is told: an AppError as
 * it is; hono's own HTTPException (unreadable JSON or form, a Content-Type the route does not
 * take, a body over the limit) as its status with a Japanese message; a database refusal of the
 * input as a 422 and a database outage as a 503 (errors.ts). Anything else is a fault of ours:
 * logged, and answered with a 500 that says nothing of its insides.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, databaseAppError, type ErrorCode, pageNotFound, sqlState } from "../errors.ts";
import type { AppEnv } from "./env.ts";

/** The largest request body accepted (bodyLimit in app.tsx). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The refusal of a body over MAX_BODY_BYTES. */
export function tooLarge(): AppError {
  return new AppError("too_large", "送信されたデータが大きすぎます（上限10MB）。");
}

const httpMessages: Record<number, { code: ErrorCode; message: string }> = {
  400: { code: "bad_request", message: "送信された内容を読み取れませんでした。形式を確認してください。" },
  401: { code: "unauthenticated", message: "認証が必要です。" },
  403: { code: "forbidden", message: "この操作を行う権限がありません。" },
  404: { code: "not_found", message: pageNotFound().message },
  409: { code: "conflict", message: "操作を完了できませんでした。最新の状態を確認してください。" },
  413: { code: "too_large", message: tooLarge().message },
  415: {
    code: "unsupported_media_type",
    message:
      "送信データの形式（Content-Type）に対応していません。APIの説明（/api/v1/openapi.json）にある形式で送信してください。",
  },
  422: { code: "validation", message: "入力内容を確認してください。" },
  429: { code: "too_many_requests", message: "しばらく時間をおいてから、もう一度お試しください。" },
};

function fromHttpException(error: HTTPException): AppError | undefined {
  if (error.status >= 500) return undefined;
  if (error.status === 400 && /json/i.test(error.message)) {
    return new AppError("bad_request", "送信されたJSONを読み取れませんでした。形式を確認してください。", {
      cause: error,
    });
  }
  const known = httpMessages[error.status] ?? httpMessages[400];
  if (!known) return undefined;
  return new AppError(known.code, known.message, { cause: error });
}

/** The AppError to answer with, or undefined for a fault of ours (a 500). */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) return fromHttpException(error);
  return databaseAppError(error);
}

/**
 * Logs what the operators should hear of among the answers to people: a database outage, and
 * input the database refused (which validation should have caught first).
 */
export function logDatabaseRefusal(c: Context<AppEnv>, error: AppError): void {
  const where = { path: c.req.path, method: c.req.method };
  if (error.code === "unavailable")
    c.var.app.log.warn("database unavailable", { ...where, error: error.cause });
  else if (sqlState(error.cause))
    c.var.app.log.warn("database refused input", { ...where, sqlState: sqlState(error.cause) });
}

/** True when the request expects JSON back (the API and the public .json feeds). */
export function wantsJson(c: Context<AppEnv>): boolean {
  return c.req.path.startsWith("/api/") || c.req.path.endsWith(".json");
}

/** The API's error body for an AppError: `{"error":{"code","message","fields"?}}`. */
export function errorJson(c: Context<AppEnv>, error: AppError) {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields.length ? { fields: error.fields } : {}),
    },
  };
  return c.json(body, error.status);
}

/** The API's answer to a fault of ours. */
export function internalErrorJson(c: Context<AppEnv>) {
  return c.json(
    {
      error: {
        code: "internal",
        message: "システムエラーが発生しました。時間をおいてもう一度お試しください。",
      },
    },
    500,
  );
}

/** The error handler of JSON routes: the AppError's body, or a logged 500. */
export function handleJsonError(error: unknown, c: Context<AppEnv>) {
  const known = toAppError(error);
  if (known) {
    logDatabaseRefusal(c, known);
    return errorJson(c, known);
  }
  c.var.app.log.error("unhandled api error", { path: c.req.path, method: c.req.method, error });
  return internalErrorJson(c);
}
