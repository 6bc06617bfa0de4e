/**
 * Application errors. Every failure a user can cause is an AppError with a stable code, an HTTP
 * status and a Japanese message for people; `cause` and `detail` are for the logs only.
 */
export type ErrorCode =
  | "bad_request"
  | "validation"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media_type"
  | "locked"
  | "too_many_requests"
  | "unavailable";

/** The HTTP statuses an AppError can have. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 423 | 429 | 503;

const statusOf: Record<ErrorCode, ErrorStatus> = {
  bad_request: 400,
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  locked: 423,
  too_many_requests: 429,
  unavailable: 503,
};

/** A field-level problem shown next to the form field it concerns. */
export type FieldIssue = { field: string; message: string };

export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  readonly fields: FieldIssue[];

  /**
   * @param code stable machine-readable code
   * @param message Japanese, for the person who caused it
   * @param options.fields per-field problems (form validation)
   * @param options.cause the underlying error, logged but never shown
   */
  constructor(code: ErrorCode, message: string, options: { fields?: FieldIssue[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = statusOf[code];
    this.fields = options.fields ?? [];
  }
}

/** The 404 of a page or API path that does not exist, and of what someone may not know exists. */
export const pageNotFound = () => new AppError("not_found", "お探しのページが見つかりません。");
export const notFound = (what = "お探しの情報") => new AppError("not_found", `${what}が見つかりません。`);
export const forbidden = (message = "この操作を行う権限がありません。") => new AppError("forbidden", message);
export const conflict = (message: string) => new AppError("conflict", message);
export const validation = (message: string, fields: FieldIssue[] = []) =>
  new AppError("validation", message, { fields });

/** True for a PostgreSQL unique-violation error (SQLSTATE 23505), from either driver. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === "23505";
}

/** The SQLSTATE of a database error, looking through drizzle's wrapping. */
export function sqlState(error: unknown): string | undefined {
  return causes(error)
    .map(codeOf)
    .find((code) => code !== undefined && /^[0-9A-Z]{5}$/.test(code));
}

/** An error and its causes (drizzle wraps the driver's error), with an AggregateError's parts. */
function causes(error: unknown): Error[] {
  const found: Error[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && found.length < 20) {
    const current = pending.shift();
    if (!(current instanceof Error)) continue;
    found.push(current);
    pending.push(current.cause);
    if (current instanceof AggregateError) pending.push(...current.errors);
  }
  return found;
}

function codeOf(error: Error): string | undefined {
  return "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** Socket errors that mean the database server cannot be reached. */
const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** What the drivers say, without a code, when their connection is gone or cannot be had. */
const unreachableMessages =
  /timeout exceeded when trying to connect|Connection terminated|connection error and is not queryable|Cannot use a pool after calling end|Client was closed and is not queryable|PGlite is closed/i;

/**
 * Why the database is out of reach, or undefined when `error` is not about that (the request was
 * wrong, or the fault is ours): the socket error code when the server refused or dropped the
 * connection (ECONNREFUSED, …), the SQLSTATE of PostgreSQL's connection exceptions (class 08), of
 * an administrator or crash shutdown (57P01-57P03) or of too many connections (53300), or the
 * driver's words when the pool gave up waiting for a connection or the connection is gone.
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  for (const e of causes(error)) {
    const code = codeOf(e);
    if (code && (unreachableCodes.has(code) || /^(08...|57P0[123]|53300)$/.test(code))) return code;
    if (unreachableMessages.test(e.message)) return e.message;
  }
  return undefined;
}

/** True when `error` means the database is out of reach (databaseUnavailableReason). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailableReason(error) !== undefined;
}

/**
 * The AppError a database refusal of the input amounts to, or undefined when it is not one: an
 * outage is a 503; a data exception (SQLSTATE class 22: a NUL character in text, a number out of
 * range, an invalid date…) or a reference to something that does not exist (23503), a missing
 * value (23502) or a failed check (23514) is a 422, naming the column when PostgreSQL names it;
 * a duplicate (23505) is a 409.
 */
export function databaseAppError(error: unknown): AppError | undefined {
  if (isDatabaseUnavailable(error)) {
    return new AppError(
      "unavailable",
      "ただいまデータベースに接続できません。しばらく時間をおいてから、もう一度お試しください。",
      { cause: error },
    );
  }
  const state = sqlState(error);
  if (state === "23505") {
    return new AppError("conflict", "同じ内容がすでに登録されています。内容を確認してください。", {
      cause: error,
    });
  }
  const message =
    state === "23503"
      ? "指定された項目が見つかりません。選択し直してください。"
      : "入力に使用できない文字（NUL文字など）か、扱えない値が含まれています。内容を確認してください。";
  if (!state || !(state.startsWith("22") || ["23502", "23503", "23514"].includes(state))) return undefined;
  const column = causes(error)
    .map((e) => ("column" in e && typeof e.column === "string" ? e.column : undefined))
    .find((c) => c !== undefined);
  return new AppError("validation", message, {
    cause: error,
    ...(column ? { fields: [{ field: column, message }] } : {}),
  });
}
