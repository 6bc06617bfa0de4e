/**
 * The guideline pack that ships with the system (いわき市's, 平成28年4月1日改正): the account side
 * (`src/guideline/iwaki/pack.json`), the checker's pack (`src/guideline/iwaki/checker/`) and the
 * clauses' text (`src/guideline/iwaki/clauses.json`). It is version 1, effective 2016-04-01; a
 * version stored with `source: "shipped"` takes its rules from these files.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { type Checker, type CheckerPack, loadChecker, readDefaultPack } from "../../checker/index.ts";
import { type GuidelinePack, guidelinePack } from "../../guideline/pack.ts";

/** Clause id → text, as stored with each version. */
export const clauseMapSchema = z.record(z.string().min(1).max(20), z.string());
export type ClauseMap = z.infer<typeof clauseMapSchema>;

/** The rules and text of a version. */
export type PackContent = { guideline: GuidelinePack; checker: CheckerPack; clauses: ClauseMap };

/** The shipped version's effective date (附則: 平成28年4月1日から施行). */
export const SHIPPED_EFFECTIVE_DATE = "2016-04-01";

let clauses: Promise<ClauseMap> | null = null;

/** The shipped guideline's clauses (id → text). */
export function shippedClauses(): Promise<ClauseMap> {
  clauses ??= readFile(new URL("../../guideline/iwaki/clauses.json", import.meta.url), "utf8").then((text) =>
    clauseMapSchema.parse(JSON.parse(text)),
  );
  return clauses;
}

let checkerPack: Promise<CheckerPack> | null = null;

/** The shipped rules and text. */
export async function shippedContent(): Promise<PackContent> {
  checkerPack ??= readDefaultPack();
  return { guideline: guidelinePack(), checker: await checkerPack, clauses: await shippedClauses() };
}

/** The checker of the shipped pack (the process-wide default one). */
export function shippedChecker(): Promise<Checker> {
  return loadChecker();
}
