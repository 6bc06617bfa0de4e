/**
 * Posts drafted from an incident's templates into the posts workflow: the 炎上 holding statement
 * (7.2.3) and correction with apology (7.2.2, 5.3.3), the なりすまし warning for an official
 * account (7.3.1), the 7.4 correct information. Each is an ordinary post of category 通常 by one
 * of the account's operators (3), checked by the checker, that still needs the account manager's
 * approval (5.1.4) before it goes out. The incident's timeline links it; when it is published,
 * it counts as the incident's public statement (7.2.3).
 */
import { listImpersonations } from "../../db/repos/incidents.ts";
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

/** A post drafted from the incident. */
export type IncidentDraft = { post: Post; kind: DraftKind; accountId: number };

/**
 * Drafts a post from the incident's template.
 * @param props.actor an operator of the account (3) who may see the incident
 * @param props.input `{ kind, accountId? }` — kind: holding | apology | warning | correction (as
 *   the type offers); accountId: the account to post from (default: the incident's account)
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
  const accountId = input.accountId ?? incident.accountId;
  if (accountId === null) {
    const message = "投稿するアカウントを選んでください。";
    throw validation(message, [{ field: "accountId", message }]);
  }
  // 3: only the account's operators draft for it, and only while it is official.
  const account = await postingAccount(ctx, actor, accountId);
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
  });
  if (actor.kind !== "staff") throw conflict("投稿の下書きは職員が作成します。");
  return changeIncident(ctx, actor, "incident.draft_post", incident.id, async (tx, at, locked) => {
    // The post is drafted by the posts' own use case, in this transaction (5.1.4: it still needs approval).
    const [created] = await draftPost(
      { ...ctx, db: tx },
      { actor, input: { accounts: [{ accountId: account.id }], text, category: "normal" } },
    );
    if (!created) throw conflict("下書きを作成できませんでした。");
    await addEvent(tx, {
      incidentId: locked.id,
      kind: "post_drafted",
      note: `${draftKindLabels[kind]}（${account.name}）`,
      data: { postId: created.id, draftKind: kind, accountId: account.id },
      actor,
      at,
    });
    return {
      result: { post: created, kind, accountId: account.id },
      summary: { postId: created.id, draftKind: kind, accountId: account.id },
    };
  });
}
