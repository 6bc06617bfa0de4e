/**
 * What a media-policy form or API request may contain (4.2.1 ①–④, 4.2.2), validated with
 * Japanese messages. A draft may be saved incomplete; completeness is checked on approval.
 */
import { z } from "zod";
import { policyFieldLabels } from "../../domain/accounts.ts";
import { optionalText } from "../validate.ts";

/** Longest text accepted for one item of a policy. */
export const POLICY_TEXT_MAX = 2000;

const item = (field: keyof typeof policyFieldLabels) =>
  optionalText(policyFieldLabels[field].replace(/^[①②③④] /, ""), POLICY_TEXT_MAX);

/** 4.2.2: 返信する / 返信しない / 個別に判断 ("" while undecided). */
export const replyPolicyValues = ["reply", "no_reply", "case_by_case"] as const;

const replyPolicy = z
  .preprocess(
    (v) => (v === undefined || v === null ? undefined : v),
    z.enum(["", ...replyPolicyValues], {
      error: "返信の可否を「返信する」「返信しない」「個別に判断する」から選んでください。",
    }),
  )
  .optional();

/**
 * The items of a policy draft. Every field is optional: what is given replaces what the draft
 * has, what is left out stays as it is.
 */
export const policyInput = z.object({
  purpose: item("purpose"),
  platformDescription: item("platformDescription"),
  content: item("content"),
  staffInCharge: item("staffInCharge"),
  frequency: item("frequency"),
  timing: item("timing"),
  method: item("method"),
  commentHandling: item("commentHandling"),
  replyPolicy,
  replyText: item("replyText"),
  changeSummary: optionalText("主な変更点", 1000),
});

export type PolicyInput = z.output<typeof policyInput>;

/** Only the fields actually present in the raw input (so an absent field does not blank one). */
export function presentFields(raw: unknown, parsed: PolicyInput): Partial<PolicyInput> {
  if (typeof raw !== "object" || raw === null) return {};
  const out: Partial<PolicyInput> = {};
  for (const key of Object.keys(policyInput.shape)) {
    if (!(key in raw)) continue;
    if (isInputKey(key)) assign(out, parsed, key);
  }
  return out;
}

type InputKey = keyof PolicyInput;

function isInputKey(key: string): key is InputKey {
  return key in policyInput.shape;
}

function assign<K extends InputKey>(out: Partial<PolicyInput>, from: PolicyInput, key: K): void {
  const value = from[key];
  if (value !== undefined) out[key] = value;
}

/** Completing a review without change (4.2.3): what was checked. */
export const reviewInput = z.object({
  note: z
    .string({ error: "見直しで確認した内容を入力してください。" })
    .trim()
    .min(1, { error: "見直しで確認した内容を入力してください。" })
    .max(1000, { error: "見直しで確認した内容は1000文字以内で入力してください。" }),
});
