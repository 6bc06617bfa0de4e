/**
 * Writing posts (3, 5.1.4): an operator drafts one post per account (drafted together they form
 * a group), each checked by the checker as saved; a pre-approved scope's template fills the text
 * from its fields; a change is a new version, re-checked, and a change to an approved post sends
 * it back for approval (5.1.4); a draft nobody has decided on can be discarded.
 */
import type { CheckResult } from "../../checker/index.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import { deleteDraftPost, hasDecisions } from "../../db/repos/post-queues.ts";
import {
  findScope,
  insertPost,
  insertVersion,
  listImages,
  lockPost,
  type Post,
  type PostScope,
  type PostValues,
  updatePost,
} from "../../db/repos/posts.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import {
  audienceLabel,
  type LineAudience,
  sameAudience,
  storedAudience,
} from "../../domain/line-audience.ts";
import { fillScope, nextPostStatus, type PostCategory, postStatusLabels } from "../../domain/posts.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { audienceOfEdit } from "./audience.ts";
import { checkPost, findingCounts, findingSummary } from "./checking.ts";
import { type DraftInput, draftInput, editInput } from "./input.ts";
import { assertUnchanged, postFor, postingAccount } from "./posting.ts";
import { resendSource } from "./resend.ts";

/** One account's post as it would be saved, with the checker's result. */
export type DraftItem = { account: AccountView; text: string; result: CheckResult };

type Prepared = Source & {
  items: DraftItem[];
  category: PostCategory;
  embargoUntil: Date | null;
  scheduledAt: Date | null;
  justification: string;
  scope: PostScope | null;
  scopeValues: Record<string, string> | null;
  /** LINE: who receives the posts of LINE accounts (null: every friend). */
  audience: LineAudience | null;
};

const toDate = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);

/** Refuses a schedule in the past (it would go out at once; that is publishing, not scheduling). */
function assertSchedule(scheduledAt: Date | null, now: Date): void {
  if (scheduledAt && scheduledAt.getTime() <= now.getTime()) {
    throw validation("予約日時は、現在より後の日時を指定してください。", [
      { field: "scheduledAt", message: "予約日時は、現在より後の日時を指定してください。" },
    ]);
  }
}

/** A re-send's source (① 既発信内容の再発信) as stored: none unless the category is ①. */
type Source = { repostOf: number | null; repostSourceUrl: string | null; repostQuote: string | null };

const noSource: Source = { repostOf: null, repostSourceUrl: null, repostQuote: null };

/** The scope a post is started from: of this account, not revoked, not expired (5.1.4). */
async function scopeFor(ctx: AppContext, scopeId: number, account: AccountView): Promise<PostScope> {
  const scope = await findScope(ctx.db, scopeId);
  if (!scope || scope.accountId !== account.id) throw notFound("範囲の許可");
  if (!scope.active)
    throw conflict(`範囲の許可「${scope.name}」は取り消されています。通常の投稿として作成してください。`);
  if (scope.validUntil < tokyoDate(ctx.clock.now())) {
    throw conflict(
      `範囲の許可「${scope.name}」は${formatDate(scope.validUntil)}で有効期限が切れています。通常の投稿として作成するか、アカウント管理者に範囲の更新を依頼してください。`,
    );
  }
  return scope;
}

