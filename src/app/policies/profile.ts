/**
 * Profiles (自由記述欄): 4.4.3 the account's bio must carry ① the media policy and ② the full
 * URL of its page on the city site; 4.4.4 that URL is shown in full, never shortened; 5.3.1 the
 * division is named unless the account is a registered character. The system writes the bio for
 * the platform within its length (limits come from the checker's pack), and checks the bio as
 * it is now on the platform, pasted by the manager.
 */

import { z } from "zod";
import {
  type Checker,
  type CheckResult,
  type Finding,
  type LengthInfo,
  loadChecker,
  type Platform,
  platformSchema,
} from "../../checker/index.ts";
import { type AccountView, updateAccount } from "../../db/repos/accounts.ts";
import { fillTemplate, guidelinePack, platformLabel } from "../../guideline/pack.ts";
import { accountTarget, getAccount } from "../accounts/read.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { parse } from "../validate.ts";

/** What the bio is generated from. */
export type ProfileAccount = Pick<
  AccountView,
  "platform" | "name" | "alias" | "divisionName" | "homepageUrl" | "isCharacter"
>;

/** Which wording the generated bio uses, from the full template to the shortest. */
export type ProfileVariant = "full" | "short-policy" | "no-municipality" | "compact";

export type GeneratedProfile = {
  text: string;
  variant: ProfileVariant;
  /** Why a shorter wording was used, in Japanese (null for the full wording). */
  variantNote: string | null;
  /** The platform's bio limit, or null when the platform has none the pack knows. */
  limit: number | null;
  unit: LengthInfo["unit"] | null;
  /** Length as the platform counts it. */
  length: number;
  fits: boolean;
  /** What keeps the bio from being right (no homepage URL, too long even when shortened), in Japanese. */
  problems: string[];
  /** The checker's findings on the generated text. */
  findings: Finding[];
};

const POLICY_LONG = "運用方針（メディアポリシー）：";
const POLICY_SHORT = "運用方針：";

const shortPolicy = (t: string) => t.replace(POLICY_LONG, POLICY_SHORT);
const noMunicipality = (t: string) => shortPolicy(t).replace("{municipality}", "");

/** Wordings from the longest (the pack's template) to the shortest that still says everything. */
const variants: Array<{ variant: ProfileVariant; shorten: (template: string) => string }> = [
  { variant: "full", shorten: (t) => t },
  { variant: "short-policy", shorten: shortPolicy },
  { variant: "no-municipality", shorten: noMunicipality },
  {
    variant: "compact",
    shorten: (t) => noMunicipality(t).replace("の公式アカウントです。", "公式。").replace("」です。", "」。"),
  },
];

/** The checker's name for a platform (unknown ones are checked as `other`, which has no limits). */
export function checkerPlatform(platform: string): Platform {
  const parsed = platformSchema.safeParse(platform);
  return parsed.success ? parsed.data : "other";
}

/** The account as the checker sees it for a bio (policyUrl: the policy is on the same page). */
export function checkerAccount(account: ProfileAccount) {
  return {
    division: account.divisionName,
    homepageUrl: account.homepageUrl,
    character: account.isCharacter,
    policyUrl: account.homepageUrl,
  };
}

const graphemes = new Intl.Segmenter("ja", { granularity: "grapheme" });

function measured(result: CheckResult, text: string): { length: number; limit: number | null } {
  if (result.length) return { length: result.length.used, limit: result.length.limit };
  return { length: [...graphemes.segment(text)].length, limit: null };
}

function variantNote(variant: ProfileVariant, limit: number | null, municipality: string): string | null {
  switch (variant) {
    case "full":
      return null;
    case "short-policy":
      return `文字数の上限（${limit}文字）に収めるため、「${POLICY_LONG}」を「${POLICY_SHORT}」と短くしています。`;
    case "no-municipality":
      return `文字数の上限（${limit}文字）に収めるため、「${POLICY_SHORT}」と短くし、先頭の「${municipality}」を省いています。`;
    case "compact":
      return `文字数の上限（${limit}文字）に収めるため、「${POLICY_SHORT}」と短くし、先頭の「${municipality}」を省いて「公式。」と簡潔にしています。`;
  }
}

/**
 * Writes the bio for the account's platform: the pack's template (`templates.bio`, or
 * `templates.bioCharacter` for a character), shortened step by step until it fits.
 * @param checker a loaded checker (its pack holds each platform's bio limit and how it counts)
 */
export function generateProfile(checker: Checker, account: ProfileAccount, now: Date): GeneratedProfile {
  const pack = guidelinePack();
  const template = account.isCharacter ? pack.templates.bioCharacter : pack.templates.bio;
  const values = {
    municipality: pack.municipality,
    division: account.divisionName,
    name: account.alias || account.name,
    homepageUrl: account.homepageUrl,
    platform: platformLabel(account.platform),
  };
  const platform = checkerPlatform(account.platform);
  const problems: string[] = [];
  if (!account.homepageUrl.trim()) {
    problems.push(
      "所管サイトのURL（市公式ホームページでこのアカウントの運用を掲載しているページ）が登録されていません。アカウントの情報に登録してください（第4-4(3)②）。",
    );
  }
  let last: GeneratedProfile | undefined;
  for (const { variant, shorten } of variants) {
    const text = fillTemplate(shorten(template), values);
    const result = checker.check({ text, platform, kind: "bio", account: checkerAccount(account) }, now);
    const { length, limit } = measured(result, text);
    const fits = limit === null || length <= limit;
    last = {
      text,
      variant,
      variantNote: variantNote(variant, limit, pack.municipality),
      limit,
      unit: result.length?.unit ?? null,
      length,
      fits,
      problems,
      findings: result.findings,
    };
    if (fits) return last;
  }
  if (!last) throw new Error("no bio variants");
  return {
    ...last,
    problems: [
      ...problems,
      `所管サイトのURLが長いため、最も短い文面でも${platformLabel(account.platform)}の上限（${last.limit}文字）を${last.length - (last.limit ?? 0)}文字超えます。URLは短縮せずに全て表示する必要があるため（第4-4(4)）、より短いURLの所管ページを用意してください。`,
    ],
  };
}

