/**
 * Drives the web application in-process (`app.request`) like a browser would: keeps cookies,
 * sends the Origin header, picks the CSRF token out of pages, and signs people in.
 */
import { setPasswordDirectly } from "../../src/app/auth/sessions.ts";
import { systemActor } from "../../src/app/context.ts";
import type { createHttpApp } from "../../src/http/app.tsx";
import type { TestApp } from "./context.ts";

export const TEST_PASSWORD = "a long enough test passphrase";
const ORIGIN = "http://localhost:3000";

export type Browser = {
  get(path: string): Promise<Response>;
  post(
    path: string,
    form: Record<string, string | string[]>,
    options?: { csrf?: string | null; origin?: string },
  ): Promise<Response>;
  /** Posts a multipart form (file uploads). */
  upload(
    path: string,
    fields: Record<string, string>,
    file: { name: string; field: string; bytes: Uint8Array; type?: string },
  ): Promise<Response>;
  /** A page's body as text, after asserting nothing. */
  text(path: string): Promise<string>;
  /** The CSRF token of the current session (read from the dashboard form). */
  csrf(): Promise<string>;
  cookies: Map<string, string>;
};

export function browser(http: ReturnType<typeof createHttpApp>): Browser {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
    return res;
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const self: Browser = {
    cookies,
    async get(path) {
      return remember(await http.request(path, { headers: { cookie: cookieHeader() } }));
    },
    async post(path, form, options = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) {
        for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
      }
      const token = options.csrf === undefined ? await self.csrf().catch(() => "") : options.csrf;
      if (token) body.set("_csrf", token);
      return remember(
        await http.request(path, {
          method: "POST",
          body,
          headers: {
            cookie: cookieHeader(),
            origin: options.origin ?? ORIGIN,
            "content-type": "application/x-www-form-urlencoded",
          },
        }),
      );
    },
    async upload(path, fields, file) {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      body.set("_csrf", await self.csrf());
      body.set(file.field, new File([Buffer.from(file.bytes)], file.name, { type: file.type ?? "text/csv" }));
      return remember(
        await http.request(path, {
          method: "POST",
          body,
          headers: { cookie: cookieHeader(), origin: ORIGIN },
        }),
      );
    },
    async text(path) {
      return (await self.get(path)).text();
    },
    async csrf() {
      const html = await (await http.request("/account", { headers: { cookie: cookieHeader() } })).text();
      const match = /name="_csrf" value="([^"]+)"/.exec(html);
      if (!match?.[1]) throw new Error("no csrf token (not signed in?)");
      return match[1];
    },
  };
  return self;
}

/** Gives a staff member the test password (no audit noise beyond the password entry). */
export async function givePassword(app: TestApp, staffId: number): Promise<void> {
  await setPasswordDirectly(app.ctx, { actor: systemActor("test"), staffId, password: TEST_PASSWORD });
}

/** Signs a person in through the login form; returns the browser. */
export async function signIn(http: ReturnType<typeof createHttpApp>, login: string): Promise<Browser> {
  const b = browser(http);
  const res = await b.post("/login", { login, password: TEST_PASSWORD }, { csrf: null });
  if (res.status !== 303 || res.headers.get("location") !== "/") {
    throw new Error(`sign-in of ${login} failed: ${res.status} ${await res.text()}`);
  }
  return b;
}

/** A page's text without its tags, for assertions on what it says (a date's <time> holds spans). */
export function withoutTags(html: string): string {
  return html.replace(/<[^>]+>/g, "");
}
