/**
 * Texts drafted from the guideline pack's incident templates: the 炎上 holding statement
 * (7.2.3) and apology (7.2.2), the なりすまし warning for the public page and the official
 * accounts (7.3.1), the 乗っ取り warning from the other official accounts, and the 7.4 correction. Pure: the facts come in, the text goes out.
 */
import { hijackNoticeText } from "../../domain/hijack.ts";
import type { DraftKind } from "../../domain/incidents.ts";
import { fillTemplate, type GuidelinePack, platformLabel } from "../../guideline/pack.ts";

/** 「11月24日」 for 2026-11-24 (the day a post went out, as a post says it). */
export function monthDay(date: string): string {
  const [, m, d] = date.split("-");
  return `${Number(m)}月${Number(d)}日`;
}

/** The official account a text speaks of. */
export type TemplateAccount = {
  name: string;
  platform: string;
  divisionName: string;
  url: string;
  homepageUrl: string;
};

/** A fake account (7.3). */
export type TemplateFake = { platform: string; handle: string };

/** The facts a template is filled with. */
export type TemplateFacts = {
  pack: GuidelinePack;
  account: TemplateAccount | null;
  /** The day the problem post went out, or today. */
  date: string;
  fake: TemplateFake | null;
  claim: string;
  /** The public list of official accounts (when no account is named). */
  publicListUrl: string;
  /** 乗っ取り (7.3(1)): since when the account named by `account` has been compromised. */
  compromisedSince?: Date | null;
};

function handleText(handle: string): string {
  return handle.startsWith("@") || handle.includes("/") ? handle : `@${handle}`;
}

/** The なりすまし warning (public page and posts, 7.3.1). */
export function warningText(facts: TemplateFacts): string {
  const fake = facts.fake ?? { platform: facts.account?.platform ?? "other", handle: "" };
  return fillTemplate(facts.pack.incidents.impersonationWarning, {
    municipality: facts.pack.municipality,
    platform: platformLabel(fake.platform),
    name: facts.account?.name ?? "公式アカウント",
    handle: fake.handle ? handleText(fake.handle) : "ユーザー名不明",
    officialUrl: facts.account?.url ?? facts.publicListUrl,
  });
}

/**
 * The warning posted from the city's other official accounts about a hijacked one (7.3(1)
 * 当該ソーシャルメディアで周知): which account, and that its posts since the hour it was taken over
 * are not the city's. The system's own wording, not a text of the guideline.
 */
export function hijackWarningText(facts: TemplateFacts): string {
  const account = facts.account;
  const name = account
    ? `${platformLabel(account.platform)}の公式アカウント「${account.name}」`
    : "公式アカウント";
  const since = facts.compromisedSince ? `${hijackNoticeText(facts.compromisedSince)}。` : "";
  return [
    `【ご注意ください】${facts.pack.municipality}の${name}が、第三者による不正アクセスを受けています。`,
    `${since}このアカウントからのメッセージに返信したり、リンクを開いたりしないでください。`,
    "回復しましたら、あらためてお知らせします。",
    `公式アカウントの一覧: ${facts.publicListUrl}`,
  ].join("\n");
}

/** The text of a post drafted from the incident. */
export function draftText(kind: DraftKind, facts: TemplateFacts): string {
  const t = facts.pack.incidents;
  const common = {
    municipality: facts.pack.municipality,
    division: facts.account?.divisionName ?? "",
    platform: facts.account ? platformLabel(facts.account.platform) : "",
    name: facts.account?.name ?? "",
    date: monthDay(facts.date),
    homepageUrl: facts.account?.homepageUrl || facts.publicListUrl,
  };
  switch (kind) {
    case "holding":
      return fillTemplate(t.holdingStatement, common);
    case "apology":
      return fillTemplate(t.apology, common);
    case "warning":
      return warningText(facts);
    case "hijack_warning":
      return hijackWarningText(facts);
    case "correction": {
      const claim = facts.claim.replace(/\s+/g, " ").trim();
      return fillTemplate(t.misinformationCorrection, {
        ...common,
        claim: claim.length > 60 ? `${claim.slice(0, 60)}…` : claim || "（誤った情報の内容）",
      });
    }
  }
}
