/**
 * The JSON API under /api/v1, documented as OpenAPI 3.1 at /api/v1/openapi.json. Requests are
 * authenticated with a personal API token (`Authorization: Bearer sgv_…`) or, from the staff
 * pages' own scripts, the session cookie plus the `X-CSRF-Token` header. Each route is: auth →
 * validate → call one use case (which authorizes) → present.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { resolveApiToken } from "../../app/auth/api-tokens.ts";
import { SECOND_FACTOR_MISSING, secondFactorMissing } from "../../app/auth/sessions.ts";
import { AppError, pageNotFound } from "../../errors.ts";
import type { AppEnv } from "../env.ts";
import { errorJson, handleJsonError } from "../errors.ts";
import { csrfAllows, csrfRefused } from "../middleware/csrf.ts";
import { loadSession } from "../middleware/session.ts";
import { registerPublicApi } from "../public/openapi.ts";
import { accountsApi } from "./accounts.ts";
import { archiveApi } from "./archive.ts";
import { auditApi } from "./audit.ts";
import { checkApi } from "./check.ts";
import { consultationsApi } from "./consultations.ts";
import { councilApi } from "./council.ts";
import { credentialsApi } from "./credentials.ts";
import { guidelineApi } from "./guideline.ts";
import { declareErrorResponses } from "./helpers.ts";
import { importApi } from "./import.ts";
import { incidentsApi } from "./incidents.ts";
import { meApi } from "./me.ts";
import { noticesApi } from "./notices.ts";
import { notificationsApi } from "./notifications.ts";
import { orgApi } from "./org.ts";
import { policiesApi } from "./policies.ts";
import { postsApi } from "./posts.ts";
import { publishingApi } from "./publishing.ts";
import { staffApi } from "./staff.ts";
import { violationsApi } from "./violations.ts";

/**
 * Bearer token, or a fully signed-in session; otherwise 401. A session's state-changing call
 * without its CSRF token (or from another origin) is a 403.
 */
const apiAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("apiActor", undefined);
  const header = c.req.header("authorization");
  if (header?.startsWith("Bearer ")) {
    const actor = await resolveApiToken(c.var.app, header.slice("Bearer ".length).trim());
    if (!actor) throw new AppError("unauthenticated", "APIトークンが無効か、有効期限が切れています。");
    if (actor.kind === "staff" && (await secondFactorMissing(c.var.app.db, actor)))
      throw new AppError("forbidden", SECOND_FACTOR_MISSING);
    c.set("apiActor", actor);
    return next();
  }
  return loadSession(c, async () => {
    const session = c.var.session;
    if (session?.state !== "active")
      throw new AppError("unauthenticated", "認証が必要です。APIトークンを指定してください。");
    if (session.secondFactorMissing) throw new AppError("forbidden", SECOND_FACTOR_MISSING);
    c.set("apiActor", session.actor);
    if (!(await csrfAllows(c))) throw csrfRefused();
    await next();
  });
};

/** Builds the API application. */
export function apiRoutes() {
  const api = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const fields = result.error.issues.map((i) => ({
        field: i.path.map(String).join("."),
        message: i.message,
      }));
      return c.json(
        {
          error: {
            code: "validation",
            message: fields[0]?.message ?? "入力内容を確認してください。",
            fields,
          },
        },
        422,
      );
    },
  });

  api.openAPIRegistry.registerComponent("securitySchemes", "ApiToken", {
    type: "http",
    scheme: "bearer",
    description: "個人のAPIトークン（アカウント設定で作成）。所有者の権限で動作します。",
  });

  registerPublicApi(api.openAPIRegistry);

  api.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "snsgov API",
      version: "1",
      description: `${c.var.app.config.cityName}ソーシャルメディア運用管理システムのAPI。すべての操作は画面と同じ権限・同じ監査ログで処理されます。`,
    },
    servers: [{ url: `${c.var.app.config.publicUrl}/api/v1` }],
    security: [{ ApiToken: [] }],
  }));

  api.use("*", async (c, next) => {
    c.header("Cache-Control", "no-store");
    if (c.req.path.endsWith("/openapi.json")) return next();
    return apiAuth(c, next);
  });

  api.route("/", meApi());
  api.route("/", orgApi());
  api.route("/", checkApi());
  api.route("/", importApi());
  api.route("/", staffApi());
  api.route("/", auditApi());
  api.route("/", accountsApi());
  api.route("/", policiesApi());
  api.route("/", noticesApi());
  api.route("/", credentialsApi());
  api.route("/", archiveApi());
  api.route("/", publishingApi());
  api.route("/", postsApi());
  api.route("/", incidentsApi());
  api.route("/", notificationsApi());
  api.route("/", guidelineApi());
  api.route("/", councilApi());
  api.route("/", violationsApi());
  api.route("/", consultationsApi());
  declareErrorResponses(api.openAPIRegistry);

  // Last: any other path under /api/v1 (the site's own not-found page is for pages).
  api.all("*", (c) => errorJson(c, pageNotFound()));
  api.onError(handleJsonError);

  return api;
}
