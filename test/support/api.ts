/**
 * The JSON API in-process for tests: each persona of the test organisation gets its own token,
 * and calls go to `/api/v1` with it.
 */
import assert from "node:assert/strict";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "./context.ts";
import { seedOrg, type TestOrg } from "./org.ts";

export type Persona = keyof TestOrg["staff"];

export type HttpApp = ReturnType<typeof createHttpApp>;

/**
 * A test app (`options` as for testApp) over the seeded organisation, its HTTP app, and an API
 * token for each persona.
 */
export async function apiTestApp<P extends Persona>(
  personas: readonly P[],
  options: Parameters<typeof testApp>[0] = {},
  tokenName?: string,
): Promise<{ app: TestApp; org: TestOrg; http: HttpApp; tokens: Map<P, string> }> {
  const app = await testApp(options);
  const org = await seedOrg(app.ctx);
  return { app, org, http: createHttpApp(app.ctx), tokens: await apiTokens(app, org, personas, tokenName) };
}

/** Creates an API token (named `name`) for each persona; returns them by persona. */
export async function apiTokens<P extends Persona>(
  app: TestApp,
  org: TestOrg,
  personas: readonly P[],
  name = "t",
): Promise<Map<P, string>> {
  const tokens = new Map<P, string>();
  for (const p of personas) {
    const { token } = await createApiToken(app.ctx, { actor: org.actors[p], input: { name } });
    tokens.set(p, token);
  }
  return tokens;
}

/** Calls `/api/v1{path}` with the bearer token, sending `body` (when given) as JSON. */
export function callApi(
  http: HttpApp,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Response | Promise<Response> {
  return http.request(`/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A response's JSON body, asserted to be an object. */
export async function json(res: Response): Promise<Record<string, unknown>> {
  const body: unknown = await res.json();
  assert.ok(typeof body === "object" && body !== null && !Array.isArray(body));
  return Object.fromEntries(Object.entries(body));
}

/** `value[path[0]][path[1]]…`, or undefined where a step is not an object. */
export function field(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = Object.entries(current).find(([k]) => k === String(key))?.[1];
  }
  return current;
}
