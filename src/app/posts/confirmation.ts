/**
 * 5.2 with 5.1.4 ①–④: the exceptions waive the prior approval, not the prohibitions. A post-hoc
 * post in which the checker finds an error goes out only when a second person who may approve
 * on the account — its account manager, or the deputy named for that day (deputies.ts) —
 * confirmed it on the spot. The operator enters who and when; this module checks that the person
 * may approve on the account, wrote no part of the post, and that the time lies between the
 * version's save and now. Like a verbal approval (口頭), it is recorded as that person's decision.
 */
import { isOperator } from "../../db/repos/accounts.ts";
import { isDeputyOn, type PostView } from "../../db/repos/posts.ts";
import { searchStaff } from "../../db/repos/staff.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { placeInWindow } from "../../domain/time-window.ts";
import { validation } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { allowed } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import type { DeciderRule } from "./decide.ts";
import { refuse } from "./posting.ts";

/** A confirmation given on the spot, checked. */
export type Confirmation = {
  staffId: number;
  name: string;
  at: Date;
  note: string;
  /** As the account manager or as the deputy of the day. */
  rule: DeciderRule;
};

/** What the operator entered. */
export type ConfirmationInput = {
  confirmedBy?: number | null | undefined;
  confirmedAt?: string | null | undefined;
  confirmationNote: string;
};

/** Whether a confirmation was entered at all. */
export function hasConfirmation(input: ConfirmationInput): boolean {
  return (input.confirmedBy ?? null) !== null;
}

/**
 * Whether `staffId` may approve posts of the post's account on `date` (Tokyo), and as what.
 */
async function approverOn(
  ctx: AppContext,
  staffId: number,
  post: Pick<PostView, "accountId" | "divisionId" | "departmentId">,
  date: string,
): Promise<{ name: string; rule: DeciderRule } | null> {
  const person = await loadActor(ctx.db, staffId, "session");
  if (!person) return null;
  const base = { divisionId: post.divisionId, departmentId: post.departmentId };
  if (allowed(person, "post.approve", { ...base, deputyOf: false }))
    return { name: person.name, rule: "manager" };
  const [operatorOf, deputyOf] = await Promise.all([
    isOperator(ctx.db, post.accountId, staffId),
    isDeputyOn(ctx.db, post.divisionId, staffId, date),
  ]);
  return allowed(person, "post.approve", { ...base, operatorOf, deputyOf })
    ? { name: person.name, rule: "deputy" }
    : null;
}

/**
 * The people who may confirm the post on the spot today: members of the account's division (and
 * its manager) who may approve on it, leaving out everyone who wrote part of it and the actor.
 */
export async function confirmersFor(
  ctx: AppContext,
  actor: Actor,
  post: PostView,
  writers: ReadonlySet<number>,
): Promise<Array<{ id: number; name: string }>> {
  const { rows } = await searchStaff(
    ctx.db,
    { divisionId: post.divisionId, active: true },
    { offset: 0, limit: 500 },
  );
  const ids = new Set(rows.map((r) => r.id));
  if (post.managerId !== null) ids.add(post.managerId);
  const today = tokyoDate(ctx.clock.now());
  const out: Array<{ id: number; name: string }> = [];
  for (const id of ids) {
    if (writers.has(id) || (actor.kind === "staff" && actor.staffId === id)) continue;
    const approver = await approverOn(ctx, id, post, today);
    if (approver) out.push({ id, name: approver.name });
  }
  return out;
}

/**
 * Checks the confirmation the operator entered (5.2, 5.1.4).
 * @param versionAt when the version going out was saved
 * @param writers everyone who wrote part of the post (posting.ts `writersOf`)
 * @throws 422 when the time is missing, before the version or in the future; 403 (recorded as
 *   `auth.denied`) when the person wrote part of the post, is the actor, or may not approve on
 *   the account that day
 */
export async function verifyConfirmation(
  ctx: AppContext,
  props: {
    actor: Actor;
    post: PostView;
    input: ConfirmationInput;
    versionAt: Date;
    writers: ReadonlySet<number>;
  },
): Promise<Confirmation> {
  const { actor, post, input } = props;
  const staffId = input.confirmedBy ?? null;
  if (staffId === null) throw validation("内容を確認した方を選んでください。");
  if (!input.confirmedAt) {
    const message = "内容の確認を受けた日時を入力してください。";
    throw validation(message, [{ field: "confirmedAt", message }]);
  }
  // The same window as every recorded time (domain/time-window.ts): after the version, not in the future.
  const placedAt = placeInWindow(new Date(input.confirmedAt), {
    label: "確認を受けた日時",
    earliest: { at: props.versionAt, what: `発信する第${post.version}版の保存` },
    now: ctx.clock.now(),
  });
  if (!placedAt.ok) {
    const message = `${placedAt.message}この版の内容について確認を受けてください。`;
    throw validation(message, [{ field: "confirmedAt", message }]);
  }
  const at = placedAt.at;
  const self = actor.kind === "staff" && actor.staffId === staffId;
  if (self || props.writers.has(staffId)) {
    throw await refuse(
      ctx,
      actor,
      "post.approve",
      { postId: post.id, confirmedBy: staffId, reason: "confirmer_wrote_post" },
      `内容の確認は、この投稿を作成・編集・発信する方以外の、承認できる方（アカウント管理者または本日の代理者）から受けてください（${clauseRef("5.1.4")}、${clauseRef("5.2")}）。`,
      "confirmedBy",
    );
  }
  const approver = await approverOn(ctx, staffId, post, tokyoDate(at));
  if (!approver) {
    throw await refuse(
      ctx,
      actor,
      "post.approve",
      { postId: post.id, confirmedBy: staffId, reason: "confirmer_not_approver" },
      `選んだ方は、確認を受けた日に「${post.accountName}」の投稿を承認できる方（アカウント管理者またはその日の代理者）ではありません。承認できる方に確認を受けてください（${clauseRef("5.1.4")}、${clauseRef("5.2")}）。`,
      "confirmedBy",
    );
  }
  return { staffId, name: approver.name, at, note: input.confirmationNote, rule: approver.rule };
}
