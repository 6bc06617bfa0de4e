/**
 * The checker part of a guideline pack: everything a municipality may adjust without code
 * (vocabularies, trusted domains, allow-lists, platform limits, thresholds, clause labels).
 * The default pack lives in `src/guideline/iwaki/checker/`; another version or another city
 * passes its own object to `loadChecker({ pack })`.
 */
import { z } from "zod";
import { platformSchema, severitySchema } from "./types.ts";

const clauseId = z.string().regex(/^\d+(\.\d+)*$/, "clause ids look like 5.2.2.1");
const words = z.array(z.string().min(1));

/** How a platform counts length: X weighted (CJK = 2), UTF-16 chars, graphemes, or Mastodon (URL = 23). */
export const counterSchema = z.enum(["x-weighted", "chars", "graphemes", "mastodon"]);

const limitSchema = z.object({
  limit: z.number().int().positive(),
  counter: counterSchema.default("chars"),
  hashtagLimit: z.number().int().positive().optional(),
});

/** One word or phrase of a vocabulary, with the clause it breaks and how to match it. */
export const vocabEntrySchema = z.object({
  term: z.string().min(1),
  clause: clauseId,
  severity: severitySchema.optional(),
  /** `word`: must be a whole word (morphological analysis); `substring`: anywhere. */
  match: z.enum(["word", "substring"]).default("word"),
  /** The first token's part of speech must start with one of these (e.g. "名詞", "動詞,自立"). */
  pos: words.optional(),
  /** The first token's conjugated form must be one of these (e.g. "命令ｅ"). */
  conj: words.optional(),
  /** Only when it ends the phrase (followed by punctuation, a sentence-final particle or the end). */
  final: z.boolean().default(false),
  /** Also report it inside a compound noun (ボケ防止 is not reported unless this is true). */
  compound: z.boolean().default(false),
  /** Text right after the word that makes it harmless (馬鹿にする describes mockery, it is not an insult). */
  notFollowedBy: words.default([]),
  /** Context groups (see `contexts`) that silence the entry when present in the same sentence. */
  unless: words.default([]),
});
export type VocabEntry = z.infer<typeof vocabEntrySchema>;

/** A word list shipped under `src/checker/data/` (with its licence), mapped to a clause. */
export const vocabSourceSchema = z.object({
  list: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  clause: clauseId,
  severity: severitySchema.optional(),
  match: z.enum(["word", "substring"]).default("word"),
  unless: words.default([]),
  /** Words of the list that this municipality does not use (ordinary words in its posts). */
  exclude: words.default([]),
});

/** A phrase pattern about a group of people; `{group}` stands for any name in `groups`. */
export const groupPatternSchema = z.object({
  rule: z.string(),
  clause: clauseId,
  severity: severitySchema,
  pattern: z.string().min(1),
  message: z.string(),
  hint: z.string(),
});

/** The word lists of a pack (vocabulary.json). */
export const vocabularySchema = z.object({
  sources: z.array(vocabSourceSchema).default([]),
  entries: z.array(vocabEntrySchema).default([]),
  /** Named cue lists; a rule looks at whether the sentence of a hit contains one of them. */
  contexts: z.record(z.string(), words).default({}),
  groups: words.default([]),
  groupPatterns: z.array(groupPatternSchema).default([]),
  markers: z.object({
    confidential: words,
    confidentialBracketed: words,
    confidentialNotBefore: words,
    unpublished: words,
    unpublishedBracketed: words,
    pendingPrefixes: words,
    pendingNouns: words,
    internalDiscussion: words,
    secretSharing: words,
    opinion: words,
    selfPronouns: words,
    /** 正直、…と思う: an adverb that makes the rest of the sentence the writer's own view. */
    stanceAdverbs: words.default([]),
    opinionPredicates: words,
    personalMatters: words,
    rumour: words,
    hearsayAuxiliaries: words,
    correction: words,
    correctionReferences: words,
    bioPolicy: words,
    copyright: words,
    citation: words,
  }),
  security: z.object({
    secretWords: words,
    secretValueStop: words,
    keyWords: words,
    storageVerbs: words,
    serverRooms: words,
    serverRoomDetails: words,
    cameras: words,
    blindSpots: words,
    guardGaps: words,
    publicWifi: words,
  }),
});
export type Vocabulary = z.infer<typeof vocabularySchema>;

/**
 * A rule over phrases: every slot (a named term list of `constructions.terms`) must occur in the
 * same sentence (or in adjacent sentences), e.g. a group of people × an exclusion from a service.
 * `unless` names term lists or vocabulary context groups that, anywhere in those sentences, make
 * the combination harmless (a post that protects the group, warns against the act …).
 */
