/**
 * The guideline pack, account side: platforms (labels, URL shapes), deadlines, limits and
 * templates as the city's guideline sets them. Another municipality ships its own pack with the
 * same shape; the checker's part of the pack lives beside it (iwaki/checker/).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export const platforms = [
  "x",
  "facebook",
  "instagram",
  "line",
  "youtube",
  "threads",
  "bluesky",
  "mastodon",
  "tiktok",
  "note",
  "other",
] as const;
export type Platform = (typeof platforms)[number];

const platformSpec = z.object({
  label: z.string(),
  /** Hosts an account URL of this platform may have (empty: any host, e.g. Mastodon instances). */
  hosts: z.array(z.string()),
  /** Pattern for the URL path; the `handle` (or `channel`) group is the account's handle. */
  path: z.string(),
  handle: z.string(),
  /** URL built from a handle ({handle}); empty when it cannot be (other instances). */
  canonical: z.string(),
  example: z.string(),
});

const officeSchema = z.object({
  /** How the guideline names the post, e.g. 総合政策部長. */
  title: z.string().trim().min(1),
  /** The department whose head holds the post. */
  department: z.string().trim(),
  /** When the post is a division's head (課長), the division. */
  division: z.string().trim().optional(),
});

const officesSchema = z.object({
  departmentHead: z.string().trim().min(1),
  divisionHead: z.string().trim().min(1),
  policyDirector: officeSchema,
  securityDirector: officeSchema,
});

/** Iwaki's posts, for packs written before `offices` existed. */
const iwakiOffices: z.output<typeof officesSchema> = {
  departmentHead: "部長",
  divisionHead: "課長",
  policyDirector: { title: "総合政策部長", department: "総合政策部" },
  securityDirector: { title: "総務部長", department: "総務部" },
};

export const guidelinePackSchema = z.object({
  id: z.string(),
  name: z.string(),
  municipality: z.string(),
  effectiveDate: z.string(),
  versionLabel: z.string(),
  platforms: z.record(z.enum(platforms), platformSpec),
  deadlines: z.object({
    /** The city's media-policy review period in months (4.2.3 asks for reviews but sets no period). */
    policyReviewMonths: z.number().int().positive(),
    /** 4.3.2 速やかに: business days to change the password after a transfer or a list change. */
    rotationDueDays: z.number().int().positive(),
    /** 4.1.4, 4.1.3: business days for the account manager to confirm operators and holders. */
    managerChangeConfirmDays: z.number().int().positive(),
    /** 4.5.2 一月以上前 */
    noticeMinMonths: z.number().int().positive(),
    /** 4.5.2 変更後は1年程度 */
    changeDisplayMonths: z.number().int().positive(),
    /** 4.5.2 廃止後は半年程度 */
    closureDisplayMonths: z.number().int().positive(),
    /** 4.5.1 周知後速やかに: business days to notify the security director after the announcement. */
    securityNotifyDueDays: z.number().int().positive(),
    /** 8.2 周知徹底: days after a version is published before those who have not acknowledged it are reminded. */
    acknowledgementReminderDays: z.number().int().positive().default(14),
  }),
  limits: z.object({ maxCredentialHolders: z.number().int().positive() }),
  /**
   * The posts the guideline ties roles to (4.1.2, 4.1.4): what a department's and a division's
   * heads are called, and which heads are the policy director and the security director. Roles
   * follow from these posts only; a city whose guideline names other posts sets them here.
   */
  offices: officesSchema.default(iwakiOffices),
  /**
   * The guideline's own headings of chapters and sections (id → heading, e.g. "7.2" →
   * 炎上状態となった場合). They are shown apart from the clauses' text, which stays verbatim.
   */
  headings: z.record(z.string().min(1).max(20), z.string()).default({}),
  posts: z.object({
    /** Business days the manager has to acknowledge a post-hoc report (5.1.4 ①–④ allow the report; the period is the city's setting). */
    reportBusinessDays: z.number().int().positive(),
    /** Month-day pairs the offices are closed besides weekends and public holidays (年末年始). */
    closedDays: z.array(z.string().regex(/^\d{2}-\d{2}$/)),
    /** Hours within which a post marked erroneous must be corrected (the city's reading of 5.3.2 直ちに). */
    correctionDueHours: z.number().int().positive(),
    maxImages: z.number().int().positive(),
    maxImageBytes: z.number().int().positive(),
  }),
  /** Incidents (7): the 炎上 statement reminder (7.2.3) and the posts drafted from an incident. */
  incidents: z.object({
    /** 7.2.3: hours after a 炎上 report without a public statement before the manager is reminded. */
    publicStatementReminderHours: z.number().positive(),
    /** 7.2.3 対応に時間を要する場合はその旨説明 */
    holdingStatement: z.string(),
    /** 7.2.2 訂正し謝罪 (5.3.3 訂正したことを明記) */
    apology: z.string(),
    /** 7.3.1 成りすましを周知 (the public warning and the official accounts' post) */
    impersonationWarning: z.string(),
    /** 7.4 正しい情報を発信 */
    misinformationCorrection: z.string(),
  }),
  templates: z.object({
    bio: z.string(),
    bioCharacter: z.string(),
    changeAnnouncement: z.string(),
    closureAnnouncement: z.string(),
    policy: z.object({
      purpose: z.string(),
      platformDescription: z.string(),
      content: z.string(),
      staffInCharge: z.string(),
      frequency: z.string(),
      timing: z.string(),
      method: z.string(),
      commentHandling: z.string(),
      replyText: z.string(),
    }),
  }),
});

export type GuidelinePack = z.infer<typeof guidelinePackSchema>;

let cached: GuidelinePack | undefined;

/** The pack in force (the shipped いわき市 pack; later versions come from the pack registry). */
export function guidelinePack(): GuidelinePack {
  if (!cached) {
    const text = readFileSync(new URL("./iwaki/pack.json", import.meta.url), "utf8");
    cached = guidelinePackSchema.parse(JSON.parse(text));
  }
  return cached;
}

export function platformLabel(platform: string): string {
  const p = platforms.find((x) => x === platform);
  return p ? guidelinePack().platforms[p].label : platform;
}

/** Fills `{name}` placeholders; unknown ones are left as they are. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, key: string) => values[key] ?? whole);
}
