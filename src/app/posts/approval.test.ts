import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedKouhouKakarichou, seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findPost, listDecisions } from "../../db/repos/posts.ts";
import { AppError } from "../../errors.ts";
import type { StaffActor } from "../context.ts";
import { myTasks } from "../tasks.ts";
import { acknowledgeReport, approvePost, recordVerbalApproval, rejectPost, returnPost } from "./decide.ts";
import { deputyPage, nameDeputy, revokeDeputy } from "./deputies.ts";
import { draftPost, editPost } from "./draft.ts";
import { postDetail, postLists } from "./read.ts";
import { submitPost } from "./submit.ts";

let app: TestApp;
let org: TestOrg;
let account: { id: number };
/** A second member of 広報広聴課 (係長), named deputy in some tests. */
let kakarichou: StaffActor;

before(async () => {
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  kakarichou = await seedKouhouKakarichou(app.ctx, org);
  account = await seedKouhouAccount(app.ctx, org, {
    operatorIds: [org.staff.kouhouStaff.id, org.staff.kouhouManager.id],
  });
});
after(() => app.close());

const isError = (status: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === status && (text === undefined || e.message.includes(text));
const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

const OK_TEXT = "【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いています。";
const ERROR_TEXT = "未公表の計画案について、市民説明会を開きます。";

async function pending(text = OK_TEXT, author = org.actors.kouhouStaff) {
  const [post] = await draftPost(app.ctx, {
    actor: author,
    input: { accounts: [{ accountId: account.id, text }] },
  });
  assert.ok(post);
  await submitPost(app.ctx, { actor: author, id: post.id, input: { version: 1 } });
  return post;
}

test("an error finding blocks the submission unless justified; the approver sees the findings and the justification", async () => {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: account.id, text: ERROR_TEXT }] },
  });
  assert.ok(post);
  await assert.rejects(
    submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: 1 } }),
    isError(422, "理由を10文字以上"),
  );
  await assert.rejects(
    submitPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      id: post.id,
      input: { version: 1, justification: "短い" },
    }),
    isError(422),
  );
  const seq = await lastSeq();
  const submitted = await submitPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1, justification: "「未公表」は計画の名称の一部で、公表済みの計画です。" },
  });
  assert.equal(submitted.post.status, "pending");
  assert.equal(submitted.autoApproved, false);
  const [entry] = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "post.submit");
  assert.match(JSON.stringify(entry?.summary), /"clause":"5.2.2.2","severity":"error"/);

  const detail = await postDetail(app.ctx, { actor: org.actors.kouhouManager, id: post.id });
  assert.equal(detail.can.decide, true);
  assert.equal(detail.findings[0]?.clause, "5.2.2.2");
  assert.match(detail.post.justification, /公表済みの計画/);
  const approved = await approvePost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: post.id,
    input: { version: 1, comment: "公表済みであることを確認しました。" },
  });
  assert.equal(approved.status, "approved");
  assert.equal(approved.approvalRule, "manager");
  assert.equal(approved.approvedVersion, 1);
  assert.equal(approved.approvedBy, org.staff.kouhouManager.id);
});

