/**
 * The council's rules (規約等は別途定める, 6.3) as a versioned document: each version has its
 * text, the day it was adopted and what changed; every version stays readable with a diff
 * against the one before. The policy director records a new version.
 */
import { z } from "zod";
import * as repo from "../../db/repos/council.ts";
import { type DiffSegment, textDiff } from "../../domain/guideline-diff.ts";
import { conflict, isUniqueViolation, notFound } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { optionalText, parse, plainDate } from "../validate.ts";

export const rulesInput = z.object({
  text: z
    .string({ error: "規約の本文を入力してください。" })
    .trim()
    .min(1, { error: "規約の本文を入力してください。" })
    .max(100_000, { error: "規約の本文は100,000文字以内で入力してください。" }),
  adoptedOn: plainDate("制定・改正日"),
  changeSummary: optionalText("改正の概要", 2000),
});

/** Every version, newest first. */
export async function listRulesVersions(ctx: AppContext, props: { actor: Actor }) {
  await authorize(ctx, props.actor, "council.read");
  return repo.listRules(ctx.db);
}

/** One version with what changed against the one before (none for the first). */
export async function getRulesVersion(
  ctx: AppContext,
  props: { actor: Actor; version: number },
): Promise<{ rules: repo.CouncilRulesVersion; previous: number | null; segments: DiffSegment[] }> {
  await authorize(ctx, props.actor, "council.read");
  const rules = await repo.findRules(ctx.db, props.version);
  if (!rules) throw notFound("規約の版");
  const previous = rules.version > 1 ? await repo.findRules(ctx.db, rules.version - 1) : undefined;
  return {
    rules,
    previous: previous?.version ?? null,
    segments: previous ? textDiff(previous.text, rules.text) : [],
  };
}

/** Records a new version of the rules (6.3). */
export async function adoptRules(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "council.rules_edit");
  const input = parse(rulesInput, props.input);
  try {
    return await change(ctx, props.actor, "council.rules_adopt", async (tx, at) => {
      const [latest] = await repo.listRules(tx);
      if (latest && latest.text === input.text.replace(/\r\n/g, "\n")) {
        throw conflict("本文が現行の版と同じです。変更した本文を入力してください。");
      }
      const row = await repo.insertRules(tx, {
        text: input.text.replace(/\r\n/g, "\n"),
        adoptedOn: input.adoptedOn,
        changeSummary: input.changeSummary,
        createdBy: actorId(props.actor),
        at,
      });
      return {
        result: row,
        target: { type: "council_rules", id: row.version },
        summary: { version: row.version, adoptedOn: row.adoptedOn, changeSummary: row.changeSummary },
      };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict("同時に別の版が登録されました。ページを開き直してください。");
    throw error;
  }
}
