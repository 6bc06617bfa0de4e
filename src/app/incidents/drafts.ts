/**
 * Posts drafted from an incident's templates into the posts workflow: the 炎上 holding statement
 * (7.2.3) and correction with apology (7.2.2, 5.3.3), the なりすまし warning for an official
 * account (7.3.1), the 乗っ取り warning from the city's other official accounts (one post per
 * chosen account, in one group), the 7.4 correct information. Each is an ordinary post of category 通常 by one
 * of the account's operators (3), checked by the checker, that still needs the account manager's
 * approval (5.1.4) before it goes out. The incident's timeline links it; when it is published,
 * it counts as the incident's public statement (7.2.3).
 */
import type { AccountView } from "../../db/repos/accounts.ts";
import { findHijack, listImpersonations } from "../../db/repos/incidents.ts";
import { findPostView, type Post } from "../../db/repos/posts.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { type DraftKind, draftKindLabels, draftsOf, incidentTypeLabels } from "../../domain/incidents.ts";
import { conflict, validation } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import type { Actor, AppContext } from "../context.ts";
import { draftPost } from "../posts/draft.ts";
import { postingAccount } from "../posts/posting.ts";
import { parse } from "../validate.ts";
import { incidentFor } from "./access.ts";
import { draftInput } from "./input.ts";
import { recordedClaim } from "./notices.ts";
import { addEvent, changeIncident } from "./record.ts";
import { draftText } from "./templates.ts";

/** A post drafted from the incident (for 乗っ取り, one per chosen account, sharing one group). */
export type IncidentDraft = { post: Post; kind: DraftKind; accountId: number; posts: Post[] };

/**
 * The accounts a draft goes out from. 乗っ取り (7.3(1) 当該ソーシャルメディアで周知): the city's
 * other official accounts the person chooses — never the hijacked one; otherwise the one chosen
 * (default: the incident's account).
 */
function draftAccountIds(
  kind: DraftKind,
  input: { accountId: number | null; accountIds: number[] },
  incidentAccountId: number | null,
): number[] {
  if (kind === "hijack_warning") {
    const ids = [...new Set([...input.accountIds, ...(input.accountId === null ? [] : [input.accountId])])];
    if (ids.length === 0) {
      const message =
        "注意を呼びかける、乗っ取られたアカウント以外の公式アカウントを選んでください（第7-3(1)）。";
      throw validation(message, [{ field: "accountIds", message }]);
    }
    if (incidentAccountId !== null && ids.includes(incidentAccountId)) {
      const message =
        "乗っ取られたアカウントからは注意喚起を投稿できません。市の他の公式アカウントを選んでください（第7-3(1)）。";
      throw validation(message, [{ field: "accountIds", message }]);
    }
    return ids;
  }
  const accountId = input.accountId ?? incidentAccountId;
  if (accountId === null) {
    const message = "投稿するアカウントを選んでください。";
    throw validation(message, [{ field: "accountId", message }]);
  }
  return [accountId];
}

/**
 * Drafts a post from the incident's template.
 * @param props.actor an operator of the account (3) who may see the incident
 * @param props.input `{ kind, accountId?, accountIds? }` — kind: holding | apology | warning |
 *   hijack_warning | correction (as the type offers); accountId: the account to post from
 *   (default: the incident's account); accountIds: for hijack_warning, the other accounts chosen
 *   (not the hijacked one)
 */
export async function draftIncidentPost(
  ctx: AppContext,
  props: { actor: Actor; incidentId: number; input: unknown },
): Promise<IncidentDraft> {
  const { actor } = props;
  const { incident } = await incidentFor(ctx, actor, props.incidentId, "incident.note");
  const input = parse(draftInput, props.input);
  const kind: DraftKind = input.kind;
  if (!draftsOf[incident.type].includes(kind))
    throw validation(
      `「${incidentTypeLabels[incident.type]}」のインシデントからは「${draftKindLabels[kind]}」の下書きは作成できません。`,
      [{ field: "kind", message: "作成できる下書きを選んでください。" }],
    );
  const ids = draftAccountIds(kind, input, incident.accountId);
  // 3: only the account's operators draft for it, and only while it is official.
  const accounts: AccountView[] = [];
  for (const id of ids) accounts.push(await postingAccount(ctx, actor, id));
  const [account] = accounts;
  if (!account) throw conflict("下書きを作成できませんでした。");
  const post = incident.postId === null ? undefined : await findPostView(ctx.db, incident.postId);
  const now = ctx.clock.now();
  const fake = (await listImpersonations(ctx.db, incident.id))[0];
  const text = draftText(kind, {
    pack: guidelinePack(),
    account: {
      name: incident.accountName ?? account.name,
      platform: incident.accountPlatform ?? account.platform,
      divisionName: incident.accountDivisionName ?? account.divisionName,
      url: incident.accountUrl ?? account.url,
      homepageUrl: account.homepageUrl,
    },
    date: post?.publishedAt ? tokyoDate(post.publishedAt) : tokyoDate(now),
    fake: fake ? { platform: fake.platform, handle: fake.handle } : null,
    claim: (await recordedClaim(ctx, incident.id))?.claim ?? "",
    publicListUrl: `${ctx.config.publicUrl}/public/accounts`,
    compromisedSince: (await findHijack(ctx.db, incident.id))?.compromisedSince ?? null,
  });
  if (actor.kind !== "staff") throw conflict("投稿の下書きは職員が作成します。");
  return changeIncident(ctx, actor, "incident.draft_post", incident.id, async (tx, at, locked) => {
    // The post is drafted by the posts' own use case, in this transaction (5.1.4: it still needs approval).
    const posts = await draftPost(
      { ...ctx, db: tx },
      { actor, input: { accounts: accounts.map((a) => ({ accountId: a.id })), text, category: "normal" } },
    );
    const [created] = posts;
    if (!created) throw conflict("下書きを作成できませんでした。");
    for (const [i, post] of posts.entries())
      await addEvent(tx, {
        incidentId: locked.id,
        kind: "post_drafted",
        note: `${draftKindLabels[kind]}（${accounts[i]?.name ?? ""}）`,
        data: { postId: post.id, draftKind: kind, accountId: post.accountId },
        actor,
        at,
      });
    return {
      result: { post: created, kind, accountId: account.id, posts },
      summary: {
        postId: created.id,
        postIds: posts.map((p) => p.id),
        draftKind: kind,
        accountId: account.id,
        accountIds: accounts.map((a) => a.id),
      },
    };
  });
}
