/**
 * A post's life as a state machine (5.1.4), the post-hoc exceptions and their report deadline
 * in business days, what blocks a submission, and whether a post fits a pre-approved scope.
 * Pure: the use cases ask here.
 */

import holidayJp from "@holiday-jp/holiday_jp";
import { formatDate } from "./dates.ts";

export const postStatuses = [
  "draft",
  "pending",
  "returned",
  "rejected",
  "approved",
  "published",
  "deleted",
] as const;
export type PostStatus = (typeof postStatuses)[number];

/** The first characters of a post's text on one line, so that several posts can be told apart. */
export function postExcerpt(text: string, length = 30): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length > length ? `${chars.slice(0, length).join("")}…` : chars.join("");
}

export function isPostStatus(value: string): value is PostStatus {
  return (postStatuses as readonly string[]).includes(value);
}

export const postStatusLabels: Record<PostStatus, string> = {
  draft: "下書き",
  pending: "承認待ち",
  returned: "差戻し",
  rejected: "却下",
  approved: "承認済",
  published: "発信済",
  deleted: "削除済",
};

/** 通常, or one of the four cases of 5.1.4 ただし書 in which a report afterwards is enough. */
export const postCategories = ["normal", "repost", "fact", "legal", "emergency"] as const;
export type PostCategory = (typeof postCategories)[number];

export function isPostCategory(value: string): value is PostCategory {
  return (postCategories as readonly string[]).includes(value);
}

export const postCategoryLabels: Record<PostCategory, string> = {
  normal: "通常（事前にアカウント管理者の許可）",
  repost: "① 市として既に発信している内容の再発信",
  fact: "② 競技会等の結果など既成の事実",
  legal: "③ 法令等で定められている内容をそのまま",
  emergency: "④ 緊急の告知（災害・気象情報・公演中止など）",
};

export const postCategoryShort: Record<PostCategory, string> = {
  normal: "通常",
  repost: "①再発信",
  fact: "②既成事実",
  legal: "③法令等",
  emergency: "④緊急告知",
};

/** The four post-hoc cases of 5.1.4 ①–④: publish first, report to the manager after. */
export function isPostHoc(category: PostCategory): boolean {
  return category !== "normal";
}

export const postSteps = [
  "submit",
  "approve",
  "return",
  "reject",
  "edit",
  "publish",
  "publish_post_hoc",
  "delete",
] as const;
export type PostStep = (typeof postSteps)[number];

const transitions: Record<PostStep, Partial<Record<PostStatus, PostStatus>>> = {
  submit: { draft: "pending", returned: "pending" },
  approve: { pending: "approved" },
  return: { pending: "returned" },
  reject: { pending: "rejected" },
  // 5.1.4: a change to an approved post needs approval again.
  edit: { draft: "draft", returned: "returned", pending: "pending", approved: "pending" },
  publish: { approved: "published" },
  // 5.1.4 ①–④: published before approval, reported afterwards.
  publish_post_hoc: { draft: "published", returned: "published", pending: "published" },
  delete: { published: "deleted" },
};

/** The status after `step`, or null when the step is not allowed. */
export function nextPostStatus(status: PostStatus, step: PostStep): PostStatus | null {
  return transitions[step][status] ?? null;
}

export function postTransitionTable(): Array<{ from: PostStatus; step: PostStep; to: PostStatus | null }> {
  const out: Array<{ from: PostStatus; step: PostStep; to: PostStatus | null }> = [];
  for (const step of postSteps)
    for (const from of postStatuses) out.push({ from, step, to: nextPostStatus(from, step) });
  return out;
}

/**
 * Whether the checker's findings block a submission: an error blocks unless the operator wrote
 * a justification the approver will read; warnings never block (for an emergency, ④, nothing
 * else is skipped: the findings are still shown).
 */
export function submissionBlock(props: { errorCount: number; justification: string }): string | null {
  if (props.errorCount === 0) return null;
  if (props.justification.trim().length >= 10) return null;
  return `ガイドラインに反するおそれのある指摘（エラー）が${props.errorCount}件あります。修正するか、承認者に向けて理由を10文字以上で記入してください。`;
}

