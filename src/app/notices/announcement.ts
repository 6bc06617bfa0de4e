/**
 * The announcement post of a change or closure (4.5.2): its text generated from the guideline
 * pack's template, and checked by the compliance checker like any post, so an announcement
 * cannot go out with an error in it.
 */
import { type Finding, loadChecker } from "../../checker/index.ts";
import { changeText, japaneseDate, type NoticeDetails, type NoticeKind } from "../../domain/notices.ts";
import { fillTemplate, type GuidelinePack, type Platform, platformLabel } from "../../guideline/pack.ts";

/** What the template needs to know about the account and the notice. */
export type AnnouncementFacts = {
  kind: NoticeKind;
  details: NoticeDetails;
  effectiveDate: string;
  account: { name: string; platform: Platform; divisionName: string; homepageUrl: string };
};

/**
 * The announcement text from the pack's template ({municipality} {division} {platform} {name}
 * {effectiveDate} {changeText} {homepageUrl}); the date is written 「2026年3月1日」.
 */
export function announcementText(pack: GuidelinePack, facts: AnnouncementFacts): string {
  const template =
    facts.kind === "change" ? pack.templates.changeAnnouncement : pack.templates.closureAnnouncement;
  return fillTemplate(template, {
    municipality: pack.municipality,
    division: facts.account.divisionName,
    platform: platformLabel(facts.account.platform),
    name: facts.account.name,
    effectiveDate: japaneseDate(facts.effectiveDate),
    changeText: changeText(facts.details, platformLabel),
    homepageUrl: facts.account.homepageUrl,
  }).trim();
}

/** The account a post is checked against (its division, site, character). */
export type CheckedAccount = {
  platform: Platform;
  divisionName: string;
  homepageUrl: string;
  isCharacter: boolean;
};

/** Checks an announcement as a post of the account (errors block scheduling; 4.5.2, 5.x). */
export async function checkAnnouncement(
  text: string,
  account: CheckedAccount,
  now: Date,
): Promise<Finding[]> {
  const checker = await loadChecker();
  return checker.check(
    {
      text,
      platform: account.platform,
      kind: "post",
      account: {
        division: account.divisionName,
        homepageUrl: account.homepageUrl || undefined,
        character: account.isCharacter,
      },
    },
    now,
  ).findings;
}
