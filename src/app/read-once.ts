/**
 * Pure reads kept for one request: a page that gathers several use cases (the dashboard) asks
 * some of the same questions more than once. Each reader keeps its answers in its own `ReadMemo`,
 * under the request's token (`AppContext.request`), so they go with the request and are never
 * seen by another request or another person. Only reads: nothing that writes goes through here.
 */
import type { AppContext } from "./context.ts";

/** The answers of one kind of read, per request and key. */
export type ReadMemo<T> = WeakMap<object, Map<string, Promise<T>>>;

/** A new memo for one kind of read (a module-level constant of the reader). */
export function readMemo<T>(): ReadMemo<T> {
  return new WeakMap();
}

/** A copy of `ctx` for answering one request: its repeated reads are made once. */
export function forOneRequest(ctx: AppContext): AppContext {
  if (ctx.request) return ctx;
  return { ...ctx, request: { lasting: ctx } };
}

/**
 * The context a request's copy was made from (`ctx` itself outside a request): what caches that
 * outlive a request are kept under, so a request's copy finds them.
 */
export function lastingOf(ctx: AppContext): AppContext {
  return ctx.request?.lasting ?? ctx;
}

/**
 * `read()`, made once per request and `key` when `ctx` answers a request (`forOneRequest`);
 * otherwise (jobs, the API, transactions' own reads) every time.
 */
export function readOnce<T>(
  ctx: AppContext,
  memo: ReadMemo<T>,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  if (!ctx.request) return read();
  let answers = memo.get(ctx.request);
  if (!answers) {
    answers = new Map();
    memo.set(ctx.request, answers);
  }
  const known = answers.get(key);
  if (known) return known;
  const answer = read();
  answers.set(key, answer);
  return answer;
}