export const constructionRuleSchema = z.object({
  /** Rule id shown in findings, e.g. "discrimination.group-exclusion". */
  id: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, "rule ids look like discrimination.group-exclusion"),
  clause: clauseId,
  severity: severitySchema,
  /** Names of term lists that must all occur (at least one slot). */
  slots: z.array(z.string().min(1)).min(1).max(6),
  /** `sentence`: all slots in one sentence; `adjacent`: in one sentence or the next one. */
  scope: z.enum(["sentence", "adjacent"]).default("sentence"),
  /** Slots must occur in the order given. */
  ordered: z.boolean().default(false),
  /** With `ordered`: at most this many characters between one slot and the next. */
  maxGap: z.number().int().nonnegative().optional(),
  /** With `ordered`: the largest gap before each slot after the first (overrides `maxGap`). */
  maxGaps: z.array(z.number().int().nonnegative()).optional(),
  /** Term lists or vocabulary context groups that silence the rule in the sentences of a match. */
  unless: words.default([]),
  /** `next`: `unless` also looks at the sentence after the match (…お断りします。ただし補助犬は除きます). */
  unlessScope: z.enum(["match", "next"]).default("match"),
  /** Message; `{slot}` is replaced by the text that matched that slot. */
  message: z.string().min(1),
  /** Why it is a problem and what to write instead (Japanese). */
  hint: z.string().min(1),
});
export type ConstructionRule = z.infer<typeof constructionRuleSchema>;

/**
 * Phrase rules (constructions.json): named term lists and rules combining them. A term starting
 * with `!` is an exception: where it occurs, the list's shorter terms inside it do not count
 * (`最低` is a judgement, `!最低気温` is not).
 */
export const constructionsSchema = z.object({
  terms: z.record(z.string().min(1), words).default({}),
  rules: z.array(constructionRuleSchema).default([]),
});
export type Constructions = z.infer<typeof constructionsSchema>;

/** A whole guideline pack for the checker (pack.json with vocabulary.json and facilities.txt merged in). */
export const checkerPackSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  municipality: z.object({ name: z.string(), aliases: words }),
  /** Clause id → label used in messages, e.g. "第5-2(2)① 個人情報". */
  clauses: z.record(clauseId, z.string()),
  platforms: z.partialRecord(
    platformSchema,
    z.object({ post: limitSchema.optional(), bio: limitSchema.optional() }),
  ),
  thresholds: z.object({
    sentenceLength: z.number().int().positive(),
    hashtags: z.number().int().positive(),
    myNumberKeywordWindow: z.number().int().positive(),
    bankKeywordWindow: z.number().int().positive(),
  }),
  links: z.object({
    trustedDomains: words,
    trustedUrlPrefixes: words.default([]),
    deniedDomains: words.default([]),
    shortenerLists: words,
    extraShorteners: words.default([]),
    notShorteners: words.default([]),
    reviewShortLinks: words.default([]),
    /** Words that mark a URL as an adult site when they are a whole part of its host or path (5.2.9). */
    adultWords: words.default([]),
  }),
  email: z.object({ freeMailDomains: words, roleLocalParts: words }),
  phones: z.object({ allow: words.default([]) }),
  people: z.object({
    honorifics: words,
    notNames: words,
    notNameSuffixes: words,
    officialTitles: words,
    publicRoles: words,
    characterNames: words.default([]),
    personTies: words,
    weakPersonTies: words,
    genericAgeFollowers: words,
    genericBirthContexts: words,
    /** Details that identify a person named without an honorific (年齢, 学校, 容疑, 服装 …). */
    personDetails: words.default([]),
    /** Words right after a name that make it a person accused of something (容疑者, 被告 …). */
    suspectSuffixes: words.default([]),
    /** Words right after a surname that refer to a person by name (という人, という男性 …). */
    nameReferences: words.default([]),
    /** Words before a name that make it a staff member named as the contact (担当, 問い合わせ …). */
    staffContacts: words.default([]),
  }),
  places: z.object({ facilities: words.default([]), facilitySuffixes: words }),
  accounts: z.object({ orgAccountHolders: words }),
  vocabulary: vocabularySchema,
  /** Phrase rules; a pack written before they existed has none. */
  constructions: constructionsSchema.default({ terms: {}, rules: [] }),
});
export type CheckerPack = z.infer<typeof checkerPackSchema>;
/** A pack as written in JSON (defaults not yet applied). */
export type CheckerPackInput = z.input<typeof checkerPackSchema>;