async function prepare(ctx: AppContext, actor: Actor, raw: unknown): Promise<Prepared> {
  const input: DraftInput = parse(draftInput, raw);
  const ids = [...new Set(input.accounts.map((a) => a.accountId))];
  const accounts: AccountView[] = [];
  for (const id of ids) accounts.push(await postingAccount(ctx, actor, id));
  const now = ctx.clock.now();
  const embargoUntil = toDate(input.embargoUntil);
  const scheduledAt = toDate(input.scheduledAt);
  assertSchedule(scheduledAt, now);
  // LINE's 配信先 applies to the LINE accounts named; it cannot be given for others alone.
  const audience =
    audienceOfEdit(input, accounts.some((a) => a.platform === "line") ? "line" : "other") ?? null;

  let scope: PostScope | null = null;
  let scopeValues: Record<string, string> | null = null;
  const texts = new Map<number, string>();
  if (input.scopeId) {
    const [only] = accounts;
    if (!only || accounts.length !== 1) {
      throw validation("範囲の許可から作成する投稿は、1つのアカウントにだけ投稿できます。");
    }
    scope = await scopeFor(ctx, input.scopeId, only);
    scopeValues = Object.fromEntries(Object.entries(input.scopeValues ?? {}).map(([k, v]) => [k, v.trim()]));
    texts.set(only.id, fillScope(scope.template, scopeValues));
  } else {
    const own = new Map(input.accounts.map((a) => [a.accountId, a.text ?? ""]));
    // The same text for all, editable per account: an empty text takes the common one.
    const common = input.text?.trim() ? input.text : ([...own.values()].find((t) => t.trim() !== "") ?? "");
    for (const account of accounts) {
      const text = own.get(account.id)?.trim() ? (own.get(account.id) ?? "") : common;
      texts.set(account.id, text);
    }
    const empty = accounts.filter((a) => (texts.get(a.id) ?? "").trim() === "");
    if (empty.length > 0) {
      throw validation(
        "本文を入力してください。",
        empty.map((a) => ({ field: `text_${a.id}`, message: `「${a.name}」の本文を入力してください。` })),
      );
    }
  }

  // ①: the source is checked now; whether the text is that content is decided when it goes
  // out without approval (post-hoc.ts): as a normal post for approval, any text may follow.
  const source: Source =
    input.category === "repost"
      ? {
          repostOf: input.repostOf ?? null,
          repostSourceUrl: input.repostSourceUrl ?? null,
          repostQuote: input.repostQuote ?? null,
        }
      : noSource;
  if (input.category === "repost") await resendSource(ctx.db, source);

  const items: DraftItem[] = [];
  for (const account of accounts) {
    const text = texts.get(account.id) ?? "";
    const result = await checkPost(
      account,
      { text, kind: "post", embargoUntil, scheduledAt, imageCount: 0 },
      now,
    );
    items.push({ account, text, result });
  }
  return {
    items,
    category: input.category,
    ...source,
    embargoUntil,
    scheduledAt,
    justification: input.justification,
    scope,
    scopeValues,
    audience,
  };
}

/**
 * The texts and the checker's findings a draft would have, without saving anything (the form's
 * 「確認する」 without JavaScript).
 */
export async function previewDraft(
  ctx: AppContext,
  props: { actor: Actor; input: unknown },
): Promise<DraftItem[]> {
  return (await prepare(ctx, props.actor, props.input)).items;
}

/**
 * Drafts a post for one or more accounts: one `posts` row per account sharing the group id (the
 * first post's id), version 1 of each with its findings.
 * @param props.actor an operator of every account named (post.draft, 3)
 * @param props.input see `draftInput`: accounts with their texts (or the common `text`),
 *   category, repostOf (①), embargoUntil (5.2.2.2), scheduledAt, justification, scopeId with
 *   scopeValues (the text is then the scope's template filled in)
 * @returns the posts, in the order of the accounts
 */
export async function draftPost(ctx: AppContext, props: { actor: Actor; input: unknown }): Promise<Post[]> {
  const prepared = await prepare(ctx, props.actor, props.input);
  const authorId = actorId(props.actor);
  if (authorId === null) throw validation("投稿は職員として作成してください。");
  return change(ctx, props.actor, "post.draft", async (tx, at) => {
    const created: Post[] = [];
    let groupId: number | null = null;
    for (const item of prepared.items) {
      const findings = item.result.findings;
      const values: PostValues & { accountId: number; authorId: number } = {
        accountId: item.account.id,
        authorId,
        groupId,
        kind: "post",
        category: prepared.category,
        status: "draft",
        text: item.text,
        version: 1,
        embargoUntil: prepared.embargoUntil,
        scheduledAt: prepared.scheduledAt,
        repostOf: prepared.repostOf,
        repostSourceUrl: prepared.repostSourceUrl,
        repostQuote: prepared.repostQuote,
        scopeId: prepared.scope?.id ?? null,
        scopeValues: prepared.scopeValues,
        justification: prepared.justification,
        audience: item.account.platform === "line" ? prepared.audience : null,
        findings,
        ...findingCounts(findings),
        createdAt: at,
        updatedAt: at,
      };
      let post = await insertPost(tx, values);
      if (groupId === null) {
        groupId = post.id;
        post = await updatePost(tx, post.id, { groupId }, at);
      }
      await insertVersion(tx, {
        postId: post.id,
        version: 1,
        text: post.text,
        findings,
        images: [],
        audience: post.audience,
        authorId,
        at,
      });
      created.push(post);
    }
    return {
      result: created,
      target: { type: "post", id: groupId },
      summary: {
        groupId,
        category: prepared.category,
        ...(prepared.repostOf ? { repostOf: prepared.repostOf } : {}),
        ...(prepared.repostSourceUrl
          ? { repostSourceUrl: prepared.repostSourceUrl, repostQuote: prepared.repostQuote }
          : {}),
        ...(prepared.scope ? { scopeId: prepared.scope.id, scopeName: prepared.scope.name } : {}),
        embargoUntil: prepared.embargoUntil,
        scheduledAt: prepared.scheduledAt,
        justification: prepared.justification,
        ...(prepared.audience
          ? { audience: prepared.audience, audienceLabel: audienceLabel(prepared.audience) }
          : {}),
        posts: created.map((p) => ({
          postId: p.id,
          accountId: p.accountId,
          text: p.text,
          findings: findingSummary(
            prepared.items.find((i) => i.account.id === p.accountId)?.result.findings ?? [],
          ),
        })),
      },
    };
  });
}

