/**
 * Carrying the archive out for an information-disclosure request (情報公開請求): the search result
 * as CSV (UTF-8 with BOM, opens in Excel) and as a printable report with, for each post, its text,
 * its images' alt text and rights, every version with its findings, the approval trail, the
 * post-hoc acknowledgement, the publishing record, deletion, the erroneous marking and its
 * corrections. Only those allowed `post.export` may do it, and each export is an audit entry
 * (`post.export`, with the conditions and the number of posts) because it carries records out.
 */
import { findAccount } from "../../db/repos/accounts.ts";
import {
  type ArchiveRow,
  type CorrectionRef,
  correctionsOfPosts,
  decisionsOf,
  imagesOf,
  scopeNames,
  searchArchive,
  staffNames,
  versionsOf,
} from "../../db/repos/archive.ts";
import { findDivision } from "../../db/repos/org.ts";
import type { PostDecision, PostImageInfo, PostVersion } from "../../db/repos/posts.ts";
import { type PublishingCorrection, publishingCorrectionsOf } from "../../db/repos/publishing.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { formatCsvDateTime, tokyoDate } from "../../domain/dates.ts";
import { validation } from "../../errors.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { toCsvBytes } from "../csv.ts";
import { archiveQuery, exportScope } from "./archive.ts";
import {
  type ArchiveFilter,
  approvalRuleLabels,
  categoryLabel,
  describeFilter,
  filterParams,
  findingClausesOf,
  findingsOf,
  kindLabels,
  type StoredFinding,
  severityLabels,
  statusLabel,
} from "./archive-filter.ts";

/** Posts in one CSV file at most (narrow the conditions, e.g. by year, beyond it). */
export const CSV_EXPORT_LIMIT = 10_000;
/** Posts in one printable report at most (one printed page or more each). */
export const REPORT_LIMIT = 200;

/** The CSV columns, in order. */
export const archiveCsvHeaders = [
  "番号",
  "アカウント",
  "サービス",
  "所管課",
  "種別",
  "区分",
  "状態",
  "本文",
  "作成者",
  "作成日時",
  "承認申請日時",
  "承認日時",
  "承認者",
  "承認の根拠",
  "発信日時",
  "発信URL",
  "発信記録の訂正",
  "削除日時",
  "誤りの指摘日時",
  "訂正投稿の番号",
  "訂正対象の投稿番号",
  "指摘（条項）",
] as const;

const when = (at: Date | null | undefined) => (at ? formatCsvDateTime(at) : "");

/**
 * The corrections of a publishing record in words, one a line: when, by whom, what changed, why
 * (the 発信日時 and 発信URL columns hold the values after the last correction).
 */
export function recordCorrectionText(history: readonly PublishingCorrection[]): string {
  return history
    .map((h) => {
      const changes: string[] = [];
      if (h.publishedAtBefore?.getTime() !== h.publishedAtAfter?.getTime())
        changes.push(
          `発信日時 ${when(h.publishedAtBefore) || "なし"} → ${when(h.publishedAtAfter) || "なし"}`,
        );
      if (h.publishedUrlBefore !== h.publishedUrlAfter)
        changes.push(`URL ${h.publishedUrlBefore ?? "なし"} → ${h.publishedUrlAfter ?? "なし"}`);
      return `${when(h.correctedAt)} ${h.correctedByName ?? `#${h.correctedBy}`}: ${changes.join("、")}（理由: ${h.reason}）`;
    })
    .join("\n");
}

/** The conditions in words, with the account's and division's names. */
async function conditionLines(ctx: AppContext, filter: ArchiveFilter): Promise<string[]> {
  const [account, division] = await Promise.all([
    filter.accountId ? findAccount(ctx.db, filter.accountId) : undefined,
    filter.divisionId ? findDivision(ctx.db, filter.divisionId) : undefined,
  ]);
  return describeFilter(filter, {
    account: account ? `${account.name}（${platformLabel(account.platform)}）` : undefined,
    division: division?.name,
  });
}

