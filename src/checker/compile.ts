/**
 * Turns a guideline pack (plain JSON) into the structures the rules use at check time: one
 * lexicon for every word list, domain sets, regular expressions. Runs once per loaded pack.
 */
import type { CheckerPack, VocabEntry } from "./pack.ts";
import { asciiLower } from "./text/chars.ts";
import { Lexicon } from "./text/lexicon.ts";
import type { Severity } from "./types.ts";

/** Word-list families that rules look up in the lexicon hits. */
export type Family =
  | "vocab"
  | "context"
  | "confidential"
  | "unpublished"
  | "pendingPrefix"
  | "internalDiscussion"
  | "secretSharing"
  | "opinion"
  | "selfPronoun"
  | "stanceAdverb"
  | "opinionPredicate"
  | "personalMatters"
  | "rumour"
  | "hearsay"
  | "correction"
  | "correctionReference"
  | "bioPolicy"
  | "copyright"
  | "citation"
  | "secretWord"
  | "keyWord"
  | "storageVerb"
  | "serverRoom"
  | "serverRoomDetail"
  | "camera"
  | "blindSpot"
  | "guardGap"
  | "publicWifi"
  | "honorific"
  | "personTie"
  | "weakPersonTie"
  | "personDetail"
  | "publicRole"
  | "facility"
  | "municipality";

/** A vocabulary entry with its defaults applied and context names resolved to bit masks. */
export interface ResolvedVocab {
  term: string;
  clause: string;
  severity: Severity;
  match: "word" | "substring";
  pos: readonly string[] | null;
  conj: readonly string[] | null;
  compound: boolean;
  final: boolean;
  notFollowedBy: readonly string[];
  unlessMask: number;
}

export type LexValue =
  | { family: "vocab"; entry: ResolvedVocab }
  | { family: "context"; bit: number }
  | { family: "slot"; slot: number; negative: boolean }
  | { family: "group" }
  | { family: Exclude<Family, "vocab" | "context"> };

/** A phrase rule with its slot and context names resolved. */
export interface CompiledConstruction {
  id: string;
  clause: string;
  severity: Severity;
  /** Slot indexes (into `CompiledConstructions.names`), in the rule's order. */
  slots: readonly number[];
  adjacent: boolean;
  ordered: boolean;
  /** Largest gap before slot k (index k; entry 0 unused). */
  maxGaps: readonly number[];
  /** Term lists that silence the rule. */
  unlessSlots: readonly number[];
  /** Vocabulary context groups that silence the rule. */
  unlessMask: number;
  /** `unless` also looks at the sentence after the match. */
  unlessNext: boolean;
  message: string;
  hint: string;
}

/** Slots the rules fill from what they found, not from a term list. */
export const BUILTIN_SLOTS = ["@person"] as const;
export type BuiltinSlot = (typeof BUILTIN_SLOTS)[number];

export interface CompiledConstructions {
  /** Term list names; a slot is an index into this list. */
  names: readonly string[];
  /** Built-in slot name (`@person`: a private person's name) → slot, when a rule uses it. */
  builtins: ReadonlyMap<BuiltinSlot, number>;
  rules: readonly CompiledConstruction[];
}

export interface CompiledGroupPattern {
  regex: RegExp;
  /** The pattern names a group (`{group}`): it cannot match a text that names none. */
  needsGroup: boolean;
  rule: string;
  clause: string;
  severity: Severity;
  message: string;
  hint: string;
}

export interface CompiledPack {
  pack: CheckerPack;
  lexicon: Lexicon<LexValue>;
  /** Context group name → bit. */
  contextBits: ReadonlyMap<string, number>;
  groupPatterns: readonly CompiledGroupPattern[];
  constructions: CompiledConstructions;
  trustedDomains: DomainSet;
  deniedDomains: DomainSet;
  shorteners: ReadonlySet<string>;
  reviewShortLinks: ReadonlySet<string>;
  adultWords: ReadonlySet<string>;
  freeMail: ReadonlySet<string>;
  roleLocalParts: ReadonlySet<string>;
  phoneAllow: ReadonlySet<string>;
  notNames: ReadonlySet<string>;
  officialTitles: ReadonlySet<string>;
  characterNames: readonly string[];
  facilitySuffixes: readonly string[];
  orgAccountHolders: readonly string[];
  confidentialNotBefore: readonly string[];
  secretValueStop: readonly string[];
  pendingNouns: readonly string[];
  unpublishedBracketed: ReadonlySet<string>;
  confidentialBracketed: ReadonlySet<string>;
  genericAgeFollowers: readonly string[];
  genericBirthContexts: readonly string[];
  suspectSuffixes: readonly string[];
  nameReferences: readonly string[];
  staffContacts: readonly string[];
}

