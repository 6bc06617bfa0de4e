/**
 * 3: posting rights come only from an account's operator list. A submission holds the submitter's
 * row on the list for its transaction, so a transfer (or a list change) that takes them off waits
 * for it — or, if it came first, the submission is refused: one wins, never both (4.3.2).
 */

import type { Db } from "../../db/client.ts";
import { holdOperatorRow } from "../../db/repos/accounts.ts";
import { AppError } from "../../errors.ts";
import { refuse } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";

/** The submitter is no longer on the account's operator list (a transfer took effect meanwhile). */
export class OperatorSeatLost extends AppError {
  readonly accountId: number;
  constructor(accountId: number) {
    super(
      "forbidden",
      "人事異動等により、このアカウントの運用に携わる職員の一覧から外れたため、承認を申請できません（第3、第4-3(2)）。",
    );
    this.accountId = accountId;
  }
}

/**
 * Holds the actor's row on the account's operator list until the transaction ends; throws
 * OperatorSeatLost when it is gone. The system actor needs no row.
 */
export async function holdOperatorSeat(tx: Db, accountId: number, actor: Actor): Promise<void> {
  if (actor.kind !== "staff") return;
  if (await holdOperatorRow(tx, accountId, actor.staffId)) return;
  throw new OperatorSeatLost(accountId);
}

/**
 * For `.catch` after the transaction: records the lost seat as an `auth.denied` entry (the
 * transaction itself rolled back) and throws the 403; other errors pass through unchanged.
 */
export function recordLostSeat(ctx: AppContext, actor: Actor, action: "post.draft" = "post.draft") {
  return async (error: unknown): Promise<never> => {
    if (!(error instanceof OperatorSeatLost)) throw error;
    throw await refuse(ctx, actor, action, { accountId: error.accountId }, error.message);
  };
}
