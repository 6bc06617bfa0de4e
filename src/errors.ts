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
  | "locked"
  | "too_many_requests"
  | "unavailable";

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  too_many_requests: 429,
  unavailable: 503,
};

/** A field-level problem shown next to the form field it concerns. */
export type FieldIssue = { field: string; message: string };

export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly status: number;
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
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if ("code" in current && typeof current.code === "string" && /^[0-9A-Z]{5}$/.test(current.code)) {
      return current.code;
    }
    current = current.cause;
  }
  return undefined;
}
