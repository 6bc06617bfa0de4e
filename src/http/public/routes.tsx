/**
 * Public pages for citizens (4.4, 4.5.2, 7.3): no login, no cookie, no JavaScript, served from
 * memory (serve.ts). Each route reads and normalises its query, keys the cache with it, and on a
 * miss lets a handler (handlers.tsx) call one read use case and render. Ids that are not public
 * answer a Japanese 404 straight from the registry in memory, without a query.
 *
 *   /public/accounts                 official accounts (filter: platform, department)
 *   /public/accounts.json|.csv       the same as JSON (OpenAPI: openapi.ts) and Excel CSV
 *   /public/embed/accounts           HTML fragment for the city CMS (feeds.tsx; framing.ts)
 *   /public/accounts/{id}            one account, its media policy and history
 *   /public/accounts/{id}/policy/{v} one published policy version with what changed
 *   /public/notices                  change/closure notices in their window (+ later sources)
 *   /public/verify(.json)?url=…      is this an official account? (+ lookalike warnings)
 *   /public/audit-checkpoint.json    the newest signed audit checkpoint, to keep and check later
 */
import { Hono } from "hono";
import { publicCheckpoint } from "../../app/audit/public.ts";
import { filterAccounts, parsePublicFilter, publicRegistry } from "../../app/public/registry.ts";
import { readVerifyInput, verifyCacheKey } from "../../app/public/verify.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { notFoundPage, unavailablePage } from "./document.tsx";
import {
  accountBody,
  accountsBody,
  accountsCsvBody,
  accountsJsonBody,
  embedBody,
  type Listing,
  noticesBody,
  policyBody,
  verifyBody,
  verifyJsonBody,
} from "./handlers.tsx";
import type { PublicBody } from "./serve.ts";
import { pageKey, servePublic } from "./serve.ts";

function positiveInt(value: string | undefined): number | null {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** A route over the (filtered) registry: the list page and its feeds. */
function listing(
  path: string,
  produce: (c: HttpContext, listing: Listing) => PublicBody | Promise<PublicBody>,
) {
  return async (c: HttpContext) => {
    const registry = await publicRegistry(c.get("app"));
    const filter = parsePublicFilter(registry, c.req.query());
    const key = pageKey(path, { platform: filter.platform, department: filter.departmentId });
    return servePublic(c, "pages", key, async () =>
      produce(c, { registry, filter, accounts: filterAccounts(registry, filter) }),
    );
  };
}

/** Builds the public routes (mounted before sessions: nothing here reads or sets a cookie). */
export function publicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/public", (c) => c.redirect("/public/accounts", 301));
  app.get("/public/accounts", listing("/public/accounts", accountsBody));
  app.get("/public/accounts.json", listing("/public/accounts.json", accountsJsonBody));
  app.get("/public/accounts.csv", listing("/public/accounts.csv", accountsCsvBody));
  app.get("/public/embed/accounts", listing("/public/embed/accounts", embedBody));

  app.get("/public/accounts/:id", async (c) => {
    const id = positiveInt(c.req.param("id"));
    const registry = await publicRegistry(c.get("app"));
    if (id === null || !registry.byId.has(id)) return notFoundPage(c);
    return servePublic(c, "pages", `/public/accounts/${id}`, () => accountBody(c, id));
  });

  app.get("/public/accounts/:id/policy/:version", async (c) => {
    const account = (await publicRegistry(c.get("app"))).byId.get(positiveInt(c.req.param("id")) ?? 0);
    const version = positiveInt(c.req.param("version"));
    // Published versions never exceed the one in force, so larger numbers need no query.
    if (!account || version === null || version > (account.policyVersion ?? 0)) return notFoundPage(c);
    return servePublic(c, "pages", `/public/accounts/${account.id}/policy/${version}`, () =>
      policyBody(c, account.id, version),
    );
  });

  app.get("/public/notices", (c) => servePublic(c, "pages", "/public/notices", () => noticesBody(c)));

  app.get("/public/verify", (c) => {
    const input = { url: c.req.query("url"), platform: c.req.query("platform") };
    const query = readVerifyInput(input);
    const platform = query.kind === "handle" ? (query.platform ?? "") : "";
    const scope = query.kind === "empty" ? "pages" : "answers";
    return servePublic(c, scope, `page:${verifyCacheKey(query)}`, () => verifyBody(c, input, platform));
  });

  app.get("/public/verify.json", (c) => {
    const input = { url: c.req.query("url"), platform: c.req.query("platform") };
    return servePublic(c, "answers", `json:${verifyCacheKey(readVerifyInput(input))}`, () =>
      verifyJsonBody(c, input),
    );
  });

  // Not from the page cache: a new checkpoint is signed every few minutes, not at a change.
  app.get("/public/audit-checkpoint.json", async (c) => {
    const checkpoint = await publicCheckpoint(c.var.app);
    c.header("Cache-Control", "public, max-age=60");
    c.header("Access-Control-Allow-Origin", "*");
    if (!checkpoint) {
      return c.json(
        { error: { code: "not_found", message: "署名付きのチェックポイントはまだありません。" } },
        404,
      );
    }
    return c.json(checkpoint);
  });

  app.get("/public/*", (c) => notFoundPage(c));

  app.onError((error, c) => {
    if (error instanceof AppError && error.status === 404) return notFoundPage(c);
    c.var.app.log.error("public page failed", { path: c.req.path, error });
    return unavailablePage(c);
  });

  return app;
}
