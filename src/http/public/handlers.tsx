/**
 * What each public route produces on a cache miss: it calls one read use case (app/public) and
 * renders the result as a page, a feed or an answer. The routes (routes.tsx) read the request,
 * key the cache and hand these to `servePublic`.
 */
import { toCsvBytes } from "../../app/csv.ts";
import { accountNoticeSource, publicNotices } from "../../app/public/notices.ts";
import { publicAccountPage } from "../../app/public/policies.ts";
import type { PublicAccount, PublicFilter, PublicRegistry } from "../../app/public/registry.ts";
import { readAs, readVerifyInput, type VerifyInput, verifyAccount } from "../../app/public/verify.ts";
import { tokyoDate } from "../../domain/dates.ts";
import type { HttpContext } from "../env.ts";
import { AccountPage, PolicyVersionPage } from "./account-view.tsx";
import { AccountsPage } from "./accounts-view.tsx";
import { HTML, notFoundBody, publicPage } from "./document.tsx";
import { accountsCsvRows, accountsJson, EmbedAccounts } from "./feeds.tsx";
import { NoticesPage } from "./notices-view.tsx";
import type { PublicBody } from "./serve.ts";
import { VerifyPage, verifyJson } from "./verify-view.tsx";

/** The registry, the filter read from the query, and the accounts it selects. */
export type Listing = { registry: PublicRegistry; filter: PublicFilter; accounts: PublicAccount[] };

const JSON_TYPE = "application/json; charset=utf-8";

/** /public/accounts, with the running warnings (なりすまし 7.3.1, corrections 7.4) in its banner. */
export async function accountsBody(c: HttpContext, listing: Listing): Promise<PublicBody> {
  const cityName = c.var.app.config.cityName;
  const sections = await publicNotices(c.var.app);
  const warnings = sections
    .filter((s) => s.key !== accountNoticeSource.key && s.items.length > 0)
    .map((s) => ({ key: s.key, title: s.title, count: s.items.length }));
  return publicPage(
    c,
    {
      title: "公式アカウント一覧",
      current: "accounts",
      description: `${cityName}の公式ソーシャルメディアアカウントの一覧です。`,
    },
    <AccountsPage
      cityName={cityName}
      registry={listing.registry}
      filter={listing.filter}
      accounts={listing.accounts}
      warnings={warnings}
    />,
  );
}

/** /public/accounts.json */
export function accountsJsonBody(c: HttpContext, listing: Listing): PublicBody {
  const ctx = c.var.app;
  return {
    status: 200,
    type: JSON_TYPE,
    headers: { "Access-Control-Allow-Origin": "*" },
    body: accountsJson({
      cityName: ctx.config.cityName,
      base: ctx.config.publicUrl,
      today: listing.registry.today,
      generatedAt: ctx.clock.now(),
      accounts: listing.accounts,
    }),
  };
}

/** /public/accounts.csv (UTF-8 with BOM for Excel). */
export function accountsCsvBody(c: HttpContext, listing: Listing): PublicBody {
  const today = listing.registry.today;
  const japaneseName = encodeURIComponent(`公式アカウント一覧_${today}.csv`);
  return {
    status: 200,
    type: "text/csv; charset=utf-8",
    headers: {
      "Access-Control-Allow-Origin": "*",
      "Content-Disposition": `attachment; filename="official-accounts-${today}.csv"; filename*=UTF-8''${japaneseName}`,
    },
    body: toCsvBytes(accountsCsvRows(listing.accounts, c.var.app.config.publicUrl)),
  };
}

/** /public/embed/accounts (an HTML fragment). */
export function embedBody(c: HttpContext, listing: Listing): PublicBody {
  const config = c.var.app.config;
  const fragment = (
    <EmbedAccounts
      cityName={config.cityName}
      base={config.publicUrl}
      today={listing.registry.today}
      accounts={listing.accounts}
    />
  );
  return { status: 200, type: HTML, body: fragment.toString() };
}

/** /public/accounts/{id} */
export async function accountBody(c: HttpContext, id: number): Promise<PublicBody> {
  const data = await publicAccountPage(c.var.app, id);
  if (!data) return notFoundBody(c);
  const title = data.account.status === "closed" ? `${data.account.name}（運用終了）` : data.account.name;
  return publicPage(
    c,
    { title, current: "accounts" },
    <AccountPage page={data} cityName={c.var.app.config.cityName} />,
  );
}

/** /public/accounts/{id}/policy/{version} */
export async function policyBody(c: HttpContext, id: number, version: number): Promise<PublicBody> {
  const data = await publicAccountPage(c.var.app, id);
  const policy = data?.policies.find((p) => p.version === version);
  if (!data || !policy) return notFoundBody(c);
  return publicPage(
    c,
    { title: `${data.account.name} メディアポリシー 第${version}版`, current: "accounts" },
    <PolicyVersionPage page={data} policy={policy} />,
  );
}

/** /public/notices */
export async function noticesBody(c: HttpContext): Promise<PublicBody> {
  const ctx = c.var.app;
  const sections = await publicNotices(ctx);
  return publicPage(
    c,
    { title: "公式アカウントに関するお知らせ", current: "notices" },
    <NoticesPage sections={sections} today={tokyoDate(ctx.clock.now())} cityName={ctx.config.cityName} />,
  );
}

/** /public/verify */
export async function verifyBody(c: HttpContext, input: VerifyInput, platform: string): Promise<PublicBody> {
  const ctx = c.var.app;
  const outcome = await verifyAccount(ctx, input);
  return publicPage(
    c,
    { title: outcome.kind === "answer" ? "確認結果" : "公式アカウントか確かめる", current: "verify" },
    <VerifyPage
      outcome={outcome}
      input={readAs(readVerifyInput(input))}
      platform={platform}
      cityName={ctx.config.cityName}
    />,
  );
}

/** /public/verify.json (422 with a Japanese message when the input cannot be read). */
export async function verifyJsonBody(c: HttpContext, input: VerifyInput): Promise<PublicBody> {
  const ctx = c.var.app;
  const outcome = await verifyAccount(ctx, input);
  const headers = { "Access-Control-Allow-Origin": "*" };
  if (outcome.kind !== "answer") {
    const message =
      outcome.kind === "invalid" ? outcome.message : "url にアカウントのURLかユーザー名を指定してください。";
    return {
      status: 422,
      type: JSON_TYPE,
      headers,
      body: JSON.stringify({ error: { code: "validation", message } }),
    };
  }
  const body = verifyJson(outcome, { cityName: ctx.config.cityName, base: ctx.config.publicUrl });
  return { status: 200, type: JSON_TYPE, headers, body: JSON.stringify(body) };
}
