/**
 * 文書番号・決裁日: staff copy the number the city's document-management system gave an
 * application (起案), a 届出 or a change/closure request, and the date it was decided, into
 * snsgov, so the printed document and the system's record match. A correction is a new version
 * with its reason; every version stays. One transaction, one audit entry.
 */
import { z } from "zod";
import { type DocumentRecord, documentVersions, insertDocumentVersion } from "../../db/repos/documents.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { type DocumentSubject, documentVersionProblem } from "../../domain/documents.ts";
import type { Target } from "../../domain/policy.ts";
import { conflict, isUniqueViolation, validation } from "../../errors.ts";
import { accountTarget, getAccount } from "../accounts/read.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { visibleFiling } from "../filings/access.ts";
import { visibleNotice } from "../notices/access.ts";
import { optionalText, parse, plainDate, text } from "../validate.ts";

export const documentInput = z.object({
  documentNumber: text("文書番号", 100),
  decidedOn: z.preprocess((v) => (v === "" || v === null ? undefined : v), plainDate("決裁日").optional()),
  reason: optionalText("訂正の理由", 1000),
});

/** The subject's account (its organisational target), after checking the actor may see it. */
export async function documentTarget(
  ctx: AppContext,
  actor: Actor,
  subject: { type: DocumentSubject; id: number },
): Promise<{ accountId: number; target: Target }> {
  if (subject.type === "application") {
    const account = await getAccount(ctx, { actor, id: subject.id });
    return { accountId: account.id, target: accountTarget(account) };
  }
  if (subject.type === "filing") {
    const filing = await visibleFiling(ctx, actor, subject.id);
    return { accountId: filing.accountId, target: accountTarget(filing) };
  }
  const notice = await visibleNotice(ctx, actor, subject.id);
  return { accountId: notice.accountId, target: accountTarget(notice) };
}

/** Whether the actor may record document numbers for a subject with this target. */
export function mayRecordDocument(actor: Actor, target: Target): boolean {
  return allowed(actor, "document.record", target);
}

/**
 * Records the 文書番号 and 決裁日 of a subject: the first version, or a correction (a new
 * version; its reason is required and it must change something).
 */
export async function recordDocument(
  ctx: AppContext,
  props: { actor: Actor; subject: { type: DocumentSubject; id: number }; input: unknown },
): Promise<DocumentRecord> {
  const { target, accountId } = await documentTarget(ctx, props.actor, props.subject);
  await authorize(ctx, props.actor, "document.record", target);
  const input = parse(documentInput, props.input);
  const decidedOn = input.decidedOn ?? null;
  try {
    return await change(ctx, props.actor, "document.record", async (tx, at) => {
      const versions = await documentVersions(tx, props.subject);
      const current = versions[0] ?? null;
      const problem = documentVersionProblem({
        existing: versions.length,
        documentNumber: input.documentNumber,
        decidedOn,
        reason: input.reason,
        current: current ? { documentNumber: current.documentNumber, decidedOn: current.decidedOn } : null,
        today: tokyoDate(at),
      });
      if (problem) throw validation(problem.message, [problem]);
      const record = await insertDocumentVersion(tx, {
        subjectType: props.subject.type,
        subjectId: props.subject.id,
        version: (current?.version ?? 0) + 1,
        documentNumber: input.documentNumber,
        decidedOn,
        reason: input.reason,
        recordedBy: props.actor.kind === "staff" ? props.actor.staffId : null,
        recordedAt: at,
      });
      return {
        result: record,
        target: { type: props.subject.type, id: props.subject.id },
        summary: {
          accountId,
          version: record.version,
          documentNumber: current
            ? { before: current.documentNumber, after: record.documentNumber }
            : record.documentNumber,
          decidedOn: current ? { before: current.decidedOn, after: record.decidedOn } : record.decidedOn,
          ...(input.reason ? { reason: input.reason } : {}),
        },
      };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict("同時に別の人が文書番号を記録しました。画面を再読み込みして確認してください。");
    throw error;
  }
}
