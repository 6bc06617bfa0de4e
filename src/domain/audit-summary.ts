/**
 * An audit entry's recorded details (`summary`, JSON) as short Japanese sentences for the log
 * viewer and its CSV export: 「版2を承認（コメントなし）」, 「状態: 承認待ち → 承認済み」. The
 * JSON itself stays the record; these sentences only read it, and say nothing of what they do not
 * recognise (the viewer shows the JSON beside them).
 */
import { accountStatusLabels } from "./accounts.ts";
import { consultationStatusLabels } from "./consultations.ts";
import { formatDateTime } from "./dates.ts";
import { filingStatusLabels } from "./filings.ts";
import { incidentSeverityLabels, incidentStatusLabels } from "./incidents.ts";
import { noticeStatusLabels } from "./notices.ts";
import { postCategoryShort, postStatusLabels } from "./posts.ts";
import { violationSeverityLabels, violationStatusLabels } from "./violations.ts";

/** What an entry is about, in Japanese (`targetType` → label); other types are shown as recorded. */
export const auditTargetLabels: Record<string, string> = {
  account: "アカウント",
  action: "操作",
  apitoken: "APIトークン",
  audit: "監査ログ",
  consultation: "協議",
  council: "協議会",
  department: "部",
  division: "課",
  filing: "届出",
  guideline: "ガイドライン",
  incident: "インシデント",
  notice: "変更・廃止",
  notification: "通知",
  policy: "メディアポリシー",
  position: "職",
  post: "投稿",
  staff: "職員",
  system: "システム",
  task: "タスク",
  transfer: "人事異動",
  violation: "違反の記録",
};

/** The entry's target as 「投稿 #12」. */
export function auditTargetText(targetType: string, targetId: string | null): string {
  const type = auditTargetLabels[targetType] ?? targetType;
  return targetId ? `${type} #${targetId}` : type;
}

/** Status words by the target they belong to; the first table with the value is used otherwise. */
const statusTables: Record<string, Record<string, string>> = {
  post: postStatusLabels,
  account: accountStatusLabels,
  incident: incidentStatusLabels,
  notice: noticeStatusLabels,
  filing: filingStatusLabels,
  consultation: consultationStatusLabels,
  violation: violationStatusLabels,
};

/** Every status word, for a target without its own table (the first table wins). */
const anyStatus: Record<string, string> = Object.fromEntries(
  Object.values(statusTables)
    .toReversed()
    .flatMap((table) => Object.entries(table)),
);

const severityTables: Record<string, Record<string, string>> = {
  incident: incidentSeverityLabels,
  violation: violationSeverityLabels,
};

/** Why a post counts as approved (posts.approval_rule), shortly. */
const ruleWords: Record<string, string> = {
  manager: "アカウント管理者",
  deputy: "不在時の代理者",
  scope: "予め範囲を決めた許可",
  verbal: "口頭による許可",
  post_hoc: "事後報告",
  on_the_spot: "その場での確認",
};

/** Names of the fields recorded under `changes`, `changed` and as before/after pairs. */
const fieldWords: Record<string, string> = {
  name: "名称",
  kana: "ふりがな",
  email: "メールアドレス",
  code: "コード",
  active: "在職・有効",
  departmentId: "部",
  divisionId: "課",
  positionId: "職",
  employeeNo: "職員番号",
  text: "本文",
  category: "区分",
  scheduledAt: "予約日時",
  embargoUntil: "公表できる日時",
  images: "画像",
  status: "状態",
  severity: "深刻度",
  title: "件名",
  note: "メモ",
  reason: "理由",
  comment: "コメント",
  publishedUrl: "発信したURL",
  publishedAt: "発信日時",
  dueDate: "期限",
  assigneeId: "担当者",
  handle: "ユーザー名",
  url: "URL",
  purpose: "目的",
  managerId: "アカウント管理者",
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** One recorded value in words: times in Japan time, none as （なし）, long texts shortened. */
export function auditValueText(value: unknown, words: Record<string, string> = {}): string {
  if (value === null || value === undefined || value === "") return "（なし）";
  if (typeof value === "boolean") return value ? "はい" : "いいえ";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    if (words[value]) return words[value];
    if (INSTANT.test(value)) return formatDateTime(new Date(value), { seconds: true });
    return value.length > 80 ? `${value.slice(0, 80)}…` : value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "（なし）";
    if (value.every((v) => typeof v !== "object" || v === null))
      return value.map((v) => auditValueText(v, words)).join("、");
    return `${value.length}件`;
  }
  return "（詳細はJSON）";
}

function wordsFor(key: string, targetType: string): Record<string, string> {
  if (key === "status" || key === "from" || key === "to") return statusTables[targetType] ?? anyStatus;
  if (key === "severity") return severityTables[targetType] ?? {};
  if (key === "category") return postCategoryShort;
  if (key === "rule") return ruleWords;
  return {};
}

function isChange(value: unknown): value is { before: unknown; after: unknown } {
  return isObject(value) && "before" in value && "after" in value && Object.keys(value).length === 2;
}

function fieldWord(key: string): string {
  return fieldWords[key] ?? key;
}

/** 「状態: 承認待ち → 承認済み」 for a `{ before, after }` pair under `key`. */
function changeSentence(
  key: string,
  change: { before: unknown; after: unknown },
  targetType: string,
): string {
  const words = wordsFor(key, targetType);
  return `${fieldWord(key)}: ${auditValueText(change.before, words)} → ${auditValueText(change.after, words)}`;
}

