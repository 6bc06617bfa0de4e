/**
 * A transfer taking effect while the transferred person submits a post (3, 4.3.2): on PostgreSQL
 * both run truly in parallel on their own connections (on the embedded database they serialise).
 * One wins, never both: the submission completes before the person leaves the operator list, or
 * it is refused after — with a 403 citing the clause and an `auth.denied` entry (or, when the
 * transfer had committed before the submission even began, a 404: the draft is no longer theirs
 * to see).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { setOperators } from "../../db/repos/accounts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findPost } from "../../db/repos/posts.ts";
import { insertStaff } from "../../db/repos/staff.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import { draftPost } from "../posts/draft.ts";
import { submitPost } from "../posts/submit.ts";
import { recordTransfer } from "./transfers.ts";

let app: TestApp;
let org: TestOrg;
let account: { id: number };

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  account = await seedKouhouAccount(app.ctx, org);
});
after(() => app.close());

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

test("submitting while one's transfer takes effect: the submission completes first, or is refused — never both", async (t) => {
  const outcomes = { submittedFirst: 0, refusedAfter: 0 };
  for (let round = 1; round <= 30; round++) {
    const person = await insertStaff(app.ctx.db, {
      employeeNo: `RACE${round}`,
      name: `競合 係長${round}`,
      kana: "",
      email: `race${round}@city.example.lg.jp`,
      departmentId: org.departments.seisaku.id,
      divisionId: org.divisions.kouhou.id,
      positionId: org.positions.kakarichou.id,
      active: true,
    });
    await setOperators(app.ctx.db, account.id, [org.staff.kouhouStaff.id, person.id], app.clock.now());
    const actor = await loadActor(app.ctx.db, person.id, "session", app.clock.now());
    assert.ok(actor);
    const [post] = await draftPost(app.ctx, {
      actor,
      input: {
        accounts: [{ accountId: account.id, text: `【お知らせ】窓口の受付時間のご案内です。（${round}）` }],
      },
    });
    assert.ok(post);
    const seq = await lastSeq();
    const [submitted, moved] = await Promise.allSettled([
      submitPost(app.ctx, { actor, id: post.id, input: { version: 1 } }),
      recordTransfer(app.ctx, {
        actor: org.actors.admin,
        input: {
          staffId: person.id,
          effectiveDate: "2026-11-24",
          toDepartmentId: org.departments.soumu.id,
          toDivisionId: org.divisions.soumuka.id,
          toPositionId: org.positions.kakarichou.id,
        },
      }),
    ]);
    assert.equal(moved.status, "fulfilled", "the transfer always takes effect");
    const actions = (await entriesAfter(app.ctx.db, seq, 50)).map((e) => e.action);
    const removedAt = actions.indexOf("account.members_remove");
    assert.ok(removedAt >= 0, "the person left the operator list");
    const stored = await findPost(app.ctx.db, post.id);
    if (submitted.status === "fulfilled") {
      outcomes.submittedFirst++;
      assert.equal(stored?.status, "pending");
      const submitAt = actions.indexOf("post.submit");
      assert.ok(submitAt >= 0 && submitAt < removedAt, `submitted before the removal: ${actions.join(", ")}`);
    } else {
      outcomes.refusedAfter++;
      const error = submitted.reason;
      assert.ok(error instanceof AppError, String(error));
      assert.equal(stored?.status, "draft", "nothing was submitted");
      assert.ok(!actions.includes("post.submit"));
      if (error.status === 404) {
        // The transfer had committed before the submission began: the old division's draft is
        // no longer theirs to see (and is not disclosed).
        assert.match(error.message, /見つかりません/);
      } else {
        // Refused by the lock (第3), or — when the transfer committed between reading the post and
        // checking the operator list — by the ordinary permission check.
        assert.equal(error.status, 403, error.message);
        assert.match(error.message, /第3|権限がありません/);
        assert.ok(actions.indexOf("auth.denied") > removedAt, "the refusal is recorded after the removal");
      }
    }
  }
  t.diagnostic(`submitted first ${outcomes.submittedFirst}, refused after ${outcomes.refusedAfter}`);
});