/** The stored post's fields after an edit (fields left out of the input keep their value). */
type Edited = Source & {
  text: string;
  category: PostCategory;
  embargoUntil: Date | null;
  scheduledAt: Date | null;
  justification: string;
  /** LINE: who receives it (null: every friend). */
  audience: LineAudience | null;
};

async function edited(ctx: AppContext, post: Post, raw: unknown, platform: string) {
  const input = parse(editInput, raw);
  const audience = audienceOfEdit(input, platform);
  const next: Edited = {
    text: input.text ?? post.text,
    category: input.category ?? post.category,
    repostOf: input.repostOf !== undefined ? input.repostOf : post.repostOf,
    repostSourceUrl: input.repostSourceUrl !== undefined ? input.repostSourceUrl : post.repostSourceUrl,
    repostQuote: input.repostQuote !== undefined ? input.repostQuote : post.repostQuote,
    embargoUntil: input.embargoUntil !== undefined ? toDate(input.embargoUntil) : post.embargoUntil,
    scheduledAt: input.scheduledAt !== undefined ? toDate(input.scheduledAt) : post.scheduledAt,
    justification: input.justification ?? post.justification,
    audience: audience !== undefined ? audience : storedAudience(post.audience),
  };
  if (next.text.trim() === "") {
    throw validation("本文を入力してください。", [{ field: "text", message: "本文を入力してください。" }]);
  }
  if (next.category !== "repost") Object.assign(next, noSource);
  else if (
    post.category !== "repost" ||
    next.repostOf !== post.repostOf ||
    next.repostSourceUrl !== post.repostSourceUrl ||
    next.repostQuote !== post.repostQuote
  )
    await resendSource(ctx.db, next);
  if (input.scheduledAt !== undefined) assertSchedule(next.scheduledAt, ctx.clock.now());
  return { input, next };
}

const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

function changedFields(post: Post, next: Edited): string[] {
  const out: string[] = [];
  if (post.text !== next.text) out.push("text");
  if (post.category !== next.category) out.push("category");
  if (post.repostOf !== next.repostOf) out.push("repostOf");
  if (post.repostSourceUrl !== next.repostSourceUrl) out.push("repostSourceUrl");
  if (post.repostQuote !== next.repostQuote) out.push("repostQuote");
  if (!sameInstant(post.embargoUntil, next.embargoUntil)) out.push("embargoUntil");
  if (!sameInstant(post.scheduledAt, next.scheduledAt)) out.push("scheduledAt");
  if (post.justification !== next.justification) out.push("justification");
  if (!sameAudience(storedAudience(post.audience), next.audience)) out.push("audience");
  return out;
}

