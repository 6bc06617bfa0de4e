/**
 * The author learns the outcome (5.1.4): approval, a verbal approval, a return and a rejection
 * notify the author and the account's other operators at once — in the app, and by e-mail as each
 * chose for 「申請・投稿の結果」 (a real SMTP server on loopback) — never the person deciding; an
 * approved post without a schedule time is 「承認済み・未発信」 on the author's list until it is
 * published or sent back by an edit.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { seedKouhouAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedKouhouKakarichou, seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { listNotifications } from "../../db/repos/notifications.ts";
import type { StaffActor } from "../context.ts";
import { deliverImmediate } from "../notifications/deliver.ts";
import { savePreferences } from "../notifications/preferences.ts";
import { startTestSmtp, type TestSmtp } from "../notifications/testing.ts";
import { myTasks } from "../tasks.ts";
import { approvePost, recordVerbalApproval, rejectPost, returnPost } from "./decide.ts";
import { draftPost, editPost } from "./draft.ts";
import { recordPublishing } from "./publishing.ts";
import { submitPost } from "./submit.ts";

let smtp: TestSmtp;
let app: TestApp;
let org: TestOrg;
/** A second operator of the account, who wants no e-mail of decisions. */
let colleague: StaffActor;
let accountId: number;

before(async () => {
  smtp = await startTestSmtp();
  app = await testApp({ start: "2026-11-24T00:00:00Z", env: smtp.env() });
  org = await seedOrg(app.ctx);
  colleague = await seedKouhouKakarichou(app.ctx, org);
  const account = await seedKouhouAccount(app.ctx, org, {
    name: "いわき市広報",
    handle: "iwaki_koho",
    url: "https://x.com/iwaki_koho",
    operatorIds: [org.staff.kouhouStaff.id, colleague.staffId],
  });
  accountId = account.id;
  await savePreferences(app.ctx, { actor: colleague, input: { decision: "none" } });
});
after(async () => {
  await app.close();
  await smtp.close();
});
beforeEach(() => {
  smtp.received.length = 0;
});

async function pending(text: string, scheduledAt?: string) {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId, text }], ...(scheduledAt ? { scheduledAt } : {}) },
  });
  assert.ok(post);
  await submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: 1 } });
  return post;
}

const inbox = async (staffId: number, postId: number) =>
  (await listNotifications(app.ctx.db, staffId, { unreadOnly: false, limit: 50, offset: 0 })).items.filter(
    (n) => n.href === `/posts/${postId}`,
  );

test("an approval tells the author and the other operators at once; the author's list shows 承認済み・未発信 until it goes out", async () => {
  const post = await pending("【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いています。");
  await approvePost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: post.id,
    input: { version: 1, comment: "このまま発信してください。" },
  });

  const [mine] = await inbox(org.staff.kouhouStaff.id, post.id);
  assert.equal(mine?.kind, "decision");
  assert.equal(mine?.title, "投稿が承認されました（いわき市広報・第1版）");
  assert.match(
    mine?.body ?? "",
    /^「【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いて…」\n/,
    "which post",
  );
  assert.match(mine?.body ?? "", /広報 課長さんが承認しました（第5-1\(4\)）。/);
  assert.match(mine?.body ?? "", /「承認済み・未発信」のタスク/);
  assert.match(mine?.body ?? "", /コメント: このまま発信してください。/);
  assert.equal((await inbox(colleague.staffId, post.id)).length, 1, "the other operator too");
  assert.equal((await inbox(org.staff.kouhouManager.id, post.id)).length, 0, "not the person deciding");

  await deliverImmediate(app.ctx);
  assert.deepEqual(
    smtp.received.map((m) => [m.to.join(), m.subject]),
    [[org.staff.kouhouStaff.email, "【snsgov】投稿が承認されました（いわき市広報・第1版）"]],
    "e-mailed to the author at once; the colleague chose no e-mail for decisions",
  );

  const task = (await myTasks(app.ctx, org.actors.kouhouStaff)).find(
    (t) => t.kind === "post_approved_unpublished" && t.href === `/posts/${post.id}/publish`,
  );
  assert.match(task?.title ?? "", /^承認済み・未発信: 発信して記録してください「[^」]+」（いわき市広報・/);
  assert.ok(
    !(await myTasks(app.ctx, colleague)).some((t) => t.href === `/posts/${post.id}/publish`),
    "on the author's list",
  );
  await recordPublishing(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: post.id,
    input: { url: "https://x.com/iwaki_koho/status/1861000000000000001" },
  });
  assert.ok(
    !(await myTasks(app.ctx, org.actors.kouhouStaff)).some((t) => t.href === `/posts/${post.id}/publish`),
    "gone once published",
  );
});