test("the manager approves, returns with comments, or rejects; each is on the post's trail and the audit log", async () => {
  const returned = await pending();
  await assert.rejects(
    returnPost(app.ctx, {
      actor: org.actors.kouhouManager,
      id: returned.id,
      input: { version: 1, comment: " " },
    }),
    isError(422, "理由・コメント"),
  );
  const seq = await lastSeq();
  await returnPost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: returned.id,
    input: { version: 1, comment: "時間の表記を「17時15分」に統一してください。" },
  });
  assert.equal((await findPost(app.ctx.db, returned.id))?.status, "returned");
  const tasks = await myTasks(app.ctx, org.actors.kouhouStaff);
  assert.ok(tasks.some((t) => t.kind === "post_returned" && t.href === `/posts/${returned.id}`));
  await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: returned.id,
    input: { version: 1, text: `${OK_TEXT}（修正）` },
  });
  await submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: returned.id, input: { version: 2 } });
  await approvePost(app.ctx, { actor: org.actors.kouhouManager, id: returned.id, input: { version: 2 } });
  const trail = await listDecisions(app.ctx.db, returned.id);
  assert.deepEqual(
    trail.map((d) => [d.decision, d.version, d.actorName]),
    [
      ["return", 1, "広報 課長"],
      ["approve", 2, "広報 課長"],
    ],
  );
  const actions = (await entriesAfter(app.ctx.db, seq, 20)).map((e) => e.action);
  assert.deepEqual(actions, ["post.return", "post.edit", "post.submit", "post.approve"]);

  const rejected = await pending();
  await rejectPost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: rejected.id,
    input: { version: 1, comment: "この内容は発信しません。" },
  });
  assert.equal((await findPost(app.ctx.db, rejected.id))?.status, "rejected");
  await assert.rejects(
    approvePost(app.ctx, { actor: org.actors.kouhouManager, id: rejected.id, input: { version: 1 } }),
    isError(409, "すでに処理されています"),
  );
});

test("refused: the author approving their own post (even the manager), an operator, a manager of another division", async () => {
  const byManager = await pending(OK_TEXT, org.actors.kouhouManager);
  const seq = await lastSeq();
  await assert.rejects(
    approvePost(app.ctx, { actor: org.actors.kouhouManager, id: byManager.id, input: { version: 1 } }),
    isError(403, "ご自身が作成または編集した投稿"),
  );
  const [denied] = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
  assert.match(JSON.stringify(denied?.summary), /own_post/);
  const detail = await postDetail(app.ctx, { actor: org.actors.kouhouManager, id: byManager.id });
  assert.equal(detail.can.decide, false);
  assert.equal(detail.can.ownPostBlocksDecision, true, "the page says why");

  const byStaff = await pending();
  await assert.rejects(
    approvePost(app.ctx, { actor: org.actors.kouhouStaff, id: byStaff.id, input: { version: 1 } }),
    isError(403),
  );
  await assert.rejects(
    approvePost(app.ctx, { actor: kakarichou, id: byStaff.id, input: { version: 1 } }),
    isError(403),
    "a member of the division who is not named deputy",
  );
  await assert.rejects(
    approvePost(app.ctx, { actor: org.actors.soumuManager, id: byStaff.id, input: { version: 1 } }),
    isError(404),
    "another division does not even see the post",
  );
  await assert.rejects(
    approvePost(app.ctx, { actor: org.actors.policyDirector, id: byStaff.id, input: { version: 1 } }),
    isError(403),
    "the policy director sees every post but does not approve them",
  );
  assert.equal((await findPost(app.ctx.db, byStaff.id))?.status, "pending");
});

