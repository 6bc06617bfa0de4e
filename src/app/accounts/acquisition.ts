/**
 * 4.1.2 後段「取得後、情報統括管理者に届けなければならない」: once the account exists on the
 * platform and is registered here, the 情報統括管理者 receives a 届出 with what a security
 * director needs — URL and handle, creation date, the login e-mail/phone and who owns them, the
 * credential holders, two-factor status. A later change of those facts sends a new round; a
 * question from the director is answered by sending the next round (see app/filings).
 */
import type { Db } from "../../db/client.ts";
import * as repo from "../../db/repos/accounts.ts";
import { latestFiling } from "../../db/repos/filings.ts";
import { findDivision } from "../../db/repos/org.ts";
import { findStaff } from "../../db/repos/staff.ts";
import {
  type AcquisitionContent,
  acquisitionChanged,
  acquisitionProblems,
  toAcquisitionContent,
} from "../../domain/filings.ts";
import { validation } from "../../errors.ts";
import { type Sent, sendFilingRound } from "../filings/send.ts";

/** What the 届出 says about the account as it is now. */
export async function acquisitionContent(db: Db, account: repo.Account): Promise<AcquisitionContent> {
  // One after the other: called inside a transaction, whose client runs one query at a time.
  const division = await findDivision(db, account.divisionId);
  const manager = account.managerId === null ? undefined : await findStaff(db, account.managerId);
  const holders = await repo.listHolders(db, account.id);
  const operators = await repo.listOperators(db, account.id);
  return {
    platform: account.platform,
    name: account.name,
    alias: account.alias,
    handle: account.handle,
    url: account.url,
    homepageUrl: account.homepageUrl,
    platformCreatedOn: account.platformCreatedOn ?? "",
    divisionName: division?.name ?? "",
    managerName: manager?.name ?? "",
    loginEmail: account.loginEmail,
    loginPhone: account.loginPhone,
    loginOwner: account.loginOwner,
    holders: holders.map((h) => ({ staffId: h.staffId, name: h.name })),
    operators: operators.map((o) => ({ staffId: o.staffId, name: o.name })),
    mfaEnabled: account.mfaEnabled,
    twoFactorPlan: account.twoFactorPlan,
    origin: account.origin === "existing" ? "existing" : "application",
  };
}

/** What happened to the 届出 when the registration was saved. */
export type AcquisitionOutcome = { sent: Sent } | { sent: null; reason: "unchanged" | "questioned" };

/**
 * Sends the acquisition 届出 with the account as it is now, in the caller's transaction: the
 * first time it is registered, and again whenever what the director was told changes. While the
 * director's question waits for an answer nothing is sent unless `answer` is given.
 * @throws AppError validation when the 届出 would lack what the director needs
 */
export async function fileAcquisition(
  ctx: { clock: { now(): Date } },
  tx: Db,
  props: { account: repo.Account; senderId: number | null; at: Date; answer?: string },
): Promise<AcquisitionOutcome> {
  const content = await acquisitionContent(tx, props.account);
  const problems = acquisitionProblems(content);
  if (problems.length > 0) {
    throw validation(
      `情報統括管理者への届出に必要な事項が足りません。${problems.join("")}`,
      problems.map((message) => ({ field: "", message })),
    );
  }
  const key = { accountId: props.account.id, kind: "acquisition" as const, noticeId: null };
  const latest = await latestFiling(tx, key);
  const answer = (props.answer ?? "").trim();
  if (latest?.status === "questioned" && !answer) return { sent: null, reason: "questioned" };
  const unchanged =
    latest !== undefined &&
    (latest.status === "sent" || latest.status === "confirmed") &&
    !acquisitionChanged(toAcquisitionContent(latest.content), content);
  if (unchanged && !answer) return { sent: null, reason: "unchanged" };
  const sent = await sendFilingRound(ctx, tx, {
    key,
    content,
    message: answer || (latest ? "登録内容を変更しました。" : ""),
    senderId: props.senderId,
    at: props.at,
    subject: `公式アカウント「${props.account.name}」の取得`,
    allowAfterConfirm: true,
  });
  await repo.updateAccount(
    tx,
    props.account.id,
    { securityNotifiedAt: props.at, securityConfirmedAt: null, securityConfirmedBy: null },
    props.at,
  );
  await repo.insertEvent(tx, {
    accountId: props.account.id,
    kind: sent.filing.round > 1 ? "security_refiled" : "security_filed",
    actorId: props.senderId,
    comment: answer ? `回答: ${answer}` : "",
    snapshot: { filingId: sent.filing.id, round: sent.filing.round },
    at: props.at,
  });
  return { sent };
}
