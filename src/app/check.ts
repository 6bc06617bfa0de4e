/**
 * Checking a text against the guideline on request (the staff page's live check, the API). The
 * checker itself is pure; this use case makes sure the caller is signed-in staff and checks with
 * the guideline version in force today (8.1).
 */
import { type CheckResult, checkInputSchema } from "../checker/index.ts";
import { authorize } from "./authorize.ts";
import type { Actor, AppContext } from "./context.ts";
import { guidelineInForce } from "./guideline/in-force.ts";
import { parse } from "./validate.ts";

/** Checks `input` (validated by the checker's schema) at the context's current time, by today's version. */
export async function checkText(
  ctx: AppContext,
  props: { actor: Actor; input: unknown },
): Promise<CheckResult> {
  await authorize(ctx, props.actor, "checker.use");
  const input = parse(checkInputSchema, props.input);
  const { checker } = await guidelineInForce(ctx);
  return checker.check(input, ctx.clock.now());
}
