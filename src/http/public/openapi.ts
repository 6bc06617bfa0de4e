/**
 * The public feeds in the OpenAPI document (/api/v1/openapi.json): `/public/accounts.json` and
 * `/public/verify.json`. They live outside /api/v1 (no token, cached, open to any origin), so
 * each operation names its own server: the site root.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { platforms } from "../../guideline/pack.ts";
import type { AppEnv } from "../env.ts";

const noticeRef = z
  .object({
    kind: z.enum(["change", "closure"]).openapi({ description: "change: 変更, closure: 運用終了" }),
    effectiveDate: z
      .string()
      .openapi({ example: "2027-01-05", description: "変更日・運用終了日（YYYY-MM-DD）" }),
    page: z.string().openapi({ description: "お知らせのURL" }),
  })
  .nullable();

/** One official account in the public feeds (4.4.2 ①–③ plus the division). */
export const publicAccountSchema = z
  .object({
    id: z.number().int(),
    service: z.string().openapi({ example: "X（旧Twitter）", description: "サービス名（第4-4(2)①）" }),
    platform: z.enum(platforms).or(z.string()).openapi({ example: "x" }),
    name: z.string().openapi({ example: "いわき市", description: "アカウント名（第4-4(2)②）" }),
    alias: z.string().openapi({ description: "通称（ない場合は空文字列）" }),
    handle: z.string().openapi({ example: "iwaki_city" }),
    url: z.string().openapi({
      example: "https://x.com/iwaki_city",
      description: "アカウントURL。短縮せず登録どおり（第4-4(2)③）",
    }),
    department: z.string().openapi({ example: "総合政策部" }),
    division: z.string().openapi({ example: "広報広聴課" }),
    status: z.enum(["active", "change_announced", "closure_announced", "closed"]).or(z.string()),
    statusLabel: z.string().openapi({ example: "運用中" }),
    page: z.string().openapi({ description: "アカウントとメディアポリシーの公開ページ" }),
    policyVersion: z.number().int().nullable().openapi({ description: "公開中のメディアポリシーの版" }),
    notice: noticeRef,
    compromised: z
      .object({
        since: z.string().openapi({ description: "不正アクセスが始まった日時（ISO 8601, UTC）" }),
        message: z.string().openapi({ example: "現在、不正アクセスを受けています" }),
        notice: z.string().openapi({ example: "11月24日10時以降の投稿は市によるものではありません" }),
        page: z.string().openapi({ description: "お知らせのURL" }),
      })
      .nullable()
      .openapi({ description: "乗っ取り（第7-3(1)）: 回復するまで表示します" }),
  })
  .openapi("PublicAccount");

/** The body of /public/accounts.json. */
export const publicAccountListSchema = z
  .object({
    municipality: z.string().openapi({ example: "いわき市" }),
    date: z.string().openapi({ example: "2026-11-24", description: "この一覧の日付（日本時間）" }),
    generatedAt: z.string().openapi({ description: "作成日時（ISO 8601, UTC）" }),
    count: z.number().int(),
    accounts: z.array(publicAccountSchema),
  })
  .openapi("PublicAccountList");

const withClosed = publicAccountSchema.extend({
  closedOn: z.string().nullable().openapi({ description: "運用終了日（運用終了したアカウントのみ）" }),
});

/** The body of /public/verify.json. */
export const verifyAnswerSchema = z
  .object({
    input: z.string().openapi({
      example: "https://x.com/iwaki_city",
      description: "読み取ったURLまたはユーザー名（投稿のURLはアカウントのURLとして）",
    }),
    verdict: z.enum(["official", "announced", "formerly_official", "not_official"]).openapi({
      description:
        "official: 公式アカウント / announced: 変更のお知らせで予告中の新しいアカウント / formerly_official: 以前の公式アカウント（運用終了、または変更前のアドレス） / not_official: 公式ではない",
    }),
    message: z.string().openapi({ description: "結果を説明する日本語の文" }),
    date: z.string(),
    official: z.array(withClosed),
    formerlyOfficial: z.array(withClosed),
    renamed: z
      .array(z.object({ account: withClosed, oldUrl: z.string(), changedOn: z.string() }))
      .openapi({ description: "変更前にこのアドレスを使っていた公式アカウント（現在は別のURL）" }),
    announced: z.array(z.object({ account: withClosed, effectiveDate: z.string(), notice: z.string() })),
    knownImpersonation: z
      .object({ since: z.string(), noticeId: z.number().int().nullable() })
      .nullable()
      .openapi({ description: "確認済みのなりすましアカウント（第7-3(1)）" }),
    lookalikes: z.array(
      z.object({
        account: withClosed,
        reason: z.enum(["homoglyph", "affix", "typo", "other_platform"]),
        reasonLabel: z.string(),
      }),
    ),
  })
  .openapi("VerifyAnswer");

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const listQuery = z.object({
  platform: z.enum(platforms).optional().openapi({ description: "サービスで絞り込む" }),
  department: z.coerce.number().int().positive().optional().openapi({ description: "部のIDで絞り込む" }),
});

/** Registers the public feeds in the API's OpenAPI registry (called once by api/routes.ts). */
export function registerPublicApi(registry: OpenAPIHono<AppEnv>["openAPIRegistry"]): void {
  const common = {
    servers: [{ url: "/", description: "公開ページ（認証不要）" }],
    security: [],
    tags: ["public"],
  };
  registry.registerPath({
    ...common,
    method: "get",
    path: "/public/accounts.json",
    operationId: "listPublicAccounts",
    summary: "公式アカウント一覧（認証不要・オープンデータ）",
    description:
      "運用中・変更予告中・廃止予告中の公式アカウント（第4-4(1), (2)）。60秒間キャッシュされます。同じ内容のCSVは /public/accounts.csv、市のCMSに埋め込むHTML断片は /public/embed/accounts です。",
    request: { query: listQuery },
    responses: {
      200: {
        content: { "application/json": { schema: publicAccountListSchema } },
        description: "公式アカウント一覧",
      },
    },
  });
  registry.registerPath({
    ...common,
    method: "get",
    path: "/public/verify.json",
    operationId: "verifyOfficialAccount",
    summary: "公式アカウントか確かめる（認証不要）",
    description:
      "URL（投稿のURL、https:// のないURLも可）または @ユーザー名 が市の公式アカウントかを答え、公式アカウントに似た名前なら lookalikes で知らせます。",
    request: {
      query: z.object({
        url: z.string().openapi({ example: "https://x.com/iwaki_city", description: "URLまたはユーザー名" }),
        platform: z.enum(platforms).optional().openapi({ description: "ユーザー名で確かめるときのサービス" }),
      }),
    },
    responses: {
      200: { content: { "application/json": { schema: verifyAnswerSchema } }, description: "判定結果" },
      422: {
        content: { "application/json": { schema: errorBody } },
        description: "URLまたはユーザー名として読み取れない",
      },
    },
  });
}
