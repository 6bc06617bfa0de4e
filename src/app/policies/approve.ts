/**
 * 4.2.1: the account manager sets the media policy. Approving a draft makes it the version in
 * force (the previous one becomes history), starts its review period (4.2.3) and closes an open
 * review task. An incomplete draft is refused with the missing items (4.2.1 ①–④, 4.2.2); a
 * later version needs a summary of what changed, which citizens see.
 */
import { insertEvent, lockAccount } from "../../db/repos/accounts.ts";
import { lockPolicy, type MediaPolicy, supersedeOthers, updatePolicy } from "../../db/repos/policies.ts";
import { missingPolicyItems, policyFieldLabels } from "../../domain/accounts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { monthsAfter } from "../../domain/deadlines.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { assertPolicyEditable, policyFor } from "./access.ts";
import { closeReviewTask } from "./review-tasks.ts";

/** The review date of a policy approved or reviewed on `today`: the city's period from the pack (4.2.3 sets none). */
export function reviewDueFrom(today: string): string {
  return monthsAfter(today, guidelinePack().deadlines.policyReviewMonths);
}

/** An item's name without its clause note (「返信の可否」). */
function itemName(key: keyof typeof policyFieldLabels): string {
  return policyFieldLabels[key].replace(/（第[^）]*）$/, "");
}

/** Throws a validation error naming every required item still empty (4.2.1, 4.2.2). */
export function assertComplete(policy: MediaPolicy): void {
  const missing = missingPolicyItems(policy);
  if (missing.length > 0) {
    const names = missing.map((key) => itemName(key)).join("、");
    throw validation(
      `メディアポリシーの必須項目が未記入です：${names}（第4-2(1)(2)）`,
      missing.map((key) => ({
        field: key,
        message:
          key === "replyPolicy"
            ? "返信の可否を選んでください（第4-2(2)）。"
            : `${itemName(key)}を入力してください（${key === "replyText" ? "第4-2(2)" : "第4-2(1)"}）。`,
      })),
    );
  }
  if (policy.version > 1 && policy.changeSummary.trim() === "") {
    throw validation(
      "第2版以降は、市民の皆さまにお知らせする「主な変更点」を入力してください（第4-2(3)）。",
      [{ field: "changeSummary", message: "主な変更点を入力してください（第4-2(3)）。" }],
    );
  }
}

/**
 * Approves a draft.
 * @param props.actor the account manager of the account's division (policy.approve)
 * @param props.policyId the draft
 * @param props.accountId when given, the draft must belong to this account (else 404)
 * @throws 422 with the missing items; 409 when it is not a draft any more
 */
export async function approvePolicy(
  ctx: AppContext,
  props: { actor: Actor; policyId: number; accountId?: number },
): Promise<MediaPolicy> {
  const { account } = await policyFor(ctx, props.actor, props.policyId, "policy.approve", props.accountId);
  return change(ctx, props.actor, "policy.approve", async (tx, at) => {
    const locked = await lockAccount(tx, account.id);
    if (!locked) throw notFound("アカウント");
    assertPolicyEditable(locked);
    const draft = await lockPolicy(tx, props.policyId);
    if (!draft) throw notFound("メディアポリシー");
    if (draft.status !== "draft") throw conflict(`第${draft.version}版はすでに承認されています。`);
    assertComplete(draft);
    const reviewDue = reviewDueFrom(tokyoDate(at));
    await supersedeOthers(tx, account.id, draft.id, at);
    const approved = await updatePolicy(
      tx,
      draft.id,
      { status: "approved", approvedBy: actorId(props.actor), approvedAt: at, reviewDue },
      at,
    );
    await insertEvent(tx, {
      accountId: account.id,
      kind: "policy_approved",
      actorId: actorId(props.actor),
      comment: `メディアポリシー第${draft.version}版を承認しました。${draft.changeSummary ? `主な変更点：${draft.changeSummary}` : ""}`,
      snapshot: { policyId: draft.id, version: draft.version, reviewDue },
      at,
    });
    const task = await closeReviewTask(tx, {
      accountId: account.id,
      actor: props.actor,
      at,
      resolution: { by: "approval", version: draft.version, reviewDue },
    });
    return {
      result: approved,
      target: { type: "account", id: account.id },
      summary: {
        policyId: draft.id,
        version: draft.version,
        reviewDue,
        changeSummary: draft.changeSummary,
        ...(task ? { closedTaskId: task.id } : {}),
      },
    };
  });
}