/** The matching posts the actor may export; refused above `limit` (nothing is cut off silently). */
async function exportedPosts(
  ctx: AppContext,
  actor: Actor,
  filter: ArchiveFilter,
  limit: number,
  what: string,
): Promise<ArchiveRow[]> {
  const account = filter.accountId ? await findAccount(ctx.db, filter.accountId) : undefined;
  const scope = await exportScope(ctx, actor, filter, account?.divisionId);
  const query = await archiveQuery(ctx, filter);
  const { rows, more } = await searchArchive(ctx.db, { query, scope, limit });
  if (more) {
    throw validation(
      `${what}には一度に${limit.toLocaleString("ja-JP")}件までの投稿を含められます。期間などの条件を絞り込んで、分けて出力してください。`,
    );
  }
  return rows;
}

/** How the approval came about: the rule, with the scope's name when approved under one. */
function approvalText(post: ArchiveRow, scopes: Map<number, string>): string {
  if (!post.approvalRule) return "";
  const label = approvalRuleLabels[post.approvalRule] ?? post.approvalRule;
  const scope = post.approvalRule === "scope" && post.scopeId ? scopes.get(post.scopeId) : undefined;
  return scope ? `${label}（${scope}）` : label;
}

function clauseList(findings: unknown): string {
  return findingClausesOf(findings)
    .map((f) => `${clauseRef(f.clause)}（${severityLabels[f.severity] ?? f.severity}）`)
    .join("、");
}

/**
 * The search result as CSV, one row per post.
 * @param props.actor must be allowed `post.export` (overseers; an account manager for their division)
 * @param props.filter validated conditions; at most CSV_EXPORT_LIMIT posts may match
 * @returns the file (UTF-8 with BOM, CRLF, formula cells neutralised) and the number of posts
 */
export async function exportArchiveCsv(
  ctx: AppContext,
  props: { actor: Actor; filter: ArchiveFilter },
): Promise<{ filename: string; body: Uint8Array; count: number }> {
  const rows = await exportedPosts(ctx, props.actor, props.filter, CSV_EXPORT_LIMIT, "CSV");
  const ids = rows.map((r) => r.id);
  const [corrections, names, scopes, conditions, recordHistory] = await Promise.all([
    correctionsOfPosts(ctx.db, ids),
    staffNames(
      ctx.db,
      rows.flatMap((r) => (r.approvedBy !== null ? [r.approvedBy] : [])),
    ),
    scopeNames(
      ctx.db,
      rows.flatMap((r) => (r.scopeId !== null ? [r.scopeId] : [])),
    ),
    conditionLines(ctx, props.filter),
    publishingCorrectionsOf(ctx.db, ids),
  ]);
  const correctionIds = new Map<number, number[]>();
  for (const c of corrections)
    correctionIds.set(c.correctsPostId, [...(correctionIds.get(c.correctsPostId) ?? []), c.id]);
  const lines = rows.map((r) => [
    String(r.id),
    r.accountName,
    platformLabel(r.platform),
    r.divisionName,
    kindLabels[r.kind === "correction" ? "correction" : "post"],
    categoryLabel(r.category),
    statusLabel(r.status),
    r.text,
    r.authorName,
    when(r.createdAt),
    when(r.submittedAt),
    when(r.approvedAt),
    r.approvedBy !== null ? (names.get(r.approvedBy) ?? "") : "",
    approvalText(r, scopes),
    when(r.publishedAt),
    r.publishedUrl ?? "",
    recordCorrectionText(recordHistory.get(r.id) ?? []),
    when(r.deletedAt),
    when(r.erroneousAt),
    (correctionIds.get(r.id) ?? []).join(" "),
    r.correctsPostId !== null ? String(r.correctsPostId) : "",
    clauseList(r.findings),
  ]);
  const body = toCsvBytes([[...archiveCsvHeaders], ...lines]);
  const at = ctx.clock.now();
  await change(ctx, props.actor, "post.export", async () => ({
    result: undefined,
    target: { type: "posts" },
    summary: { format: "csv", conditions, filter: filterParams(props.filter), count: rows.length },
  }));
  return { filename: `投稿記録_${tokyoDate(at).replaceAll("-", "")}.csv`, body, count: rows.length };
}

