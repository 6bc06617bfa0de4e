/**
 * The staff list's pages kept in memory per data version: a page's rendered body (its rows, total,
 * search form and page links) depends only on the staff table, the names of departments,
 * divisions and positions, the query, and what the viewer may do that it shows (the buttons for
 * managing and exporting staff: the caller's `variant`, part of the key; every column and the
 * link to each person are the same for every holder of `staff.read`), so it is kept under the
 * `staff_directory` data version, which
 * triggers set with every transaction changing one of those tables (migration 0019) and which
 * every signed-in request reads in its session statement (repos/auth.ts `findSessionWithPerson`).
 * A kept page costs no statement of its own; a change, by this instance, another one or any SQL
 * client, gives a new version with its commit, so the next request reads the page afresh.
 *
 * Kept per database handle (never shared between databases), least recently used first out,
 * at most `MAX_ENTRIES` pages and `MAX_BYTES` of keys and HTML. Permission is checked on every
 * request, kept or not.
 */
import type { Db } from "../../db/client.ts";
import * as repo from "../../db/repos/staff.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** A page as kept: its rendered body (UTF-8) and the filter's total. */
export type KeptPage = { html: Uint8Array; total: number };

/** Most pages kept per database. */
export const MAX_ENTRIES = 256;
/** Most bytes (of the HTML, and the keys at two bytes a character) kept per database. */
export const MAX_BYTES = 8 * 1024 * 1024;

type Entry = { page: KeptPage; bytes: number };
type Store = { entries: Map<string, Entry>; bytes: number };

const stores = new WeakMap<Db, Store>();

function storeOf(db: Db): Store {
  let store = stores.get(db);
  if (!store) {
    store = { entries: new Map(), bytes: 0 };
    stores.set(db, store);
  }
  return store;
}

/** A page's key: the version, the filter and the page (separated by a character no value has). */
function keyOf(
  version: string,
  variant: string,
  filter: repo.StaffFilter,
  page: { offset: number; limit: number },
): string {
  return [
    version,
    variant,
    filter.text ?? "",
    filter.departmentId ?? "",
    filter.divisionId ?? "",
    filter.active ?? "",
    page.offset,
    page.limit,
  ].join("\u0000");
}

function keep(store: Store, key: string, page: KeptPage): void {
  const bytes = 2 * key.length + page.html.byteLength;
  if (bytes > MAX_BYTES) return;
  const old = store.entries.get(key);
  if (old) {
    store.entries.delete(key);
    store.bytes -= old.bytes;
  }
  store.entries.set(key, { page, bytes });
  store.bytes += bytes;
  for (const [oldest, entry] of store.entries) {
    if (store.entries.size <= MAX_ENTRIES && store.bytes <= MAX_BYTES) break;
    store.entries.delete(oldest);
    store.bytes -= entry.bytes;
  }
}

/**
 * One page of the staff list, rendered by `render` from its rows (with their units' names, read
 * in the same statement) and total, or as kept for `version` and `variant`. Without a version (no row in
 * `data_versions`), the page is read and rendered every time.
 */
export async function staffDirectoryPage(
  ctx: AppContext,
  props: {
    actor: Actor;
    filter: repo.StaffFilter;
    page: { offset: number; limit: number };
    version: string | null;
    /** Whatever else the rendered HTML depends on (the viewer's permissions it shows, as text). */
    variant: string;
    render: (result: { rows: repo.StaffView[]; total: number }) => KeptPage | Promise<KeptPage>;
  },
): Promise<KeptPage> {
  await authorize(ctx, props.actor, "staff.read");
  const key =
    props.version === null ? undefined : keyOf(props.version, props.variant, props.filter, props.page);
  const store = storeOf(ctx.db);
  const kept = key === undefined ? undefined : store.entries.get(key);
  if (key !== undefined && kept) {
    // Most recently used last.
    store.entries.delete(key);
    store.entries.set(key, kept);
    return kept.page;
  }
  const page = await props.render(await repo.searchStaff(ctx.db, props.filter, props.page));
  if (key !== undefined) keep(store, key, page);
  return page;
}

/** How many pages and bytes are kept for a database (for tests and measurements). */
export function keptPages(db: Db): { entries: number; bytes: number } {
  const store = stores.get(db);
  return { entries: store?.entries.size ?? 0, bytes: store?.bytes ?? 0 };
}
