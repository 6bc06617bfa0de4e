/**
 * Refuses, before any route runs, input that no field can hold: a NUL character or a lone
 * surrogate (app/validate.ts) in the path, a query parameter, a form field or an uploaded file's
 * name, or anywhere in a JSON body (keys too). A JSON body or form that cannot be read, and JSON
 * nested deeper than any request of ours, are refused the same way. Pages then show a Japanese
 * error page and the API its `{"error":{"code","message","fields"}}` body (http/errors.ts), so no
 * such value ever reaches the database. File contents are left to the use case that reads them.
 */
import type { Context, MiddlewareHandler } from "hono";
import { isStorableText, unstorableMessage } from "../../app/validate.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv } from "../env.ts";

/** Deeper JSON than this is refused (the deepest request body of the API is 4 levels). */
export const MAX_JSON_DEPTH = 64;

const bodyMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function refuse(field: string): never {
  const message = unstorableMessage();
  throw new AppError("validation", message, { fields: [{ field, message }] });
}

function check(field: string, value: string): void {
  if (!isStorableText(value)) refuse(field);
}

function mediaType(c: Context<AppEnv>): string {
  return (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Walks a parsed JSON value without recursion (a body may be nested 10,000 deep). */
function checkJson(value: unknown): void {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: "", depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value: current, path, depth } = item;
    if (typeof current === "string") {
      check(path, current);
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new AppError("bad_request", `送信されたJSONの入れ子が深すぎます（${MAX_JSON_DEPTH}段まで）。`);
    }
    const entries = Array.isArray(current)
      ? current.map((v, i): [string, unknown] => [String(i), v])
      : Object.entries(current);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      check(childPath, key);
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}

async function checkJsonBody(c: Context<AppEnv>): Promise<void> {
  const text = await c.req.text();
  if (text.trim() === "") return; // the route decides whether it needs a body
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", "送信されたJSONを読み取れませんでした。形式を確認してください。", {
      cause: error,
    });
  }
  checkJson(parsed);
}

async function checkFormBody(c: Context<AppEnv>): Promise<void> {
  let body: Record<string, string | File | Array<string | File>>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch (error) {
    throw new AppError(
      "bad_request",
      "送信されたフォームを読み取れませんでした。ページを再読み込みしてから、もう一度送信してください。",
      { cause: error },
    );
  }
  for (const [key, value] of Object.entries(body)) {
    check(key, key);
    for (const item of Array.isArray(value) ? value : [value]) {
      check(key, typeof item === "string" ? item : item.name);
    }
  }
}

/** The guard itself: one middleware in front of every route (app.tsx). */
export const inputGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  check("path", c.req.path);
  for (const [key, values] of Object.entries(c.req.queries())) {
    check(key, key);
    for (const value of values) check(key, value);
  }
  if (bodyMethods.has(c.req.method)) {
    const type = mediaType(c);
    if (/^application\/([\w.-]+\+)?json$/.test(type)) await checkJsonBody(c);
    else if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data")
      await checkFormBody(c);
  }
  await next();
};
