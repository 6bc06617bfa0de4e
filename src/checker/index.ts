/**
 * The compliance checker: finds what the guideline forbids or asks to fix in a post, a profile
 * or a correction, each finding placed in the text, explained in Japanese, citing its clause.
 *
 *   const checker = await loadChecker();
 *   const { findings } = checker.check({ text, platform: "x", kind: "post" });
 */
import type { Checker } from "./engine.ts";
import { defaultCheckerIfLoaded } from "./load.ts";
import {
  type CheckInput,
  type CheckResult,
  type LengthInfo,
  type PostKind,
  platformSchema,
} from "./types.ts";

export { type CompiledPack, compilePack } from "./compile.ts";
export { type Checker, createChecker } from "./engine.ts";
export { loadChecker, readDefaultPack, readLists } from "./load.ts";
export { type CheckerPack, type CheckerPackInput, checkerPackSchema } from "./pack.ts";
export {
  type CheckInput,
  type CheckResult,
  checkInputSchema,
  checkResultSchema,
  type Finding,
  findingSchema,
  type LengthInfo,
  type LinkInfo,
  type Platform,
  type PostKind,
  platformSchema,
  postKindSchema,
  type Severity,
  severitySchema,
} from "./types.ts";

/**
 * Checks `input` with the default pack. `await loadChecker()` must have finished first (the
 * function stays synchronous so it can run on every keystroke).
 */
export function check(input: CheckInput, now?: Date): CheckResult {
  const checker: Checker | null = defaultCheckerIfLoaded();
  if (!checker) throw new Error("checker is not loaded yet: await loadChecker() before calling check()");
  return checker.check(input, now);
}

/**
 * The count of an empty text on `platform` (0 of the pack's limit): what the counter shows before
 * anything is typed. Undefined when the pack sets no limit there, or the checker is not loaded.
 */
export function emptyLength(platform: string, kind: PostKind): LengthInfo | undefined {
  const checker = defaultCheckerIfLoaded();
  const parsed = platformSchema.safeParse(platform);
  if (!checker || !parsed.success) return undefined;
  const limits = checker.pack.platforms[parsed.data];
  const rule = kind === "bio" ? limits?.bio : limits?.post;
  return rule ? { platform: parsed.data, unit: rule.counter, used: 0, limit: rule.limit } : undefined;
}
