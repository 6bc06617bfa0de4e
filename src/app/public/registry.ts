/**
 * What citizens may see of the registry (4.4.1, 4.4.2): every account in a public status
 * (運用中, 変更予告中, 廃止予告中) and, for the verification page, the closed ones (formerly
 * official, forever), with the marking of a hijacked account (7.3(1)). Loaded with four queries
 * (and one per compromise source) into one snapshot per cache generation and Tokyo
 * day, so list pages, feeds and verification answers are computed without the database.
 *
 * Public data needs no authorization: it is what the guideline requires the city to publish.
 * Nothing here returns staff names, credentials, applications or internal notes.
 */
import {
  currentPolicyVersions,
  listAccountsByStatus,
  listAppliedChanges,
  listNoticesShownOn,
} from "../../db/repos/public.ts";
import { type AccountStatus, isAccountStatus, publicStatuses } from "../../domain/accounts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { canonicalHandle, type PreparedHandle, prepareHandle } from "../../domain/lookalike.ts";
import { type NoticeDetails, toNoticeDetails } from "../../domain/notices.ts";
import { parseAccountUrl, parseAnyAccountUrl } from "../../domain/platforms.ts";
import { guidelinePack, type Platform, platformLabel, platforms } from "../../guideline/pack.ts";
import type { AppContext } from "../context.ts";
import { cachePerContext } from "./cache.ts";

/** The status words citizens read (a notice running is said plainly). */
export const publicStatusLabels: Partial<Record<AccountStatus, string>> = {
  active: "運用中",
  change_announced: "変更のお知らせあり",
  closure_announced: "運用終了のお知らせあり",
  closed: "運用終了",
};

/** The change or closure notice running for an account (4.5.2), as the list mentions it. */
export type RunningNotice = { id: number; kind: "change" | "closure"; effectiveDate: string };

/** An account as the public pages show it (4.4.2 ①–③ plus its division). */
export type PublicAccount = {
  id: number;
  platform: string;
  /** ① サービス名 */
  service: string;
  /** ② アカウント名 and its 通称 */
  name: string;
  alias: string;
  handle: string;
  /** ③ アカウントURL, exactly as registered (never shortened, 4.4.4). */
  url: string;
  /** The account's page on the city site (所管サイトURL). */
  homepageUrl: string;
  status: AccountStatus;
  statusLabel: string;
  closedOn: string | null;
  divisionId: number;
  divisionName: string;
  departmentId: number;
  departmentName: string;
  /** Version number of the media policy in force, or null when none is published. */
  policyVersion: number | null;
  notice: RunningNotice | null;
  /**
   * 乗っ取り (7.3(1)): the account is marked 「現在、不正アクセスを受けています」 — since when, and the
   * notice 「○月○日○時以降の投稿は市によるものではありません」. Null when it is not.
   */
  compromise: AccountCompromise | null;
  /** `platform:handle` as verification compares it (Mastodon keeps its host). */
  key: string;
  /** The handle's skeleton and core, for lookalike warnings. */
  prepared: PreparedHandle;
};

/** A hijacked account's public marking (7.3(1)). */
export type AccountCompromise = { since: Date; notice: string };

/**
 * Sources of compromise markings, keyed by account id; the incidents feature adds one (乗っ取り,
 * 7.3(1)). Read with the snapshot, so the marking is dropped and reloaded with every change.
 */
export const compromiseSources: Array<(ctx: AppContext) => Promise<Map<number, AccountCompromise>>> = [];

/** The new account a running change notice announces (4.5.2), for verification. */
export type AnnouncedAccount = {
  noticeId: number;
  /** The official account that changes. */
  accountId: number;
  effectiveDate: string;
  /** `platform:handle` of the new account. */
  key: string;
  /** The new URL as announced, when the notice gives one. */
  url: string | null;
};

/** A name/URL an official account used before a change took effect (formerly official). */
export type PreviousAddress = {
  accountId: number;
  /** `platform:handle` of the old address. */
  key: string;
  url: string;
  handle: string;
  /** The Tokyo date the change took effect. */
  changedOn: string;
};

/** One snapshot of the public registry. */
export type PublicRegistry = {
  /** The Tokyo date the snapshot was taken for. */
  today: string;
  /** Official now: public statuses, in organisation order. */
  accounts: PublicAccount[];
  /** Formerly official: closed accounts. */
  closed: PublicAccount[];
  byId: Map<number, PublicAccount>;
  /** Departments that have official accounts, for the filter. */
  departments: Array<{ id: number; name: string }>;
  /** Platforms that have official accounts, in the pack's order, for the filter. */
  platforms: Platform[];
  /** New accounts announced by change notices that are not effective yet. */
  announced: AnnouncedAccount[];
  /** Old addresses of official (or closed) accounts, from changes that took effect. */
  previous: PreviousAddress[];
};

function isPlatform(value: string): value is Platform {
  return (platforms as readonly string[]).includes(value);
}

/**
 * The key verification compares: the platform and the handle as the platform reads it from the
 * registered URL (falling back to the registered handle). Mastodon handles keep their host.
 */
export function accountKey(platform: string, url: string, handle: string): string {
  if (isPlatform(platform)) {
    const parsed = parseAccountUrl(guidelinePack(), platform, url);
    if (parsed) return `${platform}:${handleKey(platform, parsed.handle)}`;
  }
  return `${platform}:${handleKey(platform, handle)}`;
}

/** The comparable form of a handle on `platform`. */
export function handleKey(platform: string, handle: string): string {
  if (platform === "mastodon") {
    const slash = handle.lastIndexOf("/");
    const host = slash >= 0 ? handle.slice(0, slash).toLowerCase() : "";
    return `${host}/${canonicalHandle(handle)}`;
  }
  return canonicalHandle(handle);
}

