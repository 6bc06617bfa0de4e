/**
 * Reading posts for the drafting and approval pages: one post with everything the author and
 * the approver need (text, findings, images, versions, decisions, the group, what this person
 * may do now), a person's lists (my posts, waiting for my approval, post-hoc reports to
 * acknowledge), and what an operator may draft for.
 */
import type { Finding, LengthInfo } from "../../checker/index.ts";
import { type AccountView, accountsTouching, findAccountView } from "../../db/repos/accounts.ts";
import { type OutboxRow, outboxOfPost } from "../../db/repos/platform-publishing.ts";
import {
  deputyDivisionsOn,
  hasDecisions,
  pendingInDivisions,
  postsByAuthor,
  recentPublishedOfCity,
  unacknowledgedReports,
  versionAuthorsOf,
} from "../../db/repos/post-queues.ts";
import {
  findPostView,
  findScope,
  listDecisions,
  listImages,
  listScopes,
  listVersions,
  type PostDecision,
  type PostImageInfo,
  type PostScope,
  type PostVersion,
  type PostView,
  postsOfGroup,
} from "../../db/repos/posts.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { audienceLabel, type LineAudience, storedAudience } from "../../domain/line-audience.ts";
import { isPostHoc, nextPostStatus, type PostStatus } from "../../domain/posts.ts";
import { AppError, notFound } from "../../errors.ts";
import { allowed } from "../authorize.ts";
import type { Actor, AppContext, StaffActor } from "../context.ts";
import { accountTargetFor, canSeePost, getPost } from "./access.ts";
import { checkPost, readFindings } from "./checking.ts";
import { confirmersFor } from "./confirmation.ts";
import { managedDivisionIds } from "./deputies.ts";
import { isOwnPost, isPostable, writersOf } from "./posting.ts";
import { type ResendSourceView, resendVerdict } from "./resend.ts";

/** What the person may do with the post now. */
export type PostActions = {
  edit: boolean;
  submit: boolean;
  discard: boolean;
  publishPostHoc: boolean;
  /** Approve, return, reject, record a verbal approval. */
  decide: boolean;
  acknowledge: boolean;
  /** The person could decide if they had not written the post (5.1.4: say why they cannot). */
  ownPostBlocksDecision: boolean;
};

/** A version with its author's name. */
export type VersionView = PostVersion & { authorName: string | null; findingList: Finding[] };

/** One post with everything its page shows. */
/** One platform's automatic sending of a post (its outbox row), as the post page shows it. */
export type AutoSendView = {
  platform: string;
  status: string;
  statusLabel: string;
  /** The last refusal or note, in Japanese (why it stopped, LINE's reason, a narrowcast overdue). */
  lastError: string;
  requestId: string | null;
  acceptedAt: Date | null;
  /** A LINE narrowcast's progress as LINE last reported it. */
  progress: {
    phase: string;
    targetCount: number | null;
    successCount: number | null;
    failureCount: number | null;
    completedTime: string | null;
  } | null;
  /** A narrowcast still not sent a day after LINE accepted it. */
  overdue: boolean;
};

const outboxStatusLabels: Record<string, string> = {
  pending: "送信待ち",
  sending: "送信中",
  accepted: "受け付けられました（記録待ち）",
  delivering: "LINEが受け付けました（配信の結果待ち）",
  recorded: "発信し、記録しました",
  failed: "発信できませんでした",
  cancelled: "取りやめました",
};

const numberOr = (o: Record<string, unknown>, key: string): number | null => {
  const v = o[key];
  return typeof v === "number" ? v : null;
};
const recordOf = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};

/** An outbox row as the post page shows it (never a token: the row holds none). */
export function autoSendView(row: OutboxRow): AutoSendView {
  const response = recordOf(row.response);
  const progress = response.progress === undefined ? null : recordOf(response.progress);
  return {
    platform: row.platform,
    status: row.status,
    statusLabel: outboxStatusLabels[row.status] ?? row.status,
    lastError: row.lastError,
    requestId: row.platformRequestId,
    acceptedAt: row.platformAt,
    progress: progress
      ? {
          phase: typeof progress.phase === "string" ? progress.phase : "",
          targetCount: numberOr(progress, "targetCount"),
          successCount: numberOr(progress, "successCount"),
          failureCount: numberOr(progress, "failureCount"),
          completedTime: typeof progress.completedTime === "string" ? progress.completedTime : null,
        }
      : null,
    overdue: row.status === "delivering" && response.overdueTaskId !== undefined,
  };
}

