/**
 * Requesting a change (name, 通称, handle, platform move, URL) or closure of an official account
 * (4.5): the account manager names the effective date, what changes and why. The account must
 * be 運用中 (or 変更予告中, for a closure that supersedes an announced change), and it has at
 * most one notice in progress.
 */
import { z } from "zod";
import { insertEvent, lockAccount } from "../../db/repos/accounts.ts";
import { insertNotice, openNoticesOfAccount } from "../../db/repos/notices.ts";
import { accountStatusLabels, isAccountStatus } from "../../domain/accounts.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import {
  type AccountFacts,
  detailLabels,
  effectiveDateLabel,
  effectiveDetails,
  type NoticeDetails,
  type NoticeKind,
  noticeKindLabels,
  noticeKinds,
  requestDateProblem,
  toPlatform,
} from "../../domain/notices.ts";
import { accountUrlProblem, parseAccountUrl } from "../../domain/platforms.ts";
import { conflict, type FieldIssue, validation } from "../../errors.ts";
import {
  fillTemplate,
  type GuidelinePack,
  guidelinePack,
  type Platform,
  platforms,
} from "../../guideline/pack.ts";
import { accountTarget, getAccount } from "../accounts/read.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { optionalText, parse, plainDate, text } from "../validate.ts";
import { canManageNotices } from "./access.ts";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** What the account manager fills in. For a closure the change fields are ignored. */
export const noticeRequestInput = z.object({
  kind: z.enum(noticeKinds, { error: "変更か廃止かを選んでください。" }),
  effectiveDate: plainDate("変更日・廃止日"),
  reason: text("理由", 2000),
  name: optionalText("新しいアカウント名", 200),
  alias: optionalText("新しい通称", 200),
  handle: optionalText("新しいユーザー名（ハンドル）", 200),
  platform: z.preprocess(
    blankToUndefined,
    z.enum(platforms, { error: "移行先のソーシャルメディアを一覧から選んでください。" }).optional(),
  ),
  url: optionalText("新しいアカウントURL", 2000),
});

export type NoticeRequestInput = z.output<typeof noticeRequestInput>;

function handleMatches(pack: GuidelinePack, platform: Platform, handle: string): string | null {
  const pattern = new RegExp(pack.platforms[platform].handle);
  if (pattern.test(handle)) return handle;
  const bare = handle.replace(/^@/, "");
  if (pattern.test(bare)) return bare;
  if (pattern.test(`@${bare}`)) return `@${bare}`;
  return null;
}

/**
 * The new values of a change, checked: something must change; a platform move names the new
 * account's URL; a URL must be an account URL of the (new) platform (4.4.2③, 4.4.4); a handle
 * must have the platform's form. A new handle without a URL gets the platform's canonical URL,
 * and a new URL without a handle gives its handle.
 */
export function changeDetails(
  pack: GuidelinePack,
  account: AccountFacts,
  input: Pick<NoticeRequestInput, "name" | "alias" | "handle" | "platform" | "url">,
): NoticeDetails {
  const issues: FieldIssue[] = [];
  const platform = input.platform ?? account.platform;
  const moving = platform !== account.platform;
  const spec = pack.platforms[platform];
  let handle = input.handle || undefined;
  let url = input.url || undefined;
  if (handle) {
    const normalised = handleMatches(pack, platform, handle);
    if (normalised) handle = normalised;
    else
      issues.push({
        field: "handle",
        message: `${spec.label}のユーザー名の形式ではありません。使える文字と長さを確認してください。`,
      });
  }
  if (url) {
    const problem = accountUrlProblem(pack, platform, url);
    if (problem) issues.push({ field: "url", message: problem });
    else if (!handle) handle = parseAccountUrl(pack, platform, url)?.handle;
  } else if (handle && (moving || handle !== account.handle)) {
    if (spec.canonical) url = fillTemplate(spec.canonical, { handle });
    else
      issues.push({
        field: "url",
        message: `新しいアカウントURLを入力してください（例: ${spec.example}）。`,
      });
  } else if (moving) {
    issues.push({
      field: "url",
      message: `移行先の${spec.label}アカウントのURLを入力してください（例: ${spec.example}）。`,
    });
  }
  if (issues.length) throw validation(issues[0]?.message ?? "入力内容を確認してください。", issues);
  const details = effectiveDetails(account, {
    name: input.name || undefined,
    alias: input.alias || undefined,
    handle,
    platform: input.platform,
    url,
  });
  if (Object.keys(details).length === 0) {
    const fields = (["name", "alias", "handle", "platform", "url"] as const).map((k) => detailLabels[k]);
    const message = `変更する項目（${fields.join("、")}）を1つ以上、今と違う内容で入力してください。`;
    throw validation(message, [{ field: "name", message }]);
  }
  return details;
}

