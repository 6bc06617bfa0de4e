/**
 * The rule engine: runs every rule over one input and returns the findings sorted by position
 * then severity. Pure and synchronous once the pack is compiled and the analyser is loaded.
 */
import type { CompiledPack } from "./compile.ts";
import { CheckContext } from "./context.ts";
import type { Morphology } from "./morph/types.ts";
import type { CheckerPack } from "./pack.ts";
import { checkConstructions } from "./rules/constructions.ts";
import { checkCorrection } from "./rules/correction.ts";
import { checkDates } from "./rules/dates.ts";
import { checkLength } from "./rules/length.ts";
import { checkLinks } from "./rules/links.ts";
import { checkOpinions } from "./rules/opinion.ts";
import {
  checkAddresses,
  checkAges,
  checkBareNames,
  checkBirthDates,
  checkPersonNames,
} from "./rules/people.ts";
import { checkBankAccounts, checkCarPlates, checkEmails, checkMyNumbers, checkPhones } from "./rules/pii.ts";
import { checkProfile } from "./rules/profile.ts";
import { checkRights } from "./rules/rights.ts";
import { checkRumours } from "./rules/rumour.ts";
import { checkConfidential, checkUnpublished } from "./rules/secrets.ts";
import { checkCodesThatOpen, checkPhysicalSecurity, checkSecrets } from "./rules/security.ts";
import { checkVocabulary } from "./rules/vocabulary.ts";
import type { CheckInput, CheckResult, Finding, Severity } from "./types.ts";

/** A loaded checker for one guideline pack. */
export interface Checker {
  readonly pack: CheckerPack;
  /** Checks one text. Pure and synchronous; `now` decides embargoes and dates without a post date. */
  check(input: CheckInput, now?: Date): CheckResult;
}

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Findings in display order: by start, then error before warning before info, then end, rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  findings.sort(
    (a, b) =>
      a.start - b.start ||
      rank[a.severity] - rank[b.severity] ||
      a.end - b.end ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
  const out: Finding[] = [];
  for (const f of findings) {
    const prev = out[out.length - 1];
    if (prev && prev.rule === f.rule && prev.start === f.start && prev.end === f.end) continue;
    out.push(f);
  }
  return out;
}

/** Runs all rules of `compiled` on `input` (used by `Checker.check`). */
export function runRules(
  compiled: CompiledPack,
  morph: Morphology,
  input: CheckInput,
  now: Date,
): CheckResult {
  const ctx = new CheckContext(compiled, morph, input, now);
  checkLinks(ctx); // 5.3.6 / 5.3.7 / 4.4.4 / 5.2 — first: later rules skip what lies inside URLs
  checkPersonNames(ctx); // 5.2.2.1 — before the rules that ask whether a sentence is about a person
  checkBareNames(ctx); // 5.2.2.1: names without an honorific, with an age, a school, a charge …
  if (/\d/.test(ctx.text)) {
    checkPhones(ctx); // 5.2.2.1: mobile and personal numbers
    checkMyNumbers(ctx); // 5.2.2.1: My Number, corporate numbers
    checkBankAccounts(ctx); // 5.2.2.1
    checkCarPlates(ctx); // 5.2.2.1
    checkAddresses(ctx); // 5.2.2.1: a person's address, not a facility's
    checkAges(ctx); // 5.2.2.1
    checkBirthDates(ctx); // 5.2.2.1
    checkDates(ctx, now); // 5.1.5: weekday and date
  }
  checkEmails(ctx); // 5.2.2.1
  checkConfidential(ctx); // 5.2.2.1: 職務上知り得た秘密
  checkUnpublished(ctx, now); // 5.2.2.2 and the embargo
  checkSecrets(ctx); // 5.2.4: passwords and codes with their value
  checkCodesThatOpen(ctx); // 5.2.4: 0・3・1・5で解除できます
  checkPhysicalSecurity(ctx); // 5.2.4: keys, server rooms, cameras, guarding
  checkOpinions(ctx); // 5.2.5
  checkVocabulary(ctx); // 5.2.1 / 5.2.6 / 5.2.7 / 5.2.9 / 5.2.10
  checkConstructions(ctx); // phrase rules: 5.2.7 / 5.2.1 / 5.2.6 / 5.2.4 / 5.2.2.2 / 5.1.1 / 5.2.5
  checkRumours(ctx); // 5.2.8
  checkLength(ctx); // 5.3.5
  checkProfile(ctx); // 4.4.3 / 5.3.1
  checkCorrection(ctx); // 5.3.3
  checkRights(ctx); // 5.1.3 / 5.2.3
  const result: CheckResult = { findings: sortFindings(ctx.findings) };
  if (ctx.length) result.length = ctx.length;
  if (ctx.links.length > 0) result.links = ctx.links;
  return result;
}

/** A checker over an already compiled pack and a loaded morphological analyser. */
export function createChecker(compiled: CompiledPack, morph: Morphology): Checker {
  return {
    pack: compiled.pack,
    check(input: CheckInput, now: Date = new Date()): CheckResult {
      return runRules(compiled, morph, input, now);
    },
  };
}