/** What an edit would give, checked, without saving (the edit form's 「確認する」). */
export async function previewEdit(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<{ text: string; result: CheckResult }> {
  const { post, account } = await postFor(ctx, props.actor, props.id, "post.draft");
  const { next } = await edited(ctx, post, props.input, account.platform);
  const images = await listImages(ctx.db, post.id);
  const result = await checkPost(
    account,
    { ...next, kind: post.kind, imageCount: images.length },
    ctx.clock.now(),
  );
  return { text: next.text, result };
}

/**
 * Saves a change as a new version, re-checked. 5.1.4: a change to an approved post sends it
 * back for approval (承認待ち); a pending post stays pending and needs approval of the new version.
 * @param props.input see `editInput`; `version` (and `expectedStatus`) are what the person saw
 * @throws 409 when the post changed since, or can no longer be edited (published); 422 when
 *   nothing changed
 */
export async function editPost(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
): Promise<{ post: Post; reapproval: boolean }> {
  const { post: seen, account } = await postFor(ctx, props.actor, props.id, "post.draft");
  const { input, next } = await edited(ctx, seen, props.input, account.platform);
  return change(ctx, props.actor, "post.edit", async (tx, at) => {
    const post = await lockPost(tx, props.id);
    if (!post) throw notFound("投稿");
    assertUnchanged(post, { version: input.version, status: input.expectedStatus });
    const status = nextPostStatus(post.status, "edit");
    if (!status) {
      throw conflict(
        `「${postStatusLabels[post.status]}」の投稿は編集できません。${post.status === "published" ? "誤りがある場合は、訂正の投稿を作成してください（第5-3(2)(3)）。" : ""}`,
      );
    }
    const fields = changedFields(post, next);
    if (fields.length === 0) throw validation("変更された箇所がありません。");
    const images = await listImages(tx, post.id);
    const result = await checkPost(account, { ...next, kind: post.kind, imageCount: images.length }, at);
    const findings = result.findings;
    const version = post.version + 1;
    const reapproval = post.status === "approved";
    const updated = await updatePost(
      tx,
      post.id,
      {
        ...next,
        status,
        version,
        findings,
        ...findingCounts(findings),
        // 5.1.4: the approval was for the previous version; a new one is needed.
        ...(reapproval
          ? { approvedAt: null, approvedBy: null, approvalRule: null, approvedVersion: null, submittedAt: at }
          : {}),
      },
      at,
    );
    await insertVersion(tx, {
      postId: post.id,
      version,
      text: next.text,
      findings,
      images: images.map(imageRecord),
      audience: next.audience,
      authorId: actorId(props.actor),
      at,
    });
    return {
      result: { post: updated, reapproval },
      target: { type: "post", id: post.id },
      summary: {
        version,
        changed: fields,
        ...(fields.includes("text") ? { text: next.text } : {}),
        ...(fields.includes("audience")
          ? { audience: next.audience, audienceLabel: audienceLabel(next.audience) }
          : {}),
        status: { before: post.status, after: status },
        ...(reapproval
          ? { approvalCleared: { version: post.approvedVersion, rule: post.approvalRule } }
          : {}),
        findings: findingSummary(findings),
      },
    };
  });
}

/** What a version keeps of an image (the bytes stay in post_images). */
export function imageRecord(image: {
  id: number;
  filename: string;
  contentType: string;
  size: number;
  alt: string;
  rights: string;
  rightsNote: string;
}) {
  return {
    id: image.id,
    filename: image.filename,
    contentType: image.contentType,
    size: image.size,
    alt: image.alt,
    rights: image.rights,
    rightsNote: image.rightsNote,
  };
}

/**
 * Discards a draft that was never submitted (nobody has decided on it). The audit entry keeps
 * what it said.
 */
export async function discardPost(ctx: AppContext, props: { actor: Actor; id: number }): Promise<void> {
  await postFor(ctx, props.actor, props.id, "post.draft");
  await change(ctx, props.actor, "post.discard", async (tx) => {
    const post = await lockPost(tx, props.id);
    if (!post) throw notFound("投稿");
    if (post.status !== "draft" || (await hasDecisions(tx, post.id))) {
      throw conflict(
        `「${postStatusLabels[post.status]}」の投稿は破棄できません。破棄できるのは、承認の申請をしていない下書きだけです。`,
      );
    }
    await deleteDraftPost(tx, post.id);
    return {
      result: undefined,
      target: { type: "post", id: post.id },
      summary: { accountId: post.accountId, groupId: post.groupId, version: post.version, text: post.text },
    };
  });
}