export type PostDetail = {
  post: PostView;
  account: AccountView;
  findings: Finding[];
  length: LengthInfo | undefined;
  group: PostView[];
  versions: VersionView[];
  decisions: PostDecision[];
  images: PostImageInfo[];
  repostOf: PostView | null;
  scope: PostScope | null;
  can: PostActions;
  /**
   * ① a re-send: its source and, when the text is not that content (or the source is no longer
   * acceptable), why — it then needs approval instead of a post-hoc report.
   */
  resend: { source: ResendSourceView | null; problem: string | null } | null;
  /**
   * Who may confirm the post on the spot when it is published at once with an error finding
   * (5.2): the account's approvers today, none of whom wrote part of it. Empty otherwise.
   */
  confirmers: Array<{ id: number; name: string }>;
  reportOverdue: boolean;
  /** For a correction (5.3.3): the post it corrects, to show the two side by side. */
  original: { id: number; text: string } | null;
  /** LINE: who receives it, as stored and in plain Japanese; null for other platforms. */
  audience: { stored: LineAudience | null; label: string } | null;
  /** The automatic sending through a connection (newest first); empty when none. */
  autoSend: AutoSendView[];
  now: Date;
};

/** ① the re-send's source and whether the text is that content (a problem as text). */
async function resendOf(ctx: AppContext, post: PostView): Promise<PostDetail["resend"]> {
  if (post.category !== "repost") return null;
  try {
    return await resendVerdict(ctx.db, post);
  } catch (error) {
    if (error instanceof AppError && error.code === "validation")
      return { source: null, problem: error.message };
    throw error;
  }
}

/**
 * One post for its page (404 when the person may not see it).
 */
export async function postDetail(ctx: AppContext, props: { actor: Actor; id: number }): Promise<PostDetail> {
  const post = await getPost(ctx, props);
  const account = await findAccountView(ctx.db, post.accountId);
  if (!account) throw notFound("アカウント");
  const now = ctx.clock.now();
  const [target, versions, decisions, images, group, decided] = await Promise.all([
    accountTargetFor(ctx, props.actor, post),
    listVersions(ctx.db, post.id),
    listDecisions(ctx.db, post.id),
    listImages(ctx.db, post.id),
    post.groupId ? postsOfGroup(ctx.db, post.groupId) : Promise.resolve([]),
    hasDecisions(ctx.db, post.id),
  ]);
  const names = new Map<number, string>();
  for (const id of new Set(versions.flatMap((v) => (v.authorId === null ? [] : [v.authorId])))) {
    const person = await findStaff(ctx.db, id);
    if (person) names.set(id, person.name);
  }
  const versionAuthors = versions.map((v) => v.authorId);
  const own = isOwnPost(post, props.actor, versionAuthors);
  const draft = allowed(props.actor, "post.draft", target);
  const approver = allowed(props.actor, "post.approve", target);
  const acknowledger = allowed(props.actor, "post.acknowledge", target);
  const pendingReport =
    post.approvalRule === "post_hoc" && post.reportDueAt !== null && post.acknowledgedAt === null;
  const resend = await resendOf(ctx, post);
  const can: PostActions = {
    edit: draft && nextPostStatus(post.status, "edit") !== null,
    submit: draft && nextPostStatus(post.status, "submit") !== null,
    discard: draft && post.status === "draft" && !decided,
    // ① whose text is not its source's content needs approval instead (5.1.4).
    publishPostHoc:
      draft &&
      isPostHoc(post.category) &&
      nextPostStatus(post.status, "publish_post_hoc") !== null &&
      !resend?.problem,
    decide: approver && !own && post.status === "pending",
    acknowledge: acknowledger && !own && pendingReport,
    ownPostBlocksDecision:
      own && ((approver && post.status === "pending") || (acknowledger && pendingReport)),
  };
  const repost = post.repostOf ? await findPostView(ctx.db, post.repostOf) : undefined;
  // A published post is public; an unpublished one only to those who may see it.
  const visibleRepost =
    repost && (repost.status === "published" || (await canSeePost(ctx, props.actor, repost))) ? repost : null;
  const check = await checkPost(account, { ...post, imageCount: images.length }, now);
  const original =
    post.kind === "correction" && post.correctsPostId !== null
      ? await getPost(ctx, { actor: props.actor, id: post.correctsPostId }).catch(() => null)
      : null;
  const confirmers =
    can.publishPostHoc && post.errorCount > 0
      ? await confirmersFor(ctx, props.actor, post, writersOf(post, versionAuthors))
      : [];
  return {
    post,
    account,
    findings: readFindings(post.findings),
    length: check.length,
    group: group.filter((p) => p.id !== post.id),
    versions: versions.map((v) => ({
      ...v,
      authorName: v.authorId === null ? null : (names.get(v.authorId) ?? null),
      findingList: readFindings(v.findings),
    })),
    decisions,
    images,
    repostOf: visibleRepost,
    scope: post.scopeId ? ((await findScope(ctx.db, post.scopeId)) ?? null) : null,
    can,
    resend,
    confirmers,
    reportOverdue: pendingReport && post.reportDueAt !== null && post.reportDueAt.getTime() < now.getTime(),
    original: original ? { id: original.id, text: original.text } : null,
    audience:
      account.platform === "line"
        ? { stored: storedAudience(post.audience), label: audienceLabel(storedAudience(post.audience)) }
        : null,
    autoSend: (await outboxOfPost(ctx.db, post.id)).map(autoSendView),
    now,
  };
}

