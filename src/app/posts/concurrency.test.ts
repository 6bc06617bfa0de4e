/**
 * Deciding at the same moment (on PostgreSQL each call runs on its own pooled connection, truly
 * in parallel; on the embedded database they serialise): one wins, the other is told clearly,
 * and the audit log holds exactly what happened.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedKouhouKakarichou, seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findPost, listDecisions } from "../../db/repos/posts.ts";
import { AppError } from "../../errors.ts";
import type { StaffActor } from "../context.ts";
import { approvePost } from "./decide.ts";
import { nameDeputy } from "./deputies.ts";
import { draftPost, editPost } from "./draft.ts";
import { submitPost } from "./submit.ts";

let app: TestApp;
let org: TestOrg;
let account: { id: number };
/** A 係長 of 広報広聴課, named deputy for the day. */
let deputy: StaffActor;

before(async () => {
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  account = await seedKouhouAccount(app.ctx, org);
  deputy = await seedKouhouKakarichou(app.ctx, org);
});
after(() => app.close());

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

async function pendingPost(text: string) {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: account.id, text }] },
  });
  assert.ok(post);
  await submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: 1 } });
  return post;
}

function conflictOf(results: PromiseSettledResult<unknown>[]): AppError {
  const refused = results.find((r) => r.status === "rejected");
  assert.ok(refused && refused.status === "rejected", "one of them is refused");
  assert.ok(refused.reason instanceof AppError, String(refused.reason));
  return refused.reason;
}

test("the manager and the deputy approving at the same moment: one approval, one clear refusal, one audit entry", async () => {
  await nameDeputy(app.ctx, {
    actor: org.actors.kouhouManager,
    input: {
      deputyId: deputy.staffId,
      fromDate: "2026-11-24",
      toDate: "2026-11-24",
      reason: "午後から不在のため",
    },
  });
  for (let round = 0; round < 5; round++) {
    const post = await pendingPost(`【お知らせ】本日の窓口は17時15分までです。（${round + 1}）`);
    const seq = await lastSeq();
    const results = await Promise.allSettled([
      approvePost(app.ctx, { actor: org.actors.kouhouManager, id: post.id, input: { version: 1 } }),
      approvePost(app.ctx, { actor: deputy, id: post.id, input: { version: 1 } }),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const error = conflictOf(results);
    assert.equal(error.status, 409);
    assert.match(error.message, /すでに(処理されています|ほかの方が処理しました)/);
    const approvals = (await listDecisions(app.ctx.db, post.id)).filter((d) => d.decision === "approve");
    assert.equal(approvals.length, 1);
    const actions = (await entriesAfter(app.ctx.db, seq, 10)).map((e) => e.action);
    assert.deepEqual(actions, ["post.approve"]);
  }
});

test("approve and edit at the same moment: either the approval of the version seen, or the edit, never both", async () => {
  const outcomes = new Set<string>();
  for (let round = 0; round < 6; round++) {
    const post = await pendingPost(`【お知らせ】市民課の窓口は17時までです。（${round + 1}）`);
    const seq = await lastSeq();
    const results = await Promise.allSettled([
      approvePost(app.ctx, { actor: org.actors.kouhouManager, id: post.id, input: { version: 1 } }),
      editPost(app.ctx, {
        actor: org.actors.kouhouStaff,
        id: post.id,
        input: {
          version: 1,
          expectedStatus: "pending",
          text: `【お知らせ】市民課の窓口は17時15分までです。（${round + 1}）`,
        },
      }),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1, "exactly one wins");
    const error = conflictOf(results);
    assert.equal(error.status, 409);
    const stored = await findPost(app.ctx.db, post.id);
    const actions = (await entriesAfter(app.ctx.db, seq, 10)).map((e) => e.action);
    if (results[0]?.status === "fulfilled") {
      outcomes.add("approved");
      assert.equal(stored?.status, "approved");
      assert.equal(stored?.version, 1);
      assert.match(error.message, /承認済/, "the editor is told the post was approved meanwhile");
      assert.deepEqual(actions, ["post.approve"]);
    } else {
      outcomes.add("edited");
      assert.equal(stored?.status, "pending");
      assert.equal(stored?.version, 2);
      assert.match(error.message, /第1版 → 第2版/, "the approver is told the post changed");
      assert.deepEqual(actions, ["post.edit"]);
    }
  }
});
