/**
 * How a version's pack is stored in `guideline_versions.pack`: `{ source, guideline, checker }`.
 * `source: "shipped"` means the rules are the shipped files' (a copy of the shipped version
 * whose clauses' wording was edited keeps them); `source: "file"` means the rules are the stored
 * ones (imported from a pack file). The clauses' text is always the version's own.
 */
import { z } from "zod";
import { checkerPackSchema } from "../../checker/index.ts";
import type { GuidelineVersionRow } from "../../db/repos/guideline.ts";
import { guidelinePackSchema } from "../../guideline/pack.ts";
import { clauseMapSchema, type PackContent, shippedContent } from "./shipped.ts";

export type PackSource = "shipped" | "file";

const storedSchema = z.object({
  source: z.enum(["shipped", "file"]).default("file"),
  guideline: guidelinePackSchema,
  checker: checkerPackSchema,
});

/** The stored rules of a version (validated; the stored JSON was validated when it was written). */
export function storedRules(pack: unknown): z.infer<typeof storedSchema> {
  return storedSchema.parse(pack);
}

/** Where a version's rules come from. */
export function sourceOf(pack: unknown): PackSource {
  if (typeof pack === "object" && pack !== null && "source" in pack && pack.source === "shipped")
    return "shipped";
  return "file";
}

/** The JSON to store for a version's pack. */
export function packToStore(source: PackSource, content: Pick<PackContent, "guideline" | "checker">) {
  return { source, guideline: content.guideline, checker: content.checker };
}

/** A version's rules and text: the shipped files' rules for a shipped version, else the stored ones. */
export async function contentOf(
  version: Pick<GuidelineVersionRow, "pack" | "clauses">,
): Promise<PackContent> {
  const clauses = clauseMapSchema.parse(version.clauses);
  if (sourceOf(version.pack) === "shipped") {
    const shipped = await shippedContent();
    return { guideline: shipped.guideline, checker: shipped.checker, clauses };
  }
  const stored = storedRules(version.pack);
  return { guideline: stored.guideline, checker: stored.checker, clauses };
}
