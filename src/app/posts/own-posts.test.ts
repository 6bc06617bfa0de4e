/**
 * 5.1.4: nobody decides on a post they wrote or edited — any version, not only the current one —
 * nor acknowledges a post-hoc report they made: approve, return, reject, a verbal approval and
 * the acknowledgement are refused (and recorded), the page says why, and the lists and tasks
 * leave such posts out.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedKouhouKakarichou, seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findPost } from "../../db/repos/posts.ts";
import type { PostCategory } from "../../domain/posts.ts";
import { AppError } from "../../errors.ts";
import type { StaffActor } from "../context.ts";
import { myTasks } from "../tasks.ts";
import { acknowledgeReport, approvePost, recordVerbalApproval, rejectPost, returnPost } from "./decide.ts";
import { nameDeputy } from "./deputies.ts";
import { draftPost, editPost } from "./draft.ts";
import { publishPostHoc } from "./post-hoc.ts";
import { postDetail, postLists } from "./read.ts";
import { submitPost } from "./submit.ts";

let app: TestApp;
let org: TestOrg;
let account: { id: number };
/** 広報広聴課's 係長, the manager's deputy today. */
let deputy: StaffActor;

const TEXT = "【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いています。";

before(async () => {
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  deputy = await seedKouhouKakarichou(app.ctx, org);
  account = await seedKouhouAccount(app.ctx, org, {
    operatorIds: [org.staff.kouhouStaff.id, org.staff.kouhouManager.id],
  });
  await nameDeputy(app.ctx, {
    actor: org.actors.kouhouManager,
    input: { deputyId: deputy.staffId, fromDate: "2026-11-24", toDate: "2026-11-30", reason: "研修のため" },
  });
});
after(() => app.close());

const isError = (status: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === status && (text === undefined || e.message.includes(text));
const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

/** A post the operator drafted, the manager edited (version 2) and the operator edited again (3). */
async function editedByManager(category: PostCategory = "normal") {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: account.id, text: TEXT }], category },
  });
  assert.ok(post);
  await editPost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: post.id,
    input: { version: 1, text: `${TEXT}（土日は休み）` },
  });
  await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 2, text: `${TEXT}（土曜・日曜は休み）` },
  });
  return post.id;
}

test("a manager who edited an earlier version may not approve, return, reject or record a verbal approval", async () => {
  const id = await editedByManager();
  await submitPost(app.ctx, { actor: org.actors.kouhouStaff, id, input: { version: 3 } });
  const manager = org.actors.kouhouManager;
  const decisions: Array<[string, () => Promise<unknown>]> = [
    ["approve", () => approvePost(app.ctx, { actor: manager, id, input: { version: 3 } })],
    ["return", () => returnPost(app.ctx, { actor: manager, id, input: { version: 3, comment: "修正を" } })],
    [
      "reject",
      () => rejectPost(app.ctx, { actor: manager, id, input: { version: 3, comment: "発信しない" } }),
    ],
    [
      "verbal",
      () =>
        recordVerbalApproval(app.ctx, {
          actor: manager,
          id,
          input: { version: 3, givenAt: "2026-11-24T08:30" },
        }),
    ],
  ];
  for (const [what, work] of decisions) {
    const seq = await lastSeq();
    await assert.rejects(work(), isError(403, "以前の版を含みます"), what);
    const entries = await entriesAfter(app.ctx.db, seq, 10);
    assert.deepEqual(
      entries.map((e) => e.action),
      ["auth.denied"],
      what,
    );
    assert.match(JSON.stringify(entries[0]?.summary), /own_post/, what);
  }
  assert.equal((await findPost(app.ctx.db, id))?.status, "pending");

  const detail = await postDetail(app.ctx, { actor: manager, id });
  assert.equal(detail.can.decide, false);
  assert.equal(detail.can.ownPostBlocksDecision, true, "the page says why");
  const lists = await postLists(app.ctx, { actor: manager });
  assert.ok(!lists.waiting.some((p) => p.id === id), "not in the manager's waiting list");
  assert.ok(!(await myTasks(app.ctx, manager)).some((t) => t.href === `/posts/${id}`), "no task");

  assert.ok((await postLists(app.ctx, { actor: deputy })).waiting.some((p) => p.id === id));
  const approved = await approvePost(app.ctx, { actor: deputy, id, input: { version: 3 } });
  assert.equal(approved.approvalRule, "deputy", "the deputy, who wrote none of it, approves");
});

test("a manager who edited an earlier version of a post-hoc post does not acknowledge its report", async () => {
  const id = await editedByManager("fact");
  await publishPostHoc(app.ctx, { actor: org.actors.kouhouStaff, id, input: { version: 3 } });
  await assert.rejects(
    acknowledgeReport(app.ctx, { actor: org.actors.kouhouManager, id, input: {} }),
    isError(403, "ご自身が作成・編集または発信した投稿の事後報告"),
  );
  assert.ok(
    !(await postLists(app.ctx, { actor: org.actors.kouhouManager })).reports.some((p) => p.id === id),
  );
  const done = await acknowledgeReport(app.ctx, { actor: deputy, id, input: {} });
  assert.equal(done.acknowledgedBy, deputy.staffId);
});

test("the person who published a post-hoc post made the report and does not acknowledge it", async () => {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: {
      accounts: [{ accountId: account.id, text: "【結果】市民駅伝大会の結果をお知らせします。" }],
      category: "fact",
    },
  });
  assert.ok(post);
  await publishPostHoc(app.ctx, { actor: org.actors.kouhouManager, id: post.id, input: { version: 1 } });
  await assert.rejects(
    acknowledgeReport(app.ctx, { actor: org.actors.kouhouManager, id: post.id, input: {} }),
    isError(403),
  );
  const detail = await postDetail(app.ctx, { actor: org.actors.kouhouManager, id: post.id });
  assert.equal(detail.can.acknowledge, false);
  assert.equal(detail.can.ownPostBlocksDecision, true);
  assert.ok(
    !(await myTasks(app.ctx, org.actors.kouhouManager)).some((t) => t.href === `/posts/${post.id}`),
    "no acknowledgement task for the manager",
  );
  const done = await acknowledgeReport(app.ctx, { actor: deputy, id: post.id, input: {} });
  assert.equal(done.acknowledgedBy, deputy.staffId);
});
