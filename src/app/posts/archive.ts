/**
 * Searching the archive of posts. Every post, version, finding, approval and publishing record is
 * kept; this finds them by account, division, text, date range, status, category, finding clause,
 * kind and erroneous marking, newest first, 50 to a page (keyset pagination, so the 2,000th page
 * costs what the first does). Visibility is the same as for one post: a division's posts are seen
 * by the division and those above it, by the account's operators and the manager's deputy
 * (5.1.4), by their author; the policy director, the security director and auditors see all.
 */
import {
  type AccountChoice,
  type ArchiveQuery,
  type ArchiveRow,
  type ArchiveScope,
  accountChoices,
  accountIdsOfDivisions,
  countArchive,
  firstArchivePage,
  postIdsCiting,
  searchArchive,
  visibleAccountIds,
} from "../../db/repos/archive.ts";
import { listDivisions } from "../../db/repos/org.ts";
import { tokyoDate } from "../../domain/dates.ts";
import type { Action } from "../../domain/policy.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { type ArchiveFilter, decodeCursor, encodeCursor, toArchiveQuery } from "./archive-filter.ts";

/** Results on one page. */
export const ARCHIVE_PAGE_SIZE = 50;

/**
 * Matches counted exactly up to this many; past it the page says 「10,000件以上」. Counting
 * everything costs a scan of every matching row; 10,000 keeps the count within the page's time
 * budget on both databases (bench/archive.ts) while any real request is narrower.
 */
export const ARCHIVE_COUNT_CAP = 10_000;

/** One page of results. */
export type ArchivePage = {
  rows: ArchiveRow[];
  /** Matches in all (at most ARCHIVE_COUNT_CAP; `capped` when there are more). */
  total: { count: number; capped: boolean };
  /** Position for the next (older) page, if any: pass as `after`. */
  next: string | null;
  /** Position for the previous (newer) page, if any: pass as `before`. */
  prev: string | null;
};

/** Divisions where the actor may do `action` (the policy decides, division by division). */
async function divisionsAllowed(ctx: AppContext, actor: Actor, action: Action): Promise<number[]> {
  const divisions = await listDivisions(ctx.db);
  return divisions
    .filter((d) => allowed(actor, action, { divisionId: d.id, departmentId: d.departmentId }))
    .map((d) => d.id);
}

/** The posts the actor may see in the archive (the same rule as for one post, plus authorship). */
export async function archiveScope(ctx: AppContext, actor: Actor): Promise<ArchiveScope> {
  if (actor.kind === "system" || allowed(actor, "post.read_all")) return { all: true };
  const divisionIds = await divisionsAllowed(ctx, actor, "post.read");
  const accountIds = await visibleAccountIds(ctx.db, {
    staffId: actor.staffId,
    divisionIds,
    departmentIds: [],
    today: tokyoDate(ctx.clock.now()),
  });
  return { all: false, accountIds, authorId: actor.staffId };
}

/**
 * The posts the actor may carry out of the system (情報公開請求): everything for the overseers;
 * for an account manager, the posts of the accounts of the divisions they manage. Refused (403,
 * with an `auth.denied` entry) when the conditions name a division the actor may not export, or
 * when they may export nothing.
 */
export async function exportScope(
  ctx: AppContext,
  actor: Actor,
  filter: Pick<ArchiveFilter, "divisionId" | "accountId">,
  divisionOfAccount: number | undefined,
): Promise<ArchiveScope> {
  if (actor.kind === "system" || allowed(actor, "post.export")) return { all: true };
  const divisions = await listDivisions(ctx.db);
  const target = (divisionId: number | null) => {
    const division = divisions.find((d) => d.id === divisionId);
    return { divisionId, departmentId: division?.departmentId ?? null };
  };
  const named = filter.divisionId ?? divisionOfAccount;
  if (named !== undefined) await authorize(ctx, actor, "post.export", target(named));
  const exportable = divisions
    .filter((d) => allowed(actor, "post.export", { divisionId: d.id, departmentId: d.departmentId }))
    .map((d) => d.id);
  if (exportable.length === 0) await authorize(ctx, actor, "post.export", target(actor.divisionId));
  return { all: false, accountIds: await accountIdsOfDivisions(ctx.db, exportable), authorId: null };
}

/** The repository's query for validated conditions (the clause looked up once). */
export async function archiveQuery(ctx: AppContext, filter: ArchiveFilter): Promise<ArchiveQuery> {
  return toArchiveQuery(filter, filter.clause ? await postIdsCiting(ctx.db, filter.clause) : undefined);
}

/** Anyone with a place in the organisation may search (what they find is narrowed by scope). */
async function authorizeSearch(ctx: AppContext, actor: Actor): Promise<void> {
  if (actor.kind === "system") return;
  await authorize(ctx, actor, "post.read", {
    divisionId: actor.divisionId,
    departmentId: actor.departmentId,
  });
}

/**
 * One page of the archive, newest first.
 * @param props.actor who is searching; only posts they may see are found or counted
 * @param props.filter validated conditions (parseArchiveFilter)
 * @param props.after position from `next` of the previous call (older posts)
 * @param props.before position from `prev` (newer posts)
 * @param props.limit page size (default 50)
 */
export async function searchPostArchive(
  ctx: AppContext,
  props: {
    actor: Actor;
    filter: ArchiveFilter;
    after?: string | undefined;
    before?: string | undefined;
    limit?: number | undefined;
  },
): Promise<ArchivePage> {
  await authorizeSearch(ctx, props.actor);
  const scope = await archiveScope(ctx, props.actor);
  const query = await archiveQuery(ctx, props.filter);
  const after = decodeCursor(props.after);
  const before = after ? undefined : decodeCursor(props.before);
  const limit = props.limit ?? ARCHIVE_PAGE_SIZE;
  const cap = ARCHIVE_COUNT_CAP;
  const [page, total] =
    after || before
      ? await Promise.all([
          searchArchive(ctx.db, { query, scope, after, before, limit }),
          countArchive(ctx.db, { query, scope, cap }),
        ])
      : await firstArchivePage(ctx.db, { query, scope, limit, cap }).then(
          (first) => [first, { count: first.count, capped: first.capped }] as const,
        );
  const first = page.rows[0];
  const last = page.rows.at(-1);
  const backwards = before !== undefined;
  const olderExist = backwards ? page.rows.length > 0 : page.more;
  const newerExist = backwards ? page.more : after !== undefined;
  return {
    rows: page.rows,
    total,
    next: olderExist && last ? encodeCursor(last.cursor) : null,
    prev: newerExist && first ? encodeCursor(first.cursor) : null,
  };
}

/** Accounts (with their divisions) to offer as conditions: those whose posts the actor may see. */
export async function archiveChoices(ctx: AppContext, actor: Actor): Promise<AccountChoice[]> {
  const scope = await archiveScope(ctx, actor);
  return accountChoices(ctx.db, scope.all ? null : scope.accountIds);
}

/** Whether the actor may export at least something (to show the export links). */
export async function mayExportArchive(ctx: AppContext, actor: Actor): Promise<boolean> {
  if (actor.kind === "system" || allowed(actor, "post.export")) return true;
  return (await divisionsAllowed(ctx, actor, "post.export")).length > 0;
}