/** Severity a vocabulary clause gets when the entry does not say (CLAUSES.md: 5.2.8/5.2.10 warn). */
const clauseSeverity: Record<string, Severity> = {
  "5.2.1": "error",
  "5.2.6": "error",
  "5.2.7": "error",
  "5.2.9": "error",
  "5.2.10": "warning",
};

/** Normalises a list word the way the text is normalised before scanning (NFKC, ASCII lower case). */
export function normTerm(term: string): string {
  return asciiLower(term.normalize("NFKC").trim());
}

/** Domain names and `*.suffix` wildcards. */
export class DomainSet {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];

  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      const p = raw.trim().toLowerCase();
      if (!p) continue;
      if (p.startsWith("*.")) this.suffixes.push(p.slice(2));
      else this.exact.add(p);
    }
  }

  /** True when `host` is listed, or is (a subdomain of) a `*.` entry. */
  has(host: string): boolean {
    if (this.exact.has(host)) return true;
    for (const s of this.suffixes) {
      if (host === s || host.endsWith(`.${s}`)) return true;
    }
    return false;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Parses a one-domain-per-line list (`#` comments). */
export function parseDomainList(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const d = line.replace(/#.*/, "").trim().toLowerCase();
    if (d) out.push(d);
  }
  return out;
}

/** Parses a one-word-per-line list (`#` comments, surrounding spaces ignored). */
export function parseWordList(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trimStart().startsWith("#")) continue;
    const w = line.trim();
    if (w) out.push(w);
  }
  return out;
}

/**
 * Compiles `pack`; `lists` holds the text of every data file the pack names
 * (`vocabulary.sources[].list`, `links.shortenerLists`). Throws on unknown context names,
 * missing lists and invalid patterns, naming the culprit.
 */
