/**
 * The guideline in force on a day (8.1: rules follow the effective date): the latest published
 * version effective on or before that day, with its pack and a checker built for it. A post
 * checked today is checked by today's version; one checked after a new version's effective date
 * by the new one.
 *
 * Checkers are memoised by the content of the pack (so a second instance, a second test database
 * or a re-published identical pack reuse one); versions whose rules are the shipped ones use the
 * process-wide default checker. Which version is in force on a day is cached in this process for
 * 30 seconds and dropped when a version is published here.
 */
import type { Checker, CheckerPack } from "../../checker/index.ts";
import { loadChecker } from "../../checker/index.ts";
import { findVersion, type VersionRef, versionInForce } from "../../db/repos/guideline.ts";
import { tokyoDate } from "../../domain/dates.ts";
import type { GuidelinePack } from "../../guideline/pack.ts";
import type { AppContext } from "../context.ts";
import {
  type ClauseMap,
  clauseMapSchema,
  shippedChecker,
  shippedClauses,
  shippedContent,
} from "./shipped.ts";
import { storedRules } from "./stored.ts";

/** What `guidelineInForce` answers. */
export type GuidelineInForce = {
  /** The version in force, or null when none is recorded yet (the shipped pack applies). */
  version: { id: number; label: string; effectiveDate: string } | null;
  /** The account side of the pack: platforms, deadlines, limits, templates. */
  pack: GuidelinePack;
  /** The checker's pack (vocabularies, domains, limits). */
  checkerPack: CheckerPack;
  /** A checker for this version (memoised). */
  checker: Checker;
};

type Rules = { pack: GuidelinePack; checkerPack: CheckerPack; checker: Checker };

const REF_TTL_MS = 30_000;

type CachedRef = { ref: VersionRef | undefined; until: number; generation: number };

/** Version in force per database and day (another database — a test's — has its own entries). */
const refs = new WeakMap<object, Map<string, CachedRef>>();
/** Rules per pack digest ("shipped" for the shipped rules). */
const rules = new Map<string, Promise<Rules>>();
/** Bumped to forget every cached "version in force". */
let generation = 0;

/** Forgets which version is in force on each day (a version was published in this process). */
export function forgetVersionsInForce(): void {
  generation++;
}

async function refFor(ctx: AppContext, date: string): Promise<VersionRef | undefined> {
  let perDb = refs.get(ctx.db);
  if (!perDb) {
    perDb = new Map();
    refs.set(ctx.db, perDb);
  }
  const cached = perDb.get(date);
  const now = Date.now();
  if (cached && cached.until > now && cached.generation === generation) return cached.ref;
  const ref = await versionInForce(ctx.db, date);
  perDb.set(date, { ref, until: now + REF_TTL_MS, generation });
  return ref;
}

function shippedRules(): Promise<Rules> {
  let entry = rules.get("shipped");
  if (!entry) {
    entry = Promise.all([shippedContent(), shippedChecker()]).then(([content, checker]) => ({
      pack: content.guideline,
      checkerPack: content.checker,
      checker,
    }));
    entry.catch(() => rules.delete("shipped"));
    rules.set("shipped", entry);
  }
  return entry;
}

function rulesOf(ctx: AppContext, ref: VersionRef): Promise<Rules> {
  if (ref.source === "shipped") return shippedRules();
  let entry = rules.get(ref.digest);
  if (!entry) {
    entry = (async () => {
      const row = await findVersion(ctx.db, ref.id);
      if (!row) throw new Error(`guideline version ${ref.id} disappeared`);
      const stored = storedRules(row.pack);
      return {
        pack: stored.guideline,
        checkerPack: stored.checker,
        checker: await loadChecker({ pack: stored.checker }),
      };
    })();
    entry.catch(() => rules.delete(ref.digest));
    rules.set(ref.digest, entry);
  }
  return entry;
}

/** Which version is in force on `date` (default today), without building its checker; null when none is recorded. */
export async function versionInForceOn(
  ctx: AppContext,
  date?: string,
): Promise<{ id: number; label: string; effectiveDate: string } | null> {
  const ref = await refFor(ctx, date ?? tokyoDate(ctx.clock.now()));
  return ref ? { id: ref.id, label: ref.label, effectiveDate: ref.effectiveDate } : null;
}

/** The clauses (id → text) of the version in force on `date` (default today); the shipped ones when none is recorded. */
export async function clausesInForce(ctx: AppContext, date?: string): Promise<ClauseMap> {
  const ref = await refFor(ctx, date ?? tokyoDate(ctx.clock.now()));
  const row = ref ? await findVersion(ctx.db, ref.id) : undefined;
  if (!row) return shippedClauses();
  return clauseMapSchema.parse(row.clauses);
}

/**
 * The guideline in force on `date` (YYYY-MM-DD; default: today in Tokyo by the context's clock),
 * with a checker for it. Reads one small row (cached for 30 s); never writes.
 */
export async function guidelineInForce(ctx: AppContext, date?: string): Promise<GuidelineInForce> {
  const day = date ?? tokyoDate(ctx.clock.now());
  const ref = await refFor(ctx, day);
  const found = ref ? await rulesOf(ctx, ref) : await shippedRules();
  return {
    version: ref ? { id: ref.id, label: ref.label, effectiveDate: ref.effectiveDate } : null,
    ...found,
  };
}
