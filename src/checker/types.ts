/**
 * Input and output types of the compliance checker, as zod schemas (the API validates with them)
 * and the TypeScript types inferred from them.
 */
import { z } from "zod";

/** Platforms the checker knows the limits of (`other` has none). */
export const platformSchema = z.enum([
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
]);
export type Platform = z.infer<typeof platformSchema>;

/** What the text is: a post, the account profile (bio), or a post that corrects an earlier one. */
export const postKindSchema = z.enum(["post", "bio", "correction"]);
export type PostKind = z.infer<typeof postKindSchema>;

/** error: forbidden by the guideline; warning: a person must look; info: worth knowing. */
export const severitySchema = z.enum(["error", "warning", "info"]);
export type Severity = z.infer<typeof severitySchema>;

/** The account the text belongs to (optional; bios are checked against it). */
export const accountSchema = z.object({
  division: z.string().max(200).optional(),
  homepageUrl: z.string().max(2000).optional(),
  character: z.boolean().optional(),
  policyUrl: z.string().max(2000).optional(),
});

/** One text to check. Unknown fields (a corpus line's `id`, `expect`, `allow`) are dropped. */
export const checkInputSchema = z.object({
  text: z.string().max(20000),
  platform: platformSchema,
  kind: postKindSchema.default("post"),
  account: accountSchema.optional(),
  postDate: z.iso.date().optional(),
  hasImages: z.boolean().optional(),
  imagesRightsConfirmed: z.boolean().optional(),
  embargoUntil: z.iso.datetime({ offset: true, local: true }).optional(),
});
export type CheckInput = z.infer<typeof checkInputSchema>;

/** One problem found: where it is (UTF-16 offsets into the original text) and what to do. */
export const findingSchema = z.object({
  rule: z.string(),
  clause: z.string(),
  severity: severitySchema,
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  message: z.string(),
  hint: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

/** Live length counter for the editor: how much of the platform's limit the text uses. */
export const lengthInfoSchema = z.object({
  platform: platformSchema,
  unit: z.enum(["x-weighted", "chars", "graphemes", "mastodon"]),
  used: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
});
export type LengthInfo = z.infer<typeof lengthInfoSchema>;

/** A URL found in the text, with how the checker classified its domain. */
export const linkInfoSchema = z.object({
  url: z.string(),
  domain: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  category: z.enum(["trusted", "third-party", "shortener", "platform-short-link", "denied"]),
});
export type LinkInfo = z.infer<typeof linkInfoSchema>;

/** What `Checker.check` returns: findings in text order, plus the length counter and the links. */
export const checkResultSchema = z.object({
  findings: z.array(findingSchema),
  length: lengthInfoSchema.optional(),
  links: z.array(linkInfoSchema).optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;