// Business days (Japanese public holidays and the city's closed days)

/** Month-day pairs the city's offices are closed besides weekends and public holidays (年末年始). */
export const defaultClosedDays = ["12-29", "12-30", "12-31", "01-02", "01-03"];

function addDaysIso(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Whether `date` (YYYY-MM-DD) is a working day of the city. */
export function isBusinessDay(date: string, closedDays: readonly string[] = defaultClosedDays): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (holidayJp.isHoliday(date)) return false;
  return !closedDays.includes(date.slice(5));
}

/** The `n`th business day after `date` (the day itself is not counted). */
export function addBusinessDays(
  date: string,
  n: number,
  closedDays: readonly string[] = defaultClosedDays,
): string {
  let current = date;
  let left = n;
  while (left > 0) {
    current = addDaysIso(current, 1);
    if (isBusinessDay(current, closedDays)) left--;
  }
  return current;
}

/**
 * When a post-hoc report must be acknowledged: the end (24:00 Tokyo) of the `businessDays`th
 * business day after the day it was published.
 */
export function reportDueAt(
  publishedTokyoDate: string,
  businessDays: number,
  closedDays?: readonly string[],
): Date {
  const day = addBusinessDays(publishedTokyoDate, businessDays, closedDays);
  return new Date(`${addDaysIso(day, 1)}T00:00:00+09:00`);
}

// Pre-approved scopes (予め範囲を決めた許可, 5.1.4)

export type ScopeField = { name: string; label: string; pattern?: string; maxLength?: number };

export type ScopeSpec = {
  template: string;
  fields: readonly ScopeField[];
  categories: readonly PostCategory[];
  cityLinksOnly: boolean;
  validUntil: string;
  active: boolean;
};

/** The text a scope's template gives for these values. */
export function fillScope(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * Japanese reasons a post does not fit the scope (empty when it does): the scope is in force on
 * `today`, the category is allowed, every field is filled and matches its pattern, the text is
 * exactly the template filled in, and links (if any) go only to the city's trusted domains.
 */
export function scopeProblems(
  scope: ScopeSpec,
  post: {
    text: string;
    values: Record<string, string>;
    category: PostCategory;
    linkDomains: readonly string[];
  },
  today: string,
  isTrustedDomain: (domain: string) => boolean,
): string[] {
  const problems: string[] = [];
  if (!scope.active) problems.push("この範囲の許可は取り消されています。");
  if (today > scope.validUntil)
    problems.push(`この範囲の許可は${formatDate(scope.validUntil)}で期限が切れています。`);
  if (!scope.categories.includes(post.category))
    problems.push("この範囲の許可では、この区分の投稿はできません。");
  for (const field of scope.fields) {
    const value = (post.values[field.name] ?? "").trim();
    if (!value) {
      problems.push(`「${field.label}」を入力してください。`);
      continue;
    }
    if (field.maxLength && [...value].length > field.maxLength)
      problems.push(`「${field.label}」は${field.maxLength}文字以内です。`);
    if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, "u").test(value))
      problems.push(`「${field.label}」の形式が範囲の許可と合いません。`);
  }
  if (post.text !== fillScope(scope.template, post.values))
    problems.push("本文がテンプレートと異なります（テンプレート以外の文を加えると、通常の承認が必要です）。");
  if (scope.cityLinksOnly) {
    for (const domain of post.linkDomains) {
      if (!isTrustedDomain(domain))
        problems.push(`市以外のサイト（${domain}）へのリンクは、この範囲の許可では掲載できません。`);
    }
  }
  return problems;
}

// Re-sends (① 市として既に発信している内容を再度発信する場合, 5.1.4)

/**
 * The longest lead-in a re-send may put before the content it repeats, in characters after
 * NFKC (「市公式アカウントより」 is 10). It may not be longer than the content itself either.
 */
export const RESEND_LEAD_IN_MAX = 30;

/**
 * Text as re-sends are compared: NFKC (full-width and half-width forms alike) with white space
 * (spaces, line breaks) left out, so re-flowing a text does not make it another text.
 */
export function comparableText(text: string): string {
  return text.normalize("NFKC").replace(/\s+/gu, "");
}