/** A version of a post as the report shows it. */
export type ReportVersion = Omit<PostVersion, "findings"> & {
  findings: StoredFinding[];
  authorName: string | null;
};

/** One post with everything recorded about it. */
export type ReportPost = {
  post: ArchiveRow;
  versions: ReportVersion[];
  decisions: PostDecision[];
  images: PostImageInfo[];
  corrections: CorrectionRef[];
  /** Corrections of the publishing record (訂正履歴), oldest first. */
  recordHistory: PublishingCorrection[];
  /** 承認の根拠 in words (with the scope's name). */
  approval: string;
  approvedByName: string | null;
  acknowledgedByName: string | null;
  publishedByName: string | null;
  erroneousByName: string | null;
};

/** The printable report: who made it, when, for which conditions, and the posts. */
export type ArchiveReport = {
  generatedAt: Date;
  generatedBy: string;
  conditions: string[];
  posts: ReportPost[];
};

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/**
 * Everything recorded about the matching posts, for the printable report (one post per page).
 * @param props.actor must be allowed `post.export`
 * @param props.filter validated conditions; at most REPORT_LIMIT posts may match
 */
export async function archiveReport(
  ctx: AppContext,
  props: { actor: Actor; filter: ArchiveFilter },
): Promise<ArchiveReport> {
  const rows = await exportedPosts(ctx, props.actor, props.filter, REPORT_LIMIT, "レポート");
  const ids = rows.map((r) => r.id);
  const [versions, decisions, images, corrections, scopes, conditions, recordHistory] = await Promise.all([
    versionsOf(ctx.db, ids),
    decisionsOf(ctx.db, ids),
    imagesOf(ctx.db, ids),
    correctionsOfPosts(ctx.db, ids),
    scopeNames(
      ctx.db,
      rows.flatMap((r) => (r.scopeId !== null ? [r.scopeId] : [])),
    ),
    conditionLines(ctx, props.filter),
    publishingCorrectionsOf(ctx.db, ids),
  ]);
  const people = [
    ...rows.flatMap((r) => [r.approvedBy, r.acknowledgedBy, r.publishedBy, r.erroneousBy]),
    ...versions.map((v) => v.authorId),
  ].filter((id): id is number => id !== null);
  const names = await staffNames(ctx.db, people);
  const nameOf = (id: number | null) => (id === null ? null : (names.get(id) ?? `#${id}`));
  const versionsByPost = groupBy(versions, (v) => v.postId);
  const decisionsByPost = groupBy(decisions, (d) => d.postId);
  const imagesByPost = groupBy(images, (i) => i.postId);
  const correctionsByPost = groupBy(corrections, (c) => c.correctsPostId);
  const posts = rows.map((post) => ({
    post,
    versions: (versionsByPost.get(post.id) ?? []).map((v) => ({
      ...v,
      findings: findingsOf(v.findings),
      authorName: nameOf(v.authorId),
    })),
    decisions: decisionsByPost.get(post.id) ?? [],
    images: imagesByPost.get(post.id) ?? [],
    corrections: correctionsByPost.get(post.id) ?? [],
    recordHistory: recordHistory.get(post.id) ?? [],
    approval: approvalText(post, scopes),
    approvedByName: nameOf(post.approvedBy),
    acknowledgedByName: nameOf(post.acknowledgedBy),
    publishedByName: nameOf(post.publishedBy),
    erroneousByName: nameOf(post.erroneousBy),
  }));
  const generatedAt = ctx.clock.now();
  await change(ctx, props.actor, "post.export", async () => ({
    result: undefined,
    target: { type: "posts" },
    summary: {
      format: "report",
      conditions,
      filter: filterParams(props.filter),
      count: rows.length,
      postIds: ids,
    },
  }));
  return {
    generatedAt,
    generatedBy: props.actor.kind === "staff" ? props.actor.name : props.actor.label,
    conditions,
    posts,
  };
}