test("a deputy named for an absence approves within the dates, not before or after (5.1.4)", async () => {
  await assert.rejects(
    nameDeputy(app.ctx, {
      actor: org.actors.kouhouStaff,
      input: { deputyId: kakarichou.staffId, fromDate: "2026-11-25", toDate: "2026-11-27", reason: "出張" },
    }),
    isError(403),
  );
  await assert.rejects(
    nameDeputy(app.ctx, {
      actor: org.actors.kouhouManager,
      input: {
        deputyId: org.staff.soumuStaff.id,
        fromDate: "2026-11-25",
        toDate: "2026-11-27",
        reason: "出張",
      },
    }),
    isError(422, "広報広聴課の職員"),
  );
  await assert.rejects(
    nameDeputy(app.ctx, {
      actor: org.actors.kouhouManager,
      input: { deputyId: kakarichou.staffId, fromDate: "2026-11-27", toDate: "2026-11-25", reason: "出張" },
    }),
    isError(422, "終了日は開始日以降"),
  );
  const deputy = await nameDeputy(app.ctx, {
    actor: org.actors.kouhouManager,
    input: {
      deputyId: kakarichou.staffId,
      fromDate: "2026-11-25",
      toDate: "2026-11-27",
      reason: "出張のため",
    },
  });
  assert.equal(deputy.deputyName, "広報 係長");
  const page = await deputyPage(app.ctx, { actor: org.actors.kouhouManager });
  assert.deepEqual(
    page.deputies.map((d) => [d.deputyName, d.fromDate, d.toDate, d.reason]),
    [["広報 係長", "2026-11-25", "2026-11-27", "出張のため"]],
  );

  const post = await pending();
  await assert.rejects(
    approvePost(app.ctx, { actor: kakarichou, id: post.id, input: { version: 1 } }),
    isError(403),
    "the day before the absence",
  );
  app.clock.set("2026-11-25T00:30:00Z");
  const lists = await postLists(app.ctx, { actor: kakarichou });
  assert.ok(
    lists.waiting.some((p) => p.id === post.id),
    "the deputy sees the post waiting",
  );
  const approved = await approvePost(app.ctx, { actor: kakarichou, id: post.id, input: { version: 1 } });
  assert.equal(approved.approvalRule, "deputy");

  app.clock.set("2026-11-28T00:30:00Z");
  const later = await pending();
  await assert.rejects(
    approvePost(app.ctx, { actor: kakarichou, id: later.id, input: { version: 1 } }),
    isError(403),
    "the day after the absence",
  );
  app.clock.set("2026-11-26T00:30:00Z");
  await revokeDeputy(app.ctx, { actor: org.actors.kouhouManager, id: deputy.id });
  await assert.rejects(
    approvePost(app.ctx, { actor: kakarichou, id: later.id, input: { version: 1 } }),
    isError(403),
    "revoked",
  );
  app.clock.set("2026-11-24T00:00:00Z");
});

test("a verbal approval (口頭) is recorded afterwards with the time it was given: after the submission, not in the future", async () => {
  app.clock.set("2026-11-24T00:00:00Z");
  const post = await pending();
  app.clock.set("2026-11-24T01:00:00Z");
  const verbal = (givenAt: string) =>
    recordVerbalApproval(app.ctx, {
      actor: org.actors.kouhouManager,
      id: post.id,
      input: { version: 1, givenAt, comment: "電話で内容を確認し、承認しました。" },
    });
  await assert.rejects(verbal("2026-11-24T12:00"), isError(422, "未来の日時"));
  await assert.rejects(
    verbal("2020-04-01T10:00"),
    isError(
      422,
      "口頭で承認した日時（令和2年（2020年）4月1日（水）10時00分）が、第1版の承認申請（令和8年（2026年）11月24日（火）9時00分）より前です。口頭で承認した日時は、第1版の承認申請（令和8年（2026年）11月24日（火）9時00分）から現在（令和8年（2026年）11月24日（火）10時00分）までの日時で入力してください。",
    ),
  );
  await assert.rejects(verbal("2026-11-24T08:45"), isError(422, "より前です"), "before the submission");
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "pending", "nothing was recorded");
  const approved = await verbal("2026-11-24T09:45");
  assert.equal(approved.approvalRule, "verbal");
  assert.equal(approved.approvedAt?.toISOString(), "2026-11-24T00:45:00.000Z");
  const [decision] = await listDecisions(app.ctx.db, post.id);
  assert.equal(decision?.rule, "verbal");
  assert.equal(decision?.givenAt?.toISOString(), "2026-11-24T00:45:00.000Z");
  assert.equal(decision?.at.toISOString(), "2026-11-24T01:00:00.000Z", "recorded now, given earlier");
  app.clock.set("2026-11-24T00:00:00Z");
});

test("a post that is not a post-hoc report cannot be acknowledged", async () => {
  const post = await pending();
  await assert.rejects(
    acknowledgeReport(app.ctx, { actor: org.actors.kouhouManager, id: post.id, input: {} }),
    isError(409, "事後報告の対象ではありません"),
  );
});
