/**
 * Rendering helpers for staff pages: wrap content in the layout with the signed-in person, the
 * CSRF token and any one-time message (flash) left by the previous request; redirect after POST.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { StaffActor } from "../app/context.ts";
import { AppError, type ErrorStatus, pageNotFound } from "../errors.ts";
import type { AppEnv } from "./env.ts";
import type { FlashMessage, FormState, FormValues } from "./views/components.tsx";
import { collectErrorSummaries } from "./views/error-summary.tsx";
import { Page } from "./views/layout.tsx";
import { labelTableCells } from "./views/table-cards.ts";

const FLASH_COOKIE = "snsgov_flash";

/** Leaves a message for the next page the person sees (after a redirect). */
export function setFlash(c: Context<AppEnv>, message: FlashMessage): void {
  const value = Buffer.from(JSON.stringify(message), "utf8").toString("base64url");
  setCookie(c, FLASH_COOKIE, value, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    maxAge: 120,
    secure: c.var.app.config.cookieSecure,
  });
}

function takeFlash(c: Context<AppEnv>): FlashMessage | undefined {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: "/", secure: c.var.app.config.cookieSecure });
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const kind = "kind" in parsed ? parsed.kind : undefined;
    const text = "text" in parsed ? parsed.text : undefined;
    if (typeof text !== "string") return undefined;
    if (kind === "success" || kind === "error" || kind === "warning" || kind === "info")
      return { kind, text };
    return undefined;
  } catch {
    return undefined;
  }
}

/** Renders a staff page. */
export function render(
  c: Context<AppEnv>,
  title: string,
  body: Child,
  status: 200 | 500 | ErrorStatus = 200,
) {
  return c.html(pageHtml(c, title, body), status);
}

const KEPT_MARK = "<!--snsgov:kept-->";

/** Where `renderWithKept` puts its kept HTML in a page's body (once). */
export const keptHtmlHere = raw(KEPT_MARK);

const utf8 = new TextEncoder();

/**
 * Renders a staff page whose body holds, at `keptHtmlHere`, HTML kept as UTF-8 bytes (finished:
 * its tables labelled already): the page around it is rendered, and the bytes are copied in
 * without being decoded, scanned or encoded again.
 */
export function renderWithKept(c: Context<AppEnv>, title: string, body: Child, kept: Uint8Array) {
  const page = pageHtml(c, title, body);
  const at = page.indexOf(KEPT_MARK);
  if (at === -1) throw new Error("the page has no place for its kept HTML");
  const bytes = Buffer.concat([
    utf8.encode(page.slice(0, at)),
    kept,
    utf8.encode(page.slice(at + KEPT_MARK.length)),
  ]);
  return c.body(bytes, 200, { "Content-Type": "text/html; charset=UTF-8" });
}

/** A staff page's HTML: the body in the layout, its tables labelled. */
function pageHtml(c: Context<AppEnv>, title: string, body: Child): string {
  const session = c.var.session;
  // The body first, so that the problems its forms declare can lead the page (error-summary.tsx).
  const content = collectErrorSummaries(() => String(<>{body}</>));
  const html = (
    <Page
      title={content.summaries.length > 0 ? `エラー: ${title}` : title}
      actor={session?.state === "active" ? session.actor : undefined}
      csrf={session?.csrf}
      cityName={c.var.app.config.cityName}
      demo={c.var.app.config.demo}
      currentPath={c.req.path}
      flash={takeFlash(c)}
      unreadNotifications={c.var.unreadNotifications}
      errors={content.summaries}
    >
      {raw(content.html)}
    </Page>
  );
  return `<!doctype html>${labelTableCells(String(html))}`;
}

/** Redirects after a successful POST, with a message for the next page. */
export function done(c: Context<AppEnv>, location: string, text: string) {
  setFlash(c, { kind: "success", text });
  return c.redirect(location, 303);
}

/** The signed-in person (routes behind requireSignedIn only). */
export function actorOf(c: Context<AppEnv>): StaffActor {
  const session = c.var.session;
  if (!session) throw new AppError("unauthenticated", "ログインしてください。");
  return session.actor;
}

export function csrfOf(c: Context<AppEnv>): string {
  return c.var.session?.csrf ?? "";
}

/** A form body as plain strings (files and repeated fields dropped; use formAll for lists). */
export async function formBody(c: Context<AppEnv>): Promise<FormValues> {
  const body = await c.req.parseBody();
  const out: FormValues = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string" && key !== "_csrf") out[key] = value;
  }
  return out;
}

/** All values of a repeated form field (checkbox groups). */
export async function formAll(c: Context<AppEnv>, name: string): Promise<string[]> {
  const body = await c.req.parseBody({ all: true });
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === "string");
}

/**
 * Runs a form submission: on a validation or conflict error, returns the form state to re-render
 * with the typed values and the messages; other errors propagate to the error handler.
 */
export async function submit<T>(
  values: FormValues,
  work: () => Promise<T>,
): Promise<{ ok: true; result: T } | { ok: false; state: FormState; status: 409 | 422 }> {
  try {
    return { ok: true, result: await work() };
  } catch (error) {
    if (error instanceof AppError && (error.code === "validation" || error.code === "conflict")) {
      return {
        ok: false,
        state: {
          values,
          issues: error.fields,
          message: error.fields.some((f) => f.message === error.message) ? undefined : error.message,
        },
        status: error.code === "conflict" ? 409 : 422,
      };
    }
    throw error;
  }
}

/** Reads a positive integer route or query parameter, or throws 404. */
export function intParam(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw pageNotFound();
  return n;
}
