/**
 * The fields that several API views of a post (the post itself, its publishing record, the
 * archive) give alike, each group in the order every view lists it.
 */
import type { Post } from "../../db/repos/posts.ts";

/** An instant as an ISO 8601 string, or null. */
export const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The approval (第5-1(4)): submitted, approved (by whom, which version, under which rule), and a post-hoc report's acknowledgement. */
export function approvalFields(
  p: Pick<
    Post,
    | "submittedAt"
    | "approvedAt"
    | "approvedBy"
    | "approvalRule"
    | "approvedVersion"
    | "reportDueAt"
    | "acknowledgedAt"
    | "acknowledgedBy"
  >,
) {
  return {
    submittedAt: iso(p.submittedAt),
    approvedAt: iso(p.approvedAt),
    approvedBy: p.approvedBy,
    approvalRule: p.approvalRule,
    approvedVersion: p.approvedVersion,
    reportDueAt: iso(p.reportDueAt),
    acknowledgedAt: iso(p.acknowledgedAt),
    acknowledgedBy: p.acknowledgedBy,
  };
}

/** What became of the post on the platform: published (where, by whom), deleted, reported erroneous (第5-3). */
export function platformFields(
  p: Pick<
    Post,
    | "publishedAt"
    | "publishedUrl"
    | "publishedBy"
    | "deletedAt"
    | "deletedReason"
    | "erroneousAt"
    | "erroneousBy"
    | "erroneousNote"
  >,
) {
  return {
    publishedAt: iso(p.publishedAt),
    publishedUrl: p.publishedUrl,
    publishedBy: p.publishedBy,
    deletedAt: iso(p.deletedAt),
    deletedReason: p.deletedReason,
    erroneousAt: iso(p.erroneousAt),
    erroneousBy: p.erroneousBy,
    erroneousNote: p.erroneousNote,
  };
}
