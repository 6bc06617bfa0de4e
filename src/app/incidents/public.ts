/**
 * What incidents show citizens, through the public pages' extension points: the なりすまし
 * warnings on /public/notices (7.3.1 市公式ホームページで周知), "not official — known
 * impersonation" on /public/verify for a recorded fake account (7.3.1), the marking of a hijacked
 * official account 「現在、不正アクセスを受けています」 on the registry's pages and its notice
 * (乗っ取り, 7.3(1)), and the 7.4 notices of correct information. Incident changes are audited with the target type `incident`, which is
 * added to the public pages' target types, so every change drops the public cache and the next
 * request shows it. The fake accounts are read once into memory and kept until the next change
 * (or the cache's TTL), so a surge of verifications does not reach the database.
 */
import {
  type Impersonation,
  listKnownImpersonations,
  listMarkedHijacks,
  listPublishedNotices,
  listShownWarnings,
} from "../../db/repos/incidents.ts";
import { formatDate, formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { HIJACK_MARKING, hijackNoticeText } from "../../domain/hijack.ts";
import { canonicalHandle } from "../../domain/lookalike.ts";
import { platformLabel } from "../../guideline/pack.ts";
import type { AppContext } from "../context.ts";
import { cachePerContext } from "../public/cache.ts";
import { publicTargetTypes } from "../public/feature.ts";
import {
  type NoticeFact,
  type NoticeSource,
  noticeSources,
  type PublicNoticeItem,
} from "../public/notices.ts";
import { type AccountCompromise, compromiseSources, publicRegistry } from "../public/registry.ts";
import {
  comparableUrl,
  type KnownImpersonation,
  type KnownImpersonationCheck,
  knownImpersonationChecks,
} from "../public/verify.ts";
import { INCIDENT_TARGET } from "./record.ts";
import { hijackRecoveredNoticeSource } from "./recovered-notice.ts";

/** The public warning about one fake account, as /public/notices shows it (anchor `impersonation-{id}`). */
export function warningItem(
  row: Impersonation,
  account: PublicNoticeItem["account"],
  cityName: string,
): PublicNoticeItem {
  const handle = row.handle.startsWith("@") || row.handle.includes("/") ? row.handle : `@${row.handle}`;
  const facts: NoticeFact[] = [
    { label: "サービス", text: platformLabel(row.platform) },
    { label: "なりすましアカウント", text: `${handle}（${row.url}）` },
  ];
  if (account) facts.push({ label: "本物の公式アカウント", url: account.url });
  if (row.warningPublishedAt) facts.push({ label: "確認した日", date: tokyoDate(row.warningPublishedAt) });
  if (row.takenDownAt) facts.push({ label: "削除された日", date: tokyoDate(row.takenDownAt) });
  const name = account ? `「${account.alias || account.name}」` : "";
  return {
    anchor: `impersonation-${row.id}`,
    title: `${platformLabel(row.platform)}で${cityName}の公式アカウント${name}を装うアカウントにご注意ください`,
    kindLabel: "なりすまし注意",
    tone: "warning",
    account,
    facts,
    body: row.publicWarning,
  };
}

/** 7.3.1: warnings about accounts impersonating the city. */
export const impersonationNoticeSource: NoticeSource = {
  key: "impersonations",
  title: "なりすましアカウントにご注意ください",
  description:
    "市の公式アカウントを装うアカウント（なりすまし）を確認したときは、サービスの運営者に削除を依頼するとともに、このページでお知らせします（ガイドライン第7-3(1)）。公式アカウントかどうかは「公式アカウントの確認」ページで確かめられます。",
  empty: "現在、確認しているなりすましアカウントはありません。",
  async load(ctx) {
    const [registry, rows] = await Promise.all([
      publicRegistry(ctx),
      listShownWarnings(ctx.db, ctx.clock.now()),
    ]);
    return rows.map((row) =>
      warningItem(
        row,
        row.officialAccountId === null ? null : (registry.byId.get(row.officialAccountId) ?? null),
        ctx.config.cityName,
      ),
    );
  },
};

/** 7.4: correct information about false claims, when the city publishes it. */
export const correctionNoticeSource: NoticeSource = {
  key: "corrections",
  title: "事実と異なる情報についてのお知らせ",
  description:
    "市の公式アカウントに関連して事実と異なる情報が広がっている場合に、正しい情報をお知らせします（ガイドライン第7-4）。",
  empty: "現在、お知らせはありません。",
  async load(ctx, today) {
    const [registry, rows] = await Promise.all([publicRegistry(ctx), listPublishedNotices(ctx.db)]);
    return rows
      .filter((n) => n.until === null || n.until >= today)
      .map((n) => {
        const account = n.accountId === null ? null : (registry.byId.get(n.accountId) ?? null);
        const facts: NoticeFact[] = [{ label: "お知らせ日", date: tokyoDate(n.publishedAt) }];
        if (n.until) facts.push({ label: "掲載期間", text: `${formatDate(n.until)}まで` });
        return {
          anchor: `correction-${n.incidentId}`,
          title: n.title,
          kindLabel: "正しい情報",
          tone: "info" as const,
          account,
          facts,
          body: n.text,
        };
      });
  },
};

/**
 * 乗っ取り (7.3(1)): the official accounts marked 「現在、不正アクセスを受けています」 — published by
 * a responder and not yet recovered — with the notice naming the hour since when.
 */
export async function compromisedAccounts(ctx: AppContext): Promise<Map<number, AccountCompromise>> {
  const rows = await listMarkedHijacks(ctx.db);
  return new Map(
    rows.map((r) => [
      r.accountId,
      { since: r.compromisedSince, notice: hijackNoticeText(r.compromisedSince) },
    ]),
  );
}

/** 7.3(1) 市公式ホームページで周知: the notice about each hijacked account, while it is marked. */
export const hijackNoticeSource: NoticeSource = {
  key: "hijacks",
  title: "不正アクセスを受けている公式アカウント",
  description:
    "市の公式アカウントが第三者による不正アクセス（乗っ取り）を受けたときは、回復するまでこのページと公式アカウント一覧でお知らせします（ガイドライン第7-3(1)）。",
  empty: "現在、不正アクセスを受けている公式アカウントはありません。",
  async load(ctx) {
    const registry = await publicRegistry(ctx);
    return registry.accounts
      .filter((a) => a.compromise !== null)
      .map((account) => {
        const since = account.compromise?.since ?? new Date(0);
        const facts: NoticeFact[] = [
          { label: "サービス", text: account.service },
          { label: "アカウント", url: account.url },
          { label: "不正アクセスが始まった日時", text: formatDateTime(since) },
        ];
        return {
          anchor: `hijack-${account.id}`,
          title: `${account.service}の公式アカウント「${account.alias || account.name}」は、${HIJACK_MARKING}`,
          kindLabel: "不正アクセス",
          tone: "warning" as const,
          account,
          facts,
          body: `${hijackNoticeText(since)}。このアカウントからのメッセージに返信したり、リンクを開いたりしないでください。回復しましたら、このページでお知らせします。`,
        };
      });
  },
};

type KnownIndex = Array<{
  platform: string;
  handle: string;
  url: string | null;
  since: string;
  noticeId: number | null;
}>;

const knownCache = cachePerContext<KnownIndex>({ maxEntries: 1 });

async function knownIndex(ctx: AppContext): Promise<KnownIndex> {
  const now = ctx.clock.now();
  return knownCache(ctx).getOrCreate("known", now, async () => {
    const rows = await listKnownImpersonations(ctx.db);
    return rows.map((r) => {
      const shown =
        r.warningPublishedAt !== null &&
        r.warningPublishedAt.getTime() <= now.getTime() &&
        (r.warningEndsAt === null || r.warningEndsAt.getTime() > now.getTime());
      return {
        platform: r.platform,
        handle: canonicalHandle(r.handle),
        url: comparableUrl(r.url),
        since: tokyoDate(r.warningPublishedAt ?? r.createdAt),
        noticeId: shown ? r.id : null,
      };
    });
  });
}

/** 7.3.1: a URL or handle recorded as a fake account is "not official — known impersonation". */
export const knownImpersonationCheck: KnownImpersonationCheck = async (ctx, target) => {
  const index = await knownIndex(ctx);
  const url = target.url ? comparableUrl(target.url) : null;
  const handle = target.handle ? canonicalHandle(target.handle) : null;
  const hit = index.find(
    (k) =>
      (url !== null && k.url === url) ||
      (handle !== null &&
        k.handle === handle &&
        (target.platform === null || target.platform === k.platform)),
  );
  if (!hit) return null;
  const known: KnownImpersonation = { since: hit.since, noticeId: hit.noticeId };
  return known;
};

let registered = false;

/** Plugs the incidents into the public pages (once per process). */
export function registerPublicIncidents(): void {
  if (registered) return;
  registered = true;
  noticeSources.push(
    hijackNoticeSource,
    hijackRecoveredNoticeSource,
    impersonationNoticeSource,
    correctionNoticeSource,
  );
  compromiseSources.push(compromisedAccounts);
  knownImpersonationChecks.push(knownImpersonationCheck);
  if (!publicTargetTypes.includes(INCIDENT_TARGET)) publicTargetTypes.push(INCIDENT_TARGET);
}