/** Why this account cannot have a new notice of `kind` now (status, one notice at a time). */
function accountProblem(
  kind: NoticeKind,
  status: string,
  open: ReadonlyArray<{ kind: NoticeKind; status: string }>,
): string | null {
  const label = isAccountStatus(status) ? accountStatusLabels[status] : status;
  const supersedes = kind === "closure" && status === "change_announced";
  if (status !== "active" && !supersedes) {
    return `変更・廃止の届出は、運用中のアカウントについて行えます（このアカウントは「${label}」です）。`;
  }
  const blocking = open.filter((n) => !(supersedes && n.kind === "change" && n.status === "announced"));
  const first = blocking[0];
  if (first) {
    return `このアカウントには手続き中の${noticeKindLabels[first.kind]}の届出があります。一つのアカウントで同時に進められる届出は一つです。完了するか取り消してから申請してください。`;
  }
  return null;
}

/**
 * Requests a change or closure (status `requested`). Refused unless the actor manages the
 * account, the account is active (or change-announced, for a closure), no other notice is in
 * progress, and the effective date leaves the notice period even if announced today (4.5.2).
 */
export async function requestNotice(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input: unknown },
) {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  await authorize(ctx, props.actor, "account.manage", accountTarget(account));
  const input = parse(noticeRequestInput, props.input);
  const pack = guidelinePack();
  return change(ctx, props.actor, "notice.request", async (tx, at) => {
    const locked = await lockAccount(tx, account.id);
    if (!locked) throw conflict("アカウントが見つかりません。");
    const problem = accountProblem(input.kind, locked.status, await openNoticesOfAccount(tx, locked.id));
    if (problem) throw conflict(problem);
    const dateProblem = requestDateProblem({
      kind: input.kind,
      effectiveDate: input.effectiveDate,
      today: tokyoDate(at),
      months: pack.deadlines.noticeMinMonths,
    });
    if (dateProblem) throw validation(dateProblem, [{ field: "effectiveDate", message: dateProblem }]);
    const facts: AccountFacts = {
      name: locked.name,
      alias: locked.alias,
      handle: locked.handle,
      platform: toPlatform(locked.platform),
      url: locked.url,
    };
    const details = input.kind === "change" ? changeDetails(pack, facts, input) : {};
    const actorId = props.actor.kind === "staff" ? props.actor.staffId : null;
    const notice = await insertNotice(tx, {
      accountId: locked.id,
      kind: input.kind,
      details,
      reason: input.reason,
      effectiveDate: input.effectiveDate,
      requestedBy: actorId,
      requestedAt: at,
    });
    await insertEvent(tx, {
      accountId: locked.id,
      kind: `${input.kind}_requested`,
      actorId,
      comment: `${effectiveDateLabel(input.kind)} ${formatDate(input.effectiveDate)}: ${input.reason}`,
      snapshot: { noticeId: notice.id, details },
      at,
    });
    return {
      result: notice,
      target: { type: "account", id: locked.id },
      summary: { noticeId: notice.id, kind: input.kind, effectiveDate: input.effectiveDate, details },
    };
  });
}

/** Which kinds of notice the actor could request on this account now (to show the form). */
export function requestableKinds(
  actor: Actor,
  account: { divisionId: number; departmentId: number; status: string },
  open: ReadonlyArray<{ kind: NoticeKind; status: string }>,
): NoticeKind[] {
  if (!canManageNotices(actor, account)) return [];
  return noticeKinds.filter((kind) => accountProblem(kind, account.status, open) === null);
}