function commentPart(comment: unknown): string {
  return typeof comment === "string" && comment.trim() !== ""
    ? `コメント: ${auditValueText(comment)}`
    : "コメントなし";
}

const decisionVerbs: Record<string, string> = {
  "post.approve": "承認",
  "post.return": "差戻し",
  "post.reject": "却下",
};

/** The sentence that leads an entry of one of the post decisions, or undefined. */
function leadSentence(action: string, s: Record<string, unknown>): string | undefined {
  const version = typeof s.version === "number" ? `版${s.version}` : "投稿";
  const verb = decisionVerbs[action];
  if (verb) return `${version}を${verb}（${commentPart(s.comment)}）`;
  if (action === "post.submit") return `${version}の承認を申請`;
  if (action === "post.approve_verbal")
    return `${version}を口頭で許可（許可した日時: ${auditValueText(s.givenAt)}、${commentPart(s.comment)}）`;
  if (action === "post.acknowledge")
    return `${version}の事後報告を確認（${s.late === true ? "期限後、" : ""}${commentPart(s.comment)}）`;
  if (action === "post.edit") return `${version}として保存`;
  if (action === "post.discard") return `${version}の下書きを破棄`;
  return undefined;
}

/** Keys a lead sentence has already said, per action. */
const saidByLead: Record<string, readonly string[]> = {
  "post.approve": ["version", "comment"],
  "post.return": ["version", "comment"],
  "post.reject": ["version", "comment"],
  "post.submit": ["version"],
  "post.approve_verbal": ["version", "comment", "givenAt"],
  "post.acknowledge": ["version", "comment", "late"],
  "post.edit": ["version"],
  "post.discard": ["version"],
};

/** Sentences for keys that read the same in every entry. */
function keySentence(key: string, value: unknown, s: Record<string, unknown>, targetType: string) {
  if (isChange(value)) return changeSentence(key, value, targetType);
  switch (key) {
    case "from":
      return "to" in s && statusTables[targetType]
        ? changeSentence("status", { before: value, after: s.to }, targetType)
        : undefined;
    case "rule":
      return value === "manager" ? undefined : `許可の根拠: ${auditValueText(value, ruleWords)}`;
    case "findings":
      return Array.isArray(value) ? findingsSentence(value) : undefined;
    case "changes":
      return isObject(value)
        ? Object.entries(value)
            .filter(([, c]) => isChange(c))
            .map(([k, c]) => (isChange(c) ? changeSentence(k, c, targetType) : ""))
            .join("、") || undefined
        : undefined;
    case "changed":
      return Array.isArray(value)
        ? `変更した項目: ${value.map((v) => fieldWord(String(v))).join("、")}`
        : undefined;
    case "justification":
      return `エラーの指摘があるまま進める理由: ${auditValueText(value)}`;
    case "after":
      return isObject(value) && !isChange(value) ? recordedFields(value) : undefined;
    case "written":
      return `通知${auditValueText(value)}件`;
    case "ended":
      return `ログアウトさせた端末: ${auditValueText(value)}台`;
    case "resubmission":
      return value === true ? "再提出" : undefined;
    default:
      return simpleKeys.has(key)
        ? `${fieldWord(key)}: ${auditValueText(value, wordsFor(key, targetType))}`
        : undefined;
  }
}

/** 「名称: 広報 太郎、職員番号: S1234」 for the fields of a created record that have a name. */
function recordedFields(values: Record<string, unknown>): string | undefined {
  const said = Object.entries(values)
    .filter(
      ([key, value]) => fieldWords[key] && !key.endsWith("Id") && value !== "" && typeof value !== "object",
    )
    .map(([key, value]) => `${fieldWord(key)}: ${auditValueText(value)}`);
  return said.length ? said.join("、") : undefined;
}

/** Keys whose value is said as 「名前: 値」. */
const simpleKeys = new Set([
  "comment",
  "note",
  "reason",
  "title",
  "category",
  "text",
  "severity",
  "publishedUrl",
  "publishedAt",
  "scheduledAt",
  "url",
  "handle",
  "name",
]);

function findingsSentence(findings: unknown[]): string {
  const count = (severity: string) => findings.filter((f) => isObject(f) && f.severity === severity).length;
  const errors = count("error");
  const warnings = count("warning");
  return errors + warnings === 0 ? "指摘なし" : `指摘: 要修正${errors}件、注意${warnings}件`;
}

/**
 * The entry's recorded details as sentences, most important first. Keys it does not know are left
 * to the JSON; an entry with nothing recorded gives none.
 */
export function describeAuditEntry(entry: {
  action: string;
  targetType: string;
  summary: unknown;
}): string[] {
  const s = isObject(entry.summary) ? entry.summary : {};
  const sentences: string[] = [];
  const lead = leadSentence(entry.action, s);
  if (lead) sentences.push(lead);
  const said = new Set(saidByLead[entry.action] ?? []);
  for (const [key, value] of Object.entries(s)) {
    if (said.has(key) || (key === "to" && "from" in s)) continue;
    const sentence = keySentence(key, value, s, entry.targetType);
    if (sentence) sentences.push(sentence);
  }
  return sentences;
}

/** The details as JSON for reading: indented, as recorded. */
export function auditSummaryJson(summary: unknown): string {
  return JSON.stringify(summary, null, 2) ?? "";
}
