/**
 * The account manager (課等の長) answers a director's question on a 届出 (4.1.2, 4.5.1): the
 * answer goes with the next round of the 届出, which carries the account or notice as it is now
 * (corrected first, if the question showed a mistake). The manager's task closes, and the
 * director receives the new round to confirm.
 */
import { z } from "zod";
import { findAccount, insertEvent, lockAccount } from "../../db/repos/accounts.ts";
import { type Filing, latestFiling, lockFiling } from "../../db/repos/filings.ts";
import { lockNotice } from "../../db/repos/notices.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { noticeKindLabels } from "../../domain/notices.ts";
import { conflict, notFound } from "../../errors.ts";
import { fileAcquisition } from "../accounts/acquisition.ts";
import { accountTarget } from "../accounts/read.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { fileNotice } from "../notices/filings.ts";
import { parse, text } from "../validate.ts";
import { visibleFiling } from "./access.ts";

export const answerInput = z.object({ message: text("回答", 2000) });

/** Answers the question on filing `filingId` and sends the 届出 again; returns the new round. */
export async function answerFiling(
  ctx: AppContext,
  props: { actor: Actor; filingId: number; input: unknown },
): Promise<Filing> {
  const view = await visibleFiling(ctx, props.actor, props.filingId);
  await authorize(ctx, props.actor, "account.manage", accountTarget(view));
  const { message } = parse(answerInput, props.input);
  const senderId = props.actor.kind === "staff" ? props.actor.staffId : null;
  return change(ctx, props.actor, "filing.answer", async (tx, at) => {
    const filing = await lockFiling(tx, props.filingId);
    if (!filing) throw notFound("届出");
    const latest = await latestFiling(tx, {
      accountId: filing.accountId,
      kind: filing.kind,
      noticeId: filing.noticeId,
    });
    if (filing.status !== "questioned" || latest?.id !== filing.id)
      throw conflict("この届出には、回答を待っている質問がありません。");
    let next: Filing;
    if (filing.kind === "acquisition") {
      const account = await lockAccount(tx, filing.accountId);
      if (!account) throw notFound("アカウント");
      const outcome = await fileAcquisition(ctx, tx, { account, senderId, at, answer: message });
      if (!outcome.sent) throw conflict("届出を再送できませんでした。画面を再読み込みしてください。");
      next = outcome.sent.filing;
    } else {
      const notice = filing.noticeId === null ? undefined : await lockNotice(tx, filing.noticeId);
      const account = await findAccount(tx, filing.accountId);
      if (!notice || !account) throw notFound("変更・廃止の届出");
      if (notice.status === "cancelled") throw conflict("この変更・廃止は取り消されています。");
      const sent = await fileNotice(ctx, tx, {
        notice,
        account: { name: account.name, platform: account.platform, url: account.url },
        kind: filing.kind,
        message,
        senderId,
        at,
      });
      await insertEvent(tx, {
        accountId: filing.accountId,
        kind: filing.kind === "notice_policy" ? "policy_director_refiled" : "security_director_refiled",
        actorId: senderId,
        comment: `${noticeKindLabels[notice.kind]}の届出を再送（${clauseRef("4.5.1")}）: ${message}`,
        snapshot: { noticeId: notice.id, filingId: sent.filing.id, round: sent.filing.round },
        at,
      });
      next = sent.filing;
    }
    return {
      result: next,
      target: { type: "filing", id: next.id },
      summary: {
        accountId: filing.accountId,
        noticeId: filing.noticeId,
        kind: filing.kind,
        answered: filing.id,
        round: next.round,
        answer: message,
      },
    };
  });
}
