/**
 * The 起案 (application) as the document the city files in its document-management system:
 * what was applied for, the route of approvals with their dates (in this system, or — for an
 * account that existed before it — on paper), the 届出 to the security director, and the
 * 文書番号・決裁日 staff copied from the document-management system.
 */
import * as repo from "../../db/repos/accounts.ts";
import { type DocumentRecord, documentVersions } from "../../db/repos/documents.ts";
import { type FilingView, listFilings } from "../../db/repos/filings.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { roleLabels } from "../../domain/roles.ts";
import type { Actor, AppContext } from "../context.ts";
import { mayRecordDocument } from "../documents/record.ts";
import { canSeeFiling } from "../filings/access.ts";
import { accountTarget, getAccount } from "./read.ts";

/** Who stands in the route for a step taken on paper before this system. */
const PAPER = "（紙の決裁による）";

/** One step of the approval route: who and when (null: not yet). */
export type RouteStep = { label: string; name: string | null; on: Date | string | null; note?: string };

export type ApplicationDocument = {
  account: repo.AccountView;
  applicantName: string | null;
  operators: repo.Member[];
  holders: repo.Member[];
  route: RouteStep[];
  existing: repo.ExistingRecord | null;
  /** The day the 起案 was drafted (in this system, or on paper). */
  draftedOn: Date | string | null;
  /** Acquisition 届出 rounds the actor may see, newest first. */
  filings: FilingView[];
  documents: DocumentRecord[];
  canRecordDocument: boolean;
};

/** The last event of `kind` (the current round's step). */
function last(events: repo.AccountEvent[], kind: string): repo.AccountEvent | undefined {
  return events.filter((e) => e.kind === kind).at(-1);
}

/** Everything the printable 起案 shows. */
export async function applicationDocument(
  ctx: AppContext,
  props: { actor: Actor; id: number },
): Promise<ApplicationDocument> {
  const account = await getAccount(ctx, props);
  const [events, operators, holders, existing, filings, documents, applicant] = await Promise.all([
    repo.listEvents(ctx.db, account.id),
    repo.listOperators(ctx.db, account.id),
    repo.listHolders(ctx.db, account.id),
    repo.findExisting(ctx.db, account.id),
    listFilings(ctx.db, { accountId: account.id, kinds: ["acquisition"] }),
    documentVersions(ctx.db, { type: "application", id: account.id }),
    account.applicantId === null ? undefined : findStaff(ctx.db, account.applicantId),
  ]);
  const route: RouteStep[] = [];
  if (existing) {
    route.push(
      { label: "起案", name: PAPER, on: existing.draftedOn },
      { label: `${roleLabels.department_head}の許可`, name: PAPER, on: existing.departmentApprovedOn },
      { label: `${roleLabels.policy_director}の許可`, name: PAPER, on: existing.policyApprovedOn },
      ...(existing.securityFiledOn
        ? [{ label: "情報統括管理者への届出", name: PAPER, on: existing.securityFiledOn }]
        : []),
      {
        label: "既存アカウントとして登録",
        name: existing.recordedByName,
        on: existing.recordedAt,
      },
      {
        label: "総合政策部長による登録の確認",
        name: existing.confirmedByName,
        on: existing.confirmedAt,
      },
    );
  } else {
    const drafted = last(events, "drafted");
    const submitted = last(events, "submitted");
    const department = last(events, "approved_department_head");
    const policy = last(events, "approved_policy_director");
    // A step approved in an earlier round does not count for a later submission.
    const current = (e: repo.AccountEvent | undefined) =>
      e && submitted && e.at.getTime() >= submitted.at.getTime() ? e : undefined;
    route.push(
      { label: "起案", name: drafted?.actorName ?? null, on: drafted?.at ?? null },
      { label: "申請の提出", name: submitted?.actorName ?? null, on: submitted?.at ?? null },
      {
        label: `${roleLabels.department_head}の許可`,
        name: current(department)?.actorName ?? null,
        on: current(department)?.at ?? null,
      },
      {
        label: `${roleLabels.policy_director}の許可`,
        name: current(policy)?.actorName ?? null,
        on: current(policy)?.at ?? null,
      },
    );
  }
  const confirmed = filings.find((f) => f.status === "confirmed");
  const first = filings.at(-1);
  route.push(
    {
      label: "情報統括管理者への届出（システム）",
      name: first?.sentByName ?? null,
      on: first?.sentAt ?? null,
    },
    {
      label: "情報統括管理者の確認",
      name: confirmed?.confirmedByName ?? null,
      on: confirmed?.confirmedAt ?? null,
    },
  );
  return {
    account,
    applicantName: applicant?.name ?? null,
    operators,
    holders,
    route,
    existing: existing ?? null,
    draftedOn: existing ? existing.draftedOn : (last(events, "drafted")?.at ?? null),
    filings: filings.filter((f) => canSeeFiling(props.actor, f)),
    documents,
    canRecordDocument: mayRecordDocument(props.actor, accountTarget(account)),
  };
}