test("an approved post sent back by an edit leaves the list; a scheduled one waits for its reminder instead", async () => {
  const post = await pending("【お知らせ】12月の市民講座の申し込みを受け付けています。");
  await approvePost(app.ctx, { actor: org.actors.kouhouManager, id: post.id, input: { version: 1 } });
  const listed = async () =>
    (await myTasks(app.ctx, org.actors.kouhouStaff)).some((t) => t.href === `/posts/${post.id}/publish`);
  assert.equal(await listed(), true);
  await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1, text: "【お知らせ】12月の市民講座の申し込みを、市ホームページで受け付けています。" },
  });
  assert.equal(await listed(), false, "withdrawn: it needs approval again");

  const scheduled = await pending("【お知らせ】年末の窓口の時間をお知らせします。", "2026-11-30T09:00");
  await approvePost(app.ctx, { actor: org.actors.kouhouManager, id: scheduled.id, input: { version: 1 } });
  const [note] = await inbox(org.staff.kouhouStaff.id, scheduled.id);
  assert.match(
    note?.body ?? "",
    /予約日時（令和8年（2026年）11月30日（月）9時00分）になると、発信のタスクが届きます。/,
  );
  assert.ok(
    !(await myTasks(app.ctx, org.actors.kouhouStaff)).some(
      (t) => t.href === `/posts/${scheduled.id}/publish`,
    ),
  );
});

test("a return and a rejection tell the author what the approver wrote; a verbal approval says when it was given", async () => {
  const returned = await pending("【お知らせ】年末年始の窓口の開設日をお知らせします。");
  await returnPost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: returned.id,
    input: { version: 1, comment: "開設日を本文にも書いてください。" },
  });
  const [back] = await inbox(org.staff.kouhouStaff.id, returned.id);
  assert.equal(back?.title, "投稿が差し戻されました（いわき市広報・第1版）");
  assert.match(
    back?.body ?? "",
    /あらためて承認を申請してください。\nコメント: 開設日を本文にも書いてください。/,
  );

  const rejected = await pending("【お知らせ】本日の窓口は混雑しています。");
  await rejectPost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: rejected.id,
    input: { version: 1, comment: "この内容は発信しません。" },
  });
  const [no] = await inbox(colleague.staffId, rejected.id);
  assert.equal(no?.title, "投稿が却下されました（いわき市広報・第1版）");
  assert.match(no?.body ?? "", /この投稿は発信できません。/);

  app.clock.set("2026-11-24T01:00:00Z");
  const verbal = await pending("【お知らせ】市民会館の駐車場は本日満車です。");
  await recordVerbalApproval(app.ctx, {
    actor: org.actors.kouhouManager,
    id: verbal.id,
    input: { version: 1, givenAt: "2026-11-24T10:00" },
  });
  const [yes] = await inbox(org.staff.kouhouStaff.id, verbal.id);
  assert.match(yes?.body ?? "", /口頭での許可（令和8年（2026年）11月24日（火）10時00分）を記録しました/);
  app.clock.set("2026-11-24T00:00:00Z");
});