/** One thing a bio must have (or must not have), and whether the checked text has it. */
export type ProfileRequirement = {
  clause: string;
  label: string;
  status: "ok" | "missing" | "warning" | "not_applicable";
  /** The finding that decided it, if any. */
  message?: string;
};

/** The bio's requirements (4.4.3 ①②, 4.4.4, 5.3.1) read from the checker's findings. */
export function profileRequirements(findings: readonly Finding[], character: boolean): ProfileRequirement[] {
  const judge = (clause: string, label: string, match: (f: Finding) => boolean): ProfileRequirement => {
    const found = findings.filter(match);
    const worst = found.find((f) => f.severity === "error") ?? found[0];
    if (!worst) return { clause, label, status: "ok" };
    return {
      clause,
      label,
      status: worst.severity === "error" ? "missing" : "warning",
      message: worst.message,
    };
  };
  const affiliation: ProfileRequirement = character
    ? {
        clause: "5.3.1",
        label: "所属（課等の名称）の明示",
        status: "not_applicable",
        message: "業務として認められたキャラクターのアカウントのため、所属の記載は求められません。",
      }
    : judge("5.3.1", "所属（課等の名称）の明示", (f) => f.rule === "profile.no-affiliation");
  return [
    judge("4.4.3", "① メディアポリシー（運用方針）の記載", (f) => f.rule === "profile.no-media-policy"),
    judge(
      "4.4.3",
      "② 所管サイトのURLの記載",
      (f) => f.rule.startsWith("profile.") && f.rule.includes("homepage"),
    ),
    judge("4.4.4", "短縮URLを使わず、URLを全て表示", (f) => f.clause === "4.4.4"),
    affiliation,
  ];
}

/** The bio last pasted and checked, checked again with today's rules for display. */
export type StoredProfileCheck = {
  text: string;
  checkedAt: Date | null;
  hasErrors: boolean;
  findings: Finding[];
  length: LengthInfo | undefined;
  requirements: ProfileRequirement[];
};

/** The generated bio for an account the actor may see, and the bio last checked. */
export async function accountProfile(
  ctx: AppContext,
  props: { actor: Actor; accountId: number },
): Promise<{
  account: AccountView;
  generated: GeneratedProfile;
  canCheck: boolean;
  last: StoredProfileCheck | undefined;
}> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  const checker = await loadChecker();
  const now = ctx.clock.now();
  let last: StoredProfileCheck | undefined;
  if (account.currentBio) {
    const result = checker.check(
      {
        text: account.currentBio,
        platform: checkerPlatform(account.platform),
        kind: "bio",
        account: checkerAccount(account),
      },
      now,
    );
    last = {
      text: account.currentBio,
      checkedAt: account.bioCheckedAt,
      hasErrors: account.bioHasErrors,
      findings: result.findings,
      length: result.length,
      requirements: profileRequirements(result.findings, account.isCharacter),
    };
  }
  return {
    account,
    generated: generateProfile(checker, account, now),
    canCheck: mayCheck(props.actor, account),
    last,
  };
}

function mayCheck(actor: Actor, account: AccountView): boolean {
  const target = accountTarget(account);
  return allowed(actor, "account.manage", target) || allowed(actor, "policy.draft", target);
}

export const profileCheckInput = z.object({
  text: z
    .string({ error: "プロフィール（自由記述欄）の文章を貼り付けてください。" })
    .trim()
    .min(1, { error: "プロフィール（自由記述欄）の文章を貼り付けてください。" })
    .max(5000, { error: "プロフィールは5000文字以内で貼り付けてください。" }),
});

export type ProfileCheck = {
  text: string;
  findings: Finding[];
  length: LengthInfo | undefined;
  hasErrors: boolean;
  requirements: ProfileRequirement[];
  checkedAt: Date;
};

/**
 * Checks the bio as it is now on the platform and records the result on the account
 * (`current_bio`, `bio_checked_at`, `bio_has_errors`; audit action `account.bio_check`).
 * @param props.actor the account manager or the division's staff (account.manage or policy.draft)
 * @param props.input `{ text }`: the pasted bio
 */
export async function checkCurrentProfile(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input: unknown },
): Promise<ProfileCheck> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  if (!mayCheck(props.actor, account)) {
    await authorize(ctx, props.actor, "account.manage", accountTarget(account));
  }
  const { text } = parse(profileCheckInput, props.input);
  const checker = await loadChecker();
  const now = ctx.clock.now();
  const result = checker.check(
    { text, platform: checkerPlatform(account.platform), kind: "bio", account: checkerAccount(account) },
    now,
  );
  const hasErrors = result.findings.some((f) => f.severity === "error");
  const checkedAt = await change(ctx, props.actor, "account.bio_check", async (tx, at) => {
    await updateAccount(tx, account.id, { currentBio: text, bioCheckedAt: at, bioHasErrors: hasErrors }, at);
    return {
      result: at,
      target: { type: "account", id: account.id },
      summary: {
        length: result.length?.used ?? text.length,
        hasErrors,
        findings: result.findings.map((f) => `${f.clause} ${f.rule}`),
      },
    };
  });
  return {
    text,
    findings: result.findings,
    length: result.length,
    hasErrors,
    requirements: profileRequirements(result.findings, account.isCharacter),
    checkedAt,
  };
}
