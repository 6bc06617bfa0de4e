/**
 * Reading 届出: the list a director (or an auditor) works from — who sent what, when, and who
 * confirmed it, when — and one filing with all its rounds, what it says, its 文書番号 record and
 * what the person may do with it.
 */
import { findAccountView } from "../../db/repos/accounts.ts";
import { type DocumentRecord, documentVersions } from "../../db/repos/documents.ts";
import { type FilingView, listFilings } from "../../db/repos/filings.ts";
import { findNoticeView, type NoticeView } from "../../db/repos/notices.ts";
import {
  type AcquisitionContent,
  type FilingKind,
  type FilingStatus,
  type NoticeFilingContent,
  toAcquisitionContent,
  toNoticeFilingContent,
} from "../../domain/filings.ts";
import { notFound } from "../../errors.ts";
import { accountTarget } from "../accounts/read.ts";
import { authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { mayRecordDocument } from "../documents/record.ts";
import { canSeeFiling, isRecipient, isSender, visibleFiling } from "./access.ts";

/** Every filing round the actor may see, newest first, optionally narrowed. */
export async function filingList(
  ctx: AppContext,
  props: { actor: Actor; statuses?: readonly FilingStatus[]; kinds?: readonly FilingKind[] },
): Promise<FilingView[]> {
  await authorize(ctx, props.actor, "account.read");
  const rows = await listFilings(ctx.db, { statuses: props.statuses, kinds: props.kinds });
  return rows.filter((f) => canSeeFiling(props.actor, f));
}

/** One filing as its page shows it. */
export type FilingPage = {
  filing: FilingView;
  /** Every round of the same filing, newest first (this one among them). */
  rounds: FilingView[];
  acquisition: AcquisitionContent | null;
  notice: { content: NoticeFilingContent; view: NoticeView | null } | null;
  documents: DocumentRecord[];
  /** The actor is the director it is addressed to, and it waits for them. */
  canDecide: boolean;
  /** The actor is the account's manager and a question waits for their answer. */
  canAnswer: boolean;
  canRecordDocument: boolean;
};

/** One filing with its rounds, content, document record and the actor's possible steps. */
export async function filingPage(ctx: AppContext, props: { actor: Actor; id: number }): Promise<FilingPage> {
  const filing = await visibleFiling(ctx, props.actor, props.id);
  const account = await findAccountView(ctx.db, filing.accountId);
  if (!account) throw notFound("届出");
  const all = await listFilings(ctx.db, {
    accountId: filing.accountId,
    kinds: [filing.kind],
    ...(filing.noticeId !== null ? { noticeIds: [filing.noticeId] } : {}),
  });
  const rounds = all.filter((f) => f.noticeId === filing.noticeId).sort((a, b) => b.round - a.round);
  const latest = rounds[0];
  const documents = await documentVersions(ctx.db, { type: "filing", id: filing.id });
  const notice =
    filing.kind === "acquisition"
      ? null
      : {
          content: toNoticeFilingContent(filing.content),
          view: filing.noticeId === null ? null : ((await findNoticeView(ctx.db, filing.noticeId)) ?? null),
        };
  return {
    filing,
    rounds,
    acquisition: filing.kind === "acquisition" ? toAcquisitionContent(filing.content) : null,
    notice,
    documents,
    canDecide: filing.status === "sent" && isRecipient(props.actor, filing),
    canAnswer: filing.status === "questioned" && latest?.id === filing.id && isSender(props.actor, filing),
    canRecordDocument: mayRecordDocument(props.actor, accountTarget(filing)),
  };
}
