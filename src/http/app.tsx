/**
 * The HTTP application: secure headers, the input guard, sessions, CSRF, the staff pages, the
 * JSON API and the health check, with one error handler mapping every error (http/errors.ts) to
 * a Japanese page, or to the API's JSON body for /api/ and .json paths.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppContext } from "../app/context.ts";
import { type AppError, pageNotFound } from "../errors.ts";
import { apiRoutes } from "./api/routes.ts";
import { mountAssets } from "./assets.ts";
import { calendarRoutes } from "./calendar.ts";
import type { AppEnv } from "./env.ts";
import {
  handleJsonError,
  logDatabaseRefusal,
  MAX_BODY_BYTES,
  toAppError,
  tooLarge,
  wantsJson,
} from "./errors.ts";
import { healthRoute } from "./health.ts";
import { csrfProtection, csrfRefusalMessage } from "./middleware/csrf.ts";
import { inputGuard } from "./middleware/input-guard.ts";
import { loadSession, requireSignedIn } from "./middleware/session.ts";
import { enforceTwoFactor } from "./middleware/two-factor.ts";
import { mediaRoutes } from "./public/media-routes.ts";
import { publicRoutes } from "./public/routes.tsx";
import { hasCompleteHeaders } from "./public/serve.ts";
import { render } from "./render.tsx";
import { securityHeaders } from "./security-headers.ts";
import { accountRoutes } from "./staff/account-routes.tsx";
import { adminRoutes } from "./staff/admin-routes.tsx";
import { archiveRoutes } from "./staff/archive-routes.tsx";
import { auditRoutes } from "./staff/audit-routes.tsx";
import { authRoutes, type DemoLogin } from "./staff/auth-routes.tsx";
import { connectionRoutes } from "./staff/connection-routes.tsx";
import { consultationRoutes } from "./staff/consultation-routes.tsx";
import { councilRoutes } from "./staff/council-routes.tsx";
import { credentialRoutes } from "./staff/credential-routes.tsx";
import { dashboardRoutes } from "./staff/dashboard.tsx";
import { guidelineRoutes } from "./staff/guideline-routes.tsx";
import { importRoutes } from "./staff/import-routes.tsx";
import { incidentRoutes } from "./staff/incident-routes.tsx";
import { noticeRoutes } from "./staff/notice-routes.tsx";
import { loadUnreadNotifications, notificationRoutes } from "./staff/notification-routes.tsx";
import { orgRoutes } from "./staff/org-routes.tsx";
import { policyRoutes } from "./staff/policy-routes.tsx";
import { postRoutes } from "./staff/post-routes.tsx";
import { publishingRoutes } from "./staff/publishing-routes.tsx";
import { registryRoutes } from "./staff/registry-routes.tsx";
import { sessionRoutes } from "./staff/session-routes.tsx";
import { staffRoutes } from "./staff/staff-routes.tsx";
import { transferRoutes } from "./staff/transfer-routes.tsx";
import { violationRoutes } from "./staff/violation-routes.tsx";

export type HttpOptions = {
  demoLogins?: DemoLogin[];
  /** The embedded database's data folder, which /healthz checks it can write to. */
  dataDir?: string;
};

/** Requests without a body to limit (asking one for its body builds a whole WHATWG Request). */
const bodiless = new Set(["GET", "HEAD"]);

function errorPage(error: AppError) {
  const titles: Record<number, string> = {
    401: "ログインが必要です",
    403: "権限がありません",
    404: "ページが見つかりません",
    409: "操作を完了できませんでした",
    413: "送信されたデータが大きすぎます",
    415: "送信できない形式です",
    422: "入力内容を確認してください",
    429: "しばらくお待ちください",
    503: "ただいま利用できません",
  };
  // A form that expired or came from elsewhere is not a missing permission.
  if (error.message === csrfRefusalMessage)
    return { title: "送信を受け付けられませんでした", message: error.message };
  return { title: titles[error.status] ?? "送信内容を確認してください", message: error.message };
}

/** A page's answer to an AppError: off to the login page for a 401, else a Japanese error page. */
function errorResponse(c: Context<AppEnv>, error: AppError) {
  if (error.status === 401) return c.redirect("/login", 303);
  const page = errorPage(error);
  return render(
    c,
    page.title,
    <>
      <h1>{page.title}</h1>
      <p>{page.message}</p>
      <p>
        <a href="/">ダッシュボードへ戻る</a>
      </p>
    </>,
    error.status,
  );
}

/** Builds the web application around a use-case context. */
export function createHttpApp(ctx: AppContext, options: HttpOptions = {}) {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    c.set("app", ctx);
    await next();
  });
  app.use(securityHeaders(ctx.config, hasCompleteHeaders));
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw tooLarge();
    },
  });
  app.use((c, next) => (bodiless.has(c.req.method) ? next() : limit(c, next)));

  app.get("/healthz", healthRoute(options.dataDir));
  mountAssets(app);
  app.use(inputGuard);

  app.route("/api/v1", apiRoutes());
  app.route("/", publicRoutes());
  app.route("/", mediaRoutes());
  app.route("/", calendarRoutes());

  app.use(loadSession);
  app.use(csrfProtection);
  app.use(loadUnreadNotifications);
  app.route("/", authRoutes(options.demoLogins));

  const staff = new Hono<AppEnv>();
  staff.use(requireSignedIn);
  staff.use(enforceTwoFactor);
  staff.route("/", dashboardRoutes());
  staff.route("/", accountRoutes());
  staff.route("/", sessionRoutes());
  staff.route("/", orgRoutes());
  staff.route("/", importRoutes());
  staff.route("/", staffRoutes());
  staff.route("/", transferRoutes());
  staff.route("/", auditRoutes());
  staff.route("/", adminRoutes());
  staff.route("/", registryRoutes());
  staff.route("/", policyRoutes());
  staff.route("/", noticeRoutes());
  staff.route("/", credentialRoutes());
  staff.route("/", connectionRoutes());
  staff.route("/", archiveRoutes());
  staff.route("/", incidentRoutes());
  staff.route("/", publishingRoutes());
  staff.route("/", postRoutes());
  staff.route("/", notificationRoutes());
  staff.route("/", guidelineRoutes());
  staff.route("/", councilRoutes());
  staff.route("/", violationRoutes());
  staff.route("/", consultationRoutes());
  app.route("/", staff);

  // The same page as any other 404 (a record someone may not know exists, a bad id).
  app.notFound((c) => errorResponse(c, pageNotFound()));

  app.onError((error, c) => {
    if (wantsJson(c)) return handleJsonError(error, c);
    const known = toAppError(error);
    if (known) {
      logDatabaseRefusal(c, known);
      return errorResponse(c, known);
    }
    ctx.log.error("unhandled error", { path: c.req.path, method: c.req.method, error });
    return render(
      c,
      "システムエラー",
      <>
        <h1>システムエラーが発生しました</h1>
        <p>
          申し訳ありません。処理を完了できませんでした。入力した内容は保存されていない可能性があります。時間をおいてもう一度お試しいただき、解決しない場合はシステム管理者にご連絡ください。
        </p>
      </>,
      500,
    );
  });

  return app;
}