const snapshots = cachePerContext<PublicRegistry>({ maxEntries: 1 });

/** Loads the snapshot from the database (four queries). */
async function loadRegistry(ctx: AppContext, today: string): Promise<PublicRegistry> {
  const rows = await listAccountsByStatus(ctx.db, [...publicStatuses, "closed"]);
  const policies = await currentPolicyVersions(ctx.db);
  const notices = await listNoticesShownOn(ctx.db, today);
  const compromised = new Map<number, AccountCompromise>();
  for (const source of compromiseSources)
    for (const [id, mark] of await source(ctx)) compromised.set(id, mark);
  const running = new Map<number, RunningNotice>();
  const rowsById = new Map(rows.map((r) => [r.id, r]));
  const announced: AnnouncedAccount[] = [];
  for (const n of notices) {
    if (n.status !== "announced") continue;
    if ((n.kind === "change" || n.kind === "closure") && !running.has(n.accountId))
      running.set(n.accountId, { id: n.id, kind: n.kind, effectiveDate: n.effectiveDate });
    const account = rowsById.get(n.accountId);
    if (n.kind !== "change" || !account) continue;
    const target = announcedKey(toNoticeDetails(n.details), account.platform);
    if (target)
      announced.push({
        noticeId: n.id,
        accountId: n.accountId,
        effectiveDate: n.effectiveDate,
        key: target.key,
        url: target.url,
      });
  }
  const accounts: PublicAccount[] = [];
  const closed: PublicAccount[] = [];
  for (const row of rows) {
    const status: AccountStatus = isAccountStatus(row.status) ? row.status : "closed";
    const key = accountKey(row.platform, row.url, row.handle);
    const account: PublicAccount = {
      id: row.id,
      platform: row.platform,
      service: platformLabel(row.platform),
      name: row.name,
      alias: row.alias,
      handle: row.handle,
      url: row.url,
      homepageUrl: row.homepageUrl,
      status,
      statusLabel: publicStatusLabels[status] ?? "",
      closedOn: row.closedOn,
      divisionId: row.divisionId,
      divisionName: row.divisionName,
      departmentId: row.departmentId,
      departmentName: row.departmentName,
      policyVersion: policies.get(row.id) ?? null,
      notice: running.get(row.id) ?? null,
      compromise: status === "closed" ? null : (compromised.get(row.id) ?? null),
      key,
      prepared: prepareHandle(key.slice(key.indexOf(":") + 1)),
    };
    (status === "closed" ? closed : accounts).push(account);
  }
  const previous: PreviousAddress[] = [];
  for (const change of await listAppliedChanges(ctx.db)) {
    const account = rowsById.get(change.accountId);
    const before =
      typeof change.snapshot === "object" && change.snapshot !== null
        ? toNoticeDetails(Reflect.get(change.snapshot, "before"))
        : {};
    if (!account || !before.url) continue;
    const key = accountKey(before.platform ?? account.platform, before.url, before.handle ?? "");
    if (key === accountKey(account.platform, account.url, account.handle)) continue;
    previous.push({
      accountId: account.id,
      key,
      url: before.url,
      handle: before.handle ?? "",
      changedOn: tokyoDate(change.at),
    });
  }
  const departments = new Map<number, string>();
  for (const a of accounts) departments.set(a.departmentId, a.departmentName);
  const used = new Set(accounts.map((a) => a.platform));
  return {
    today,
    accounts,
    closed,
    byId: new Map([...accounts, ...closed].map((a) => [a.id, a])),
    departments: [...departments].map(([id, name]) => ({ id, name })),
    platforms: platforms.filter((p) => used.has(p)),
    announced,
    previous,
  };
}

/** The key of the account a change announces: from its new URL, else its new handle. */
function announcedKey(
  details: NoticeDetails,
  currentPlatform: string,
): { key: string; url: string | null } | null {
  if (details.url) {
    const parsed = parseAnyAccountUrl(guidelinePack(), details.url);
    if (parsed)
      return { key: `${parsed.platform}:${handleKey(parsed.platform, parsed.handle)}`, url: details.url };
  }
  if (details.handle) {
    const platform = details.platform ?? currentPlatform;
    return { key: `${platform}:${handleKey(platform, details.handle)}`, url: details.url ?? null };
  }
  return null;
}

/** The public registry for today (Tokyo), from memory unless something changed. */
export function publicRegistry(ctx: AppContext): Promise<PublicRegistry> {
  const now = ctx.clock.now();
  return snapshots(ctx).getOrCreate("registry", now, () => loadRegistry(ctx, tokyoDate(now)));
}

/** Filters citizens can apply to the list (unknown values are ignored, not errors). */
export type PublicFilter = { platform?: Platform; departmentId?: number };

/**
 * Reads the list's filters from query values, keeping only values that can match: a known
 * platform, a department that has official accounts.
 */
export function parsePublicFilter(
  registry: PublicRegistry,
  query: { platform?: string | undefined; department?: string | undefined },
): PublicFilter {
  const filter: PublicFilter = {};
  const platform = query.platform?.trim() ?? "";
  if (isPlatform(platform)) filter.platform = platform;
  const department = Number(query.department);
  if (Number.isSafeInteger(department) && registry.departments.some((d) => d.id === department))
    filter.departmentId = department;
  return filter;
}

/** The official accounts matching a filter. */
export function filterAccounts(registry: PublicRegistry, filter: PublicFilter): PublicAccount[] {
  return registry.accounts.filter(
    (a) =>
      (filter.platform === undefined || a.platform === filter.platform) &&
      (filter.departmentId === undefined || a.departmentId === filter.departmentId),
  );
}