export function compilePack(pack: CheckerPack, lists: ReadonlyMap<string, string>): CompiledPack {
  const vocab = pack.vocabulary;
  const contextBits = new Map<string, number>();
  for (const name of Object.keys(vocab.contexts)) {
    if (contextBits.size >= 31)
      throw new Error(`guideline pack: too many context groups (max 31) at "${name}"`);
    contextBits.set(name, 1 << contextBits.size);
  }
  const maskOf = (names: readonly string[], where: string): number => {
    let mask = 0;
    for (const name of names) {
      const bit = contextBits.get(name);
      if (bit === undefined) throw new Error(`guideline pack: unknown context group "${name}" in ${where}`);
      mask |= bit;
    }
    return mask;
  };

  const lexicon = new Lexicon<LexValue>();
  const listText = (name: string): string => {
    const text = lists.get(name);
    if (text === undefined) throw new Error(`guideline pack: data list "${name}" is missing`);
    return text;
  };

  // Vocabulary: sources first, then the pack's own entries, which override a source word.
  const resolved = new Map<string, ResolvedVocab>();
  for (const source of vocab.sources) {
    const excluded = new Set(source.exclude.map(normTerm));
    for (const word of parseWordList(listText(source.list))) {
      const term = normTerm(word);
      if (!term || excluded.has(term)) continue;
      resolved.set(term, {
        term,
        clause: source.clause,
        severity: source.severity ?? clauseSeverity[source.clause] ?? "warning",
        match: source.match,
        pos: null,
        conj: null,
        compound: false,
        final: false,
        notFollowedBy: [],
        unlessMask: maskOf(source.unless, `source ${source.list}`),
      });
    }
  }
  for (const e of vocab.entries) {
    const term = normTerm(e.term);
    resolved.set(term, resolveEntry(e, term, maskOf(e.unless, `entry "${e.term}"`)));
  }
  for (const entry of resolved.values()) lexicon.add(entry.term, { family: "vocab", entry });
  for (const [name, cues] of Object.entries(vocab.contexts)) {
    const bit = contextBits.get(name) ?? 0;
    for (const cue of cues) lexicon.add(normTerm(cue), { family: "context", bit });
  }

  const addFamily = (family: Exclude<Family, "vocab" | "context">, terms: readonly string[]): void => {
    for (const t of terms) lexicon.add(normTerm(t), { family });
  };
  const m = vocab.markers;
  addFamily("confidential", m.confidential);
  addFamily("unpublished", m.unpublished);
  addFamily("pendingPrefix", m.pendingPrefixes);
  addFamily("internalDiscussion", m.internalDiscussion);
  addFamily("secretSharing", m.secretSharing);
  addFamily("opinion", m.opinion);
  addFamily("selfPronoun", m.selfPronouns);
  addFamily("stanceAdverb", m.stanceAdverbs);
  addFamily("opinionPredicate", m.opinionPredicates);
  addFamily("personalMatters", m.personalMatters);
  addFamily("rumour", m.rumour);
  addFamily("hearsay", m.hearsayAuxiliaries);
  addFamily("correction", m.correction);
  addFamily("correctionReference", m.correctionReferences);
  addFamily("bioPolicy", m.bioPolicy);
  addFamily("copyright", m.copyright);
  addFamily("citation", m.citation);
  const s = vocab.security;
  addFamily("secretWord", s.secretWords);
  addFamily("keyWord", s.keyWords);
  addFamily("storageVerb", s.storageVerbs);
  addFamily("serverRoom", s.serverRooms);
  addFamily("serverRoomDetail", s.serverRoomDetails);
  addFamily("camera", s.cameras);
  addFamily("blindSpot", s.blindSpots);
  addFamily("guardGap", s.guardGaps);
  addFamily("publicWifi", s.publicWifi);
  const p = pack.people;
  addFamily("honorific", p.honorifics);
  addFamily("personTie", p.personTies);
  addFamily("weakPersonTie", p.weakPersonTies);
  addFamily("personDetail", [...p.personDetails, ...p.suspectSuffixes, ...p.nameReferences]);
  addFamily("publicRole", p.publicRoles);
  addFamily("facility", pack.places.facilities);
  addFamily("municipality", pack.municipality.aliases);

  const groups = [...new Set(vocab.groups.map(normTerm))].sort((a, b) => b.length - a.length);
  // Group patterns only run on texts that name a group (most posts do not).
  for (const g of groups) lexicon.add(g, { family: "group" });
  const constructions = compileConstructions(pack, lexicon, contextBits);
  const groupAlt = `(?<![\\p{sc=Han}\\p{sc=Katakana}ー])(?:${groups.map(escapeRegExp).join("|")})`;
  const groupPatterns = vocab.groupPatterns.map((gp) => {
    try {
      return {
        regex: new RegExp(gp.pattern.replaceAll("{group}", groupAlt), "giu"),
        needsGroup: gp.pattern.includes("{group}"),
        rule: gp.rule,
        clause: gp.clause,
        severity: gp.severity,
        message: gp.message,
        hint: gp.hint,
      };
    } catch (error) {
      throw new Error(`guideline pack: invalid group pattern ${JSON.stringify(gp.pattern)}`, {
        cause: error,
      });
    }
  });

  const shorteners = new Set<string>();
  for (const name of pack.links.shortenerLists) {
    for (const d of parseDomainList(listText(name))) shorteners.add(d);
  }
  for (const d of pack.links.extraShorteners) shorteners.add(d.toLowerCase());
  for (const d of pack.links.notShorteners) shorteners.delete(d.toLowerCase());

  return {
    pack,
    lexicon,
    contextBits,
    groupPatterns,
    constructions,
    trustedDomains: new DomainSet(pack.links.trustedDomains),
    deniedDomains: new DomainSet(pack.links.deniedDomains),
    shorteners,
    reviewShortLinks: new Set(pack.links.reviewShortLinks.map((d) => d.toLowerCase())),
    adultWords: new Set(pack.links.adultWords.map((w) => w.toLowerCase())),
    freeMail: new Set(pack.email.freeMailDomains.map((d) => d.toLowerCase())),
    roleLocalParts: new Set(pack.email.roleLocalParts.map((d) => d.toLowerCase())),
    phoneAllow: new Set(pack.phones.allow.map((n) => n.normalize("NFKC").replace(/\D/g, ""))),
    notNames: new Set(p.notNames.map(normTerm)),
    officialTitles: new Set(p.officialTitles.map(normTerm)),
    characterNames: p.characterNames.map(normTerm),
    facilitySuffixes: pack.places.facilitySuffixes.map(normTerm),
    orgAccountHolders: pack.accounts.orgAccountHolders.map(normTerm),
    confidentialNotBefore: m.confidentialNotBefore.map(normTerm),
    secretValueStop: s.secretValueStop.map(normTerm),
    pendingNouns: m.pendingNouns.map(normTerm),
    unpublishedBracketed: new Set(m.unpublishedBracketed.map(normTerm)),
    confidentialBracketed: new Set(m.confidentialBracketed.map(normTerm)),
    genericAgeFollowers: p.genericAgeFollowers.map(normTerm),
    genericBirthContexts: p.genericBirthContexts.map(normTerm),
    suspectSuffixes: p.suspectSuffixes.map(normTerm),
    nameReferences: p.nameReferences.map(normTerm),
    staffContacts: p.staffContacts.map(normTerm),
  };
}

