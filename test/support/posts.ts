/**
 * Posts for tests, written straight into the tables (no workflow, no audit entries).
 */
import type { AppContext } from "../../src/app/context.ts";
import { insertPost, insertVersion, type Post, updatePost } from "../../src/db/repos/posts.ts";
import type { LineAudience } from "../../src/domain/line-audience.ts";
import type { PostCategory, PostStatus } from "../../src/domain/posts.ts";

export type SeedPost = {
  accountId: number;
  authorId: number;
  text?: string;
  status?: PostStatus;
  category?: PostCategory;
  kind?: "post" | "correction";
  correctsPostId?: number | null;
  approvedBy?: number | null;
  publishedAt?: Date | null;
  publishedUrl?: string | null;
  createdAt?: Date;
  /** LINE: the narrowcast audience of the post and its first version (default: every friend). */
  audience?: LineAudience | null;
  findings?: Array<{
    rule: string;
    clause: string;
    severity: "error" | "warning" | "info";
    start: number;
    end: number;
    message: string;
    hint: string;
  }>;
};

/** Inserts a post (default: a published normal post) with its first version. */
export async function seedPost(ctx: AppContext, spec: SeedPost): Promise<Post> {
  const at = spec.createdAt ?? ctx.clock.now();
  const status = spec.status ?? "published";
  const findings = spec.findings ?? [];
  const post = await insertPost(ctx.db, {
    accountId: spec.accountId,
    authorId: spec.authorId,
    text: spec.text ?? "【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いています。",
    status,
    category: spec.category ?? "normal",
    kind: spec.kind ?? "post",
    correctsPostId: spec.correctsPostId ?? null,
    findings,
    audience: spec.audience ?? null,
    errorCount: findings.filter((f) => f.severity === "error").length,
    warningCount: findings.filter((f) => f.severity === "warning").length,
    submittedAt: status === "draft" ? null : at,
    approvedAt: ["approved", "published", "deleted"].includes(status) ? at : null,
    approvedBy: spec.approvedBy ?? null,
    approvalRule: ["approved", "published", "deleted"].includes(status) ? "manager" : null,
    approvedVersion: ["approved", "published", "deleted"].includes(status) ? 1 : null,
    publishedAt: status === "published" || status === "deleted" ? (spec.publishedAt ?? at) : null,
    publishedUrl:
      status === "published" || status === "deleted"
        ? (spec.publishedUrl ?? "https://x.com/iwaki_city/status/1")
        : null,
    createdAt: at,
    updatedAt: at,
  });
  await updatePost(ctx.db, post.id, { groupId: post.id }, at);
  await insertVersion(ctx.db, {
    postId: post.id,
    version: 1,
    text: post.text,
    findings,
    images: [],
    audience: spec.audience ?? null,
    authorId: spec.authorId,
    at,
  });
  return { ...post, groupId: post.id };
}
