/**
 * Writing the next version of an account's media policy (4.2.1, 4.2.2): start a draft (from the
 * version in force, or for the first version from the pack's template), edit it, or discard it.
 * Drafting belongs to the owning division (policy.draft); approval is approve.ts.
 */
import { lockAccount } from "../../db/repos/accounts.ts";
import {
  currentPolicy,
  deleteDraft,
  findDraft,
  insertPolicy,
  latestVersionNumber,
  lockPolicy,
  type MediaPolicy,
  updatePolicy,
} from "../../db/repos/policies.ts";
import { conflict, notFound } from "../../errors.ts";
import { change, diff } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { accountFor, assertPolicyEditable, policyFor } from "./access.ts";
import { policyInput, presentFields } from "./input.ts";
import { contentOf, policyFromTemplate } from "./template.ts";

/**
 * Starts the next version as a draft.
 * @param props.actor who writes it (policy.draft on the account)
 * @param props.accountId the account
 * @param props.input items to set now; items left out are pre-filled from the version in force,
 *   or for a first version from the guideline pack's template
 * @throws 409 when the account already has a draft or is closed
 */
export async function draftPolicy(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input?: unknown },
): Promise<MediaPolicy> {
  const account = await accountFor(ctx, props.actor, props.accountId, "policy.draft");
  const raw = props.input ?? {};
  const given = presentFields(raw, parse(policyInput, raw));
  return change(ctx, props.actor, "policy.draft", async (tx, at) => {
    const locked = await lockAccount(tx, account.id);
    if (!locked) throw notFound("アカウント");
    assertPolicyEditable(locked);
    const existing = await findDraft(tx, account.id);
    if (existing) {
      throw conflict(
        `作成中の下書き（第${existing.version}版）があります。下書きを編集するか、破棄してから作成してください。`,
      );
    }
    const current = await currentPolicy(tx, account.id);
    const base = current ? contentOf(current) : policyFromTemplate(account);
    const version = (await latestVersionNumber(tx, account.id)) + 1;
    const policy = await insertPolicy(tx, {
      ...base,
      ...given,
      accountId: account.id,
      version,
      authorId: actorId(props.actor),
      at,
    });
    return {
      result: policy,
      target: { type: "account", id: account.id },
      summary: {
        policyId: policy.id,
        version,
        basedOn: current ? `version ${current.version}` : "template",
      },
    };
  });
}

/**
 * Edits a draft. Items left out of `input` stay as they are.
 * @param props.accountId when given, the draft must belong to this account (else 404)
 * @throws 409 when the version is no longer a draft
 */
export async function updatePolicyDraft(
  ctx: AppContext,
  props: { actor: Actor; policyId: number; input: unknown; accountId?: number },
): Promise<MediaPolicy> {
  const { account } = await policyFor(ctx, props.actor, props.policyId, "policy.draft", props.accountId);
  const given = presentFields(props.input, parse(policyInput, props.input));
  return change(ctx, props.actor, "policy.update", async (tx, at) => {
    const locked = await lockAccount(tx, account.id);
    if (!locked) throw notFound("アカウント");
    assertPolicyEditable(locked);
    const before = await lockPolicy(tx, props.policyId);
    if (!before) throw notFound("メディアポリシー");
    if (before.status !== "draft") {
      throw conflict(
        `第${before.version}版はすでに承認されているため、編集できません。新しい版を作成してください。`,
      );
    }
    const after = await updatePolicy(tx, before.id, given, at);
    return {
      result: after,
      target: { type: "account", id: account.id },
      summary: { policyId: before.id, version: before.version, ...diff(before, given) },
    };
  });
}

/**
 * Discards a draft (the published versions are never removed: they are records). The audit entry keeps
 * what the draft said.
 * @param props.accountId when given, the draft must belong to this account (else 404)
 */
export async function discardPolicyDraft(
  ctx: AppContext,
  props: { actor: Actor; policyId: number; accountId?: number },
): Promise<void> {
  const { account } = await policyFor(ctx, props.actor, props.policyId, "policy.draft", props.accountId);
  await change(ctx, props.actor, "policy.discard", async (tx) => {
    await lockAccount(tx, account.id);
    const draft = await lockPolicy(tx, props.policyId);
    if (!draft) throw notFound("メディアポリシー");
    if (draft.status !== "draft") {
      throw conflict(`第${draft.version}版は承認済みのため、破棄できません。`);
    }
    await deleteDraft(tx, draft.id);
    return {
      result: undefined,
      target: { type: "account", id: account.id },
      summary: { policyId: draft.id, version: draft.version, content: contentOf(draft) },
    };
  });
}