/**
 * Adds the term lists of `pack.constructions` to the lexicon (one slot per list; `!` terms are
 * exceptions) and resolves the rules' slot and `unless` names. Throws on an unknown name.
 */
function compileConstructions(
  pack: CheckerPack,
  lexicon: Lexicon<LexValue>,
  contextBits: ReadonlyMap<string, number>,
): CompiledConstructions {
  const { terms, rules } = pack.constructions;
  const names = Object.keys(terms);
  const index = new Map(names.map((n, i) => [n, i]));
  const builtins = new Map<BuiltinSlot, number>();
  for (const b of BUILTIN_SLOTS) {
    if (index.has(b) || !rules.some((r) => r.slots.includes(b) || r.unless.includes(b))) continue;
    index.set(b, names.length);
    builtins.set(b, names.length);
    names.push(b);
  }
  names.forEach((name, slot) => {
    for (const raw of terms[name] ?? []) {
      const negative = raw.startsWith("!");
      const term = normTerm(negative ? raw.slice(1) : raw);
      if (term) lexicon.add(term, { family: "slot", slot, negative });
    }
  });
  const compiled = rules.map((r): CompiledConstruction => {
    const slots = r.slots.map((name) => {
      const i = index.get(name);
      if (i === undefined) throw new Error(`guideline pack: rule "${r.id}" uses unknown term list "${name}"`);
      return i;
    });
    const unlessSlots: number[] = [];
    let unlessMask = 0;
    for (const name of r.unless) {
      const i = index.get(name);
      const bit = contextBits.get(name);
      if (i !== undefined) unlessSlots.push(i);
      else if (bit !== undefined) unlessMask |= bit;
      else throw new Error(`guideline pack: rule "${r.id}" names unknown term list or context "${name}"`);
    }
    return {
      id: r.id,
      clause: r.clause,
      severity: r.severity,
      slots,
      adjacent: r.scope === "adjacent",
      ordered: r.ordered,
      maxGaps: slots.map((_, k) => r.maxGaps?.[k - 1] ?? r.maxGap ?? Number.POSITIVE_INFINITY),
      unlessSlots,
      unlessMask,
      unlessNext: r.unlessScope === "next",
      message: r.message,
      hint: r.hint,
    };
  });
  return { names, builtins, rules: compiled };
}

function resolveEntry(e: VocabEntry, term: string, unlessMask: number): ResolvedVocab {
  return {
    term,
    clause: e.clause,
    severity: e.severity ?? clauseSeverity[e.clause] ?? "warning",
    match: e.match,
    pos: e.pos ?? null,
    conj: e.conj ?? null,
    compound: e.compound,
    final: e.final,
    notFollowedBy: e.notFollowedBy.map(normTerm),
    unlessMask,
  };
}
