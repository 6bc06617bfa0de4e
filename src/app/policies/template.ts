/**
 * The first version of a policy starts from the guideline pack's wording (templates.policy),
 * filled in for the account's division and platform, so a division never starts from a blank
 * page. The reply policy follows the template's reply text (「返信は行いません」).
 */
import type { PolicyContent } from "../../domain/accounts.ts";
import { fillTemplate, guidelinePack, platformLabel } from "../../guideline/pack.ts";

/** A complete policy in the pack's wording for an account of `divisionName` on `platform`. */
export function policyFromTemplate(account: { divisionName: string; platform: string }): PolicyContent {
  const pack = guidelinePack();
  const t = pack.templates.policy;
  const values = {
    municipality: pack.municipality,
    division: account.divisionName,
    platform: platformLabel(account.platform),
  };
  const fill = (text: string) => fillTemplate(text, values);
  return {
    purpose: fill(t.purpose),
    platformDescription: fill(t.platformDescription),
    content: fill(t.content),
    staffInCharge: fill(t.staffInCharge),
    frequency: fill(t.frequency),
    timing: fill(t.timing),
    method: fill(t.method),
    commentHandling: fill(t.commentHandling),
    replyPolicy: "no_reply",
    replyText: fill(t.replyText),
  };
}

/** The content items of a stored policy (without version, status, dates). */
export function contentOf(policy: PolicyContent): PolicyContent {
  return {
    purpose: policy.purpose,
    platformDescription: policy.platformDescription,
    content: policy.content,
    staffInCharge: policy.staffInCharge,
    frequency: policy.frequency,
    timing: policy.timing,
    method: policy.method,
    commentHandling: policy.commentHandling,
    replyPolicy: policy.replyPolicy,
    replyText: policy.replyText,
  };
}