/**
 * What a re-send repeats: the text of an earlier post (its URL on the platform optional at the
 * end), or a passage quoted from a page of the city (its URL required at the end).
 */
export type ResendSource = { text: string; url: string | null; urlRequired: boolean };

const quotePairs: ReadonlyArray<readonly [string, string]> = [
  ["「", "」"],
  ["『", "』"],
  ["“", "”"],
  ['"', '"'],
];

const urlLike = /https?:\/\/|www\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/i;

/**
 * Why `text` is not a re-send of `source`, in Japanese (null when it is). A re-send is the
 * content itself (compared after `comparableText`), optionally after a lead-in of at most
 * RESEND_LEAD_IN_MAX characters without a URL (and not longer than the content), optionally in
 * quotation marks 「」『』“”, optionally followed by the source's URL — nothing else. A page's
 * passage must be followed by the page's URL.
 */
export function resendProblem(text: string, source: ResendSource): string | null {
  const t = comparableText(text);
  const s = comparableText(source.text);
  const url = source.url ? comparableText(source.url) : null;
  if (s === "") return "再発信する元の内容が空です。";
  if (t === s && !source.urlRequired) return null;
  const at = t.indexOf(s);
  if (at < 0) {
    return "本文に、市として既に発信した内容がそのままの形で含まれていません。文言を変えた場合は、新しい内容として承認を得てください。";
  }
  let head = t.slice(0, at).trim();
  let tail = t.slice(at + s.length).trim();
  for (const [open, close] of quotePairs) {
    if (head.endsWith(open) && tail.startsWith(close)) {
      head = head.slice(0, -open.length).trim();
      tail = tail.slice(close.length).trim();
      break;
    }
  }
  const urlAtEnd = url !== null && tail === url;
  if (tail !== "" && !urlAtEnd) {
    return "元の内容の後ろには、元の投稿またはページのURLのほかは書けません。言葉を加える場合は、承認を得てください。";
  }
  if (source.urlRequired && !urlAtEnd) {
    return "市のページから引用する場合は、引用した文のあとに、そのページのURLを記載してください。";
  }
  const leadIn = [...head].length;
  if (leadIn > RESEND_LEAD_IN_MAX) {
    return `元の内容の前に付けられる前置き（「市公式アカウントより」など）は${RESEND_LEAD_IN_MAX}文字までです（${leadIn}文字あります）。`;
  }
  if (leadIn > [...s].length) return "前置きが、再発信する内容より長くなっています。";
  if (urlLike.test(head))
    return "前置きにURLは書けません。URLは、元の投稿またはページのものを末尾にだけ記載できます。";
  return null;
}

/**
 * Whether `host` is one of the city's own domains among the trusted-domain patterns of the
 * checker's pack: an exact domain (`city.iwaki.lg.jp`) or a wildcard under a domain of three
 * labels or more (`*.city.iwaki.lg.jp`). Wildcards over a whole namespace (`*.lg.jp`, `*.go.jp`)
 * are every municipality's or the state's: trusted for links (5.3.6), but not 「市として発信」.
 */
export function isCityHost(host: string, trustedPatterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  for (const raw of trustedPatterns) {
    const p = raw.trim().toLowerCase();
    if (!p) continue;
    if (p.startsWith("*.")) {
      const base = p.slice(2);
      if (base.split(".").length < 3) continue;
      if (h === base || h.endsWith(`.${base}`)) return true;
    } else if (h === p || h === `www.${p}`) return true;
  }
  return false;
}

/**
 * 5.1.4: everyone who wrote part of a post — its author, the author of any of its versions (an
 * edit, an image added or removed), and for a post-hoc post the person who published it and so
 * made the report (事後報告). None of them decides on it.
 */
export function postWriters(
  post: { authorId: number; approvalRule: string | null; publishedBy: number | null },
  versionAuthorIds: readonly (number | null)[],
): Set<number> {
  const out = new Set<number>([post.authorId]);
  for (const id of versionAuthorIds) if (id !== null) out.add(id);
  if (post.approvalRule === "post_hoc" && post.publishedBy !== null) out.add(post.publishedBy);
  return out;
}