/** Divisions where the person decides on posts today: those they manage, and those they deputise for. */
export async function decidingDivisions(ctx: AppContext, actor: StaffActor): Promise<number[]> {
  const deputy = await deputyDivisionsOn(ctx.db, actor.staffId, tokyoDate(ctx.clock.now()));
  return [...new Set([...managedDivisionIds(actor), ...deputy])];
}

/** The posts the actor wrote no part of (5.1.4: only those are theirs to decide on). */
export async function notWrittenBy(ctx: AppContext, actor: Actor, posts: PostView[]): Promise<PostView[]> {
  const authors = await versionAuthorsOf(
    ctx.db,
    posts.map((p) => p.id),
  );
  return posts.filter((p) => !isOwnPost(p, actor, authors.get(p.id) ?? []));
}

/** The person's lists on /posts. */
export type PostLists = {
  mine: PostView[];
  waiting: PostView[];
  reports: PostView[];
  /** The person decides on posts (manages or deputises for a division). */
  decides: boolean;
  /** The person manages a division (names deputies). */
  manages: boolean;
  /** The person may draft for at least one account. */
  drafts: boolean;
  now: Date;
};

/**
 * My posts (optionally of one status), the posts waiting for my approval and the post-hoc
 * reports I must acknowledge (posts I wrote myself are not mine to decide on).
 */
export async function postLists(
  ctx: AppContext,
  props: { actor: StaffActor; status?: PostStatus | undefined },
): Promise<PostLists> {
  const { actor } = props;
  const divisions = await decidingDivisions(ctx, actor);
  const [mine, waiting, reports, accounts] = await Promise.all([
    postsByAuthor(ctx.db, actor.staffId, props.status ? { statuses: [props.status] } : {}),
    pendingInDivisions(ctx.db, divisions),
    unacknowledgedReports(ctx.db, divisions),
    postableAccounts(ctx, actor),
  ]);
  return {
    mine,
    waiting: await notWrittenBy(ctx, actor, waiting),
    reports: await notWrittenBy(ctx, actor, reports),
    decides: divisions.length > 0,
    manages: managedDivisionIds(actor).length > 0,
    drafts: accounts.length > 0,
    now: ctx.clock.now(),
  };
}

/** Accounts the person is an operator of and that are official now (3). */
export async function postableAccounts(ctx: AppContext, actor: StaffActor): Promise<AccountView[]> {
  const touching = await accountsTouching(ctx.db, actor.staffId);
  const out: AccountView[] = [];
  for (const t of touching) {
    if (!t.operator || !isPostable(t.account)) continue;
    const view = await findAccountView(ctx.db, t.account.id);
    if (view) out.push(view);
  }
  return out;
}

/**
 * What the new-post form offers: accounts, recent published posts of any of the city's accounts
 * (① re-sends), pre-approved scopes.
 */
export type DraftingOptions = {
  accounts: AccountView[];
  recent: PostView[];
  scopes: Array<{ scope: PostScope; account: AccountView }>;
  today: string;
};

/** The new-post form's choices for an operator. */
export async function draftingOptions(
  ctx: AppContext,
  props: { actor: StaffActor },
): Promise<DraftingOptions> {
  const accounts = await postableAccounts(ctx, props.actor);
  const today = tokyoDate(ctx.clock.now());
  const recent = accounts.length > 0 ? await recentPublishedOfCity(ctx.db) : [];
  const scopes: DraftingOptions["scopes"] = [];
  for (const account of accounts) {
    for (const scope of await listScopes(ctx.db, account.id)) {
      if (scope.active && scope.validUntil >= today) scopes.push({ scope, account });
    }
  }
  return { accounts, recent, scopes, today };
}
