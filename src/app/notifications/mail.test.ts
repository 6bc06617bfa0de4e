/**
 * E-mail through a real SMTP server on loopback: the Japanese subject and body as received and
 * decoded, authentication, each person's choice per kind (immediately, the 08:00 digest, none),
 * urgent kinds always at once, nothing sent twice, a refused message tried again, e-mail off
 * without SMTP settings.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { loadConfig } from "../../config.ts";
import { findNotification } from "../../db/repos/notifications.ts";
import { deliverImmediate, sendDigests } from "./deliver.ts";
import { markNotificationRead } from "./inbox.ts";
import type { NotifyInput } from "./notify.ts";
import { notify } from "./notify.ts";
import { savePreferences } from "./preferences.ts";
import { startTestSmtp, type TestSmtp } from "./testing.ts";

let smtp: TestSmtp;
let app: TestApp;
let org: TestOrg;

before(async () => {
  smtp = await startTestSmtp();
  app = await testApp({
    start: "2026-04-01T01:00:00Z",
    env: smtp.env({
      SNSGOV_SMTP_USER: "snsgov-mailer",
      SNSGOV_SMTP_PASSWORD: "mail server pass phrase",
      SNSGOV_PUBLIC_URL: "https://sns.city.example.lg.jp",
    }),
  });
  org = await seedOrg(app.ctx);
});
after(async () => {
  await app.close();
  await smtp.close();
});
beforeEach(() => {
  smtp.received.length = 0;
  smtp.refuse = false;
});

const send = (input: NotifyInput) => app.ctx.db.transaction((tx) => notify(app.ctx, tx, input));

test("a notification arrives by e-mail with a Japanese subject, body and full link, once", async () => {
  const [id] = await send({
    recipientIds: [org.staff.kouhouManager.id],
    kind: "approval",
    title: "承認待ちの投稿があります（いわき市広報（X））",
    body: "広報 主事さんが作成した投稿（第2版）が承認を待っています（第5-1(4)）。",
    href: "/posts/12",
  });
  const result = await deliverImmediate(app.ctx);
  assert.deepEqual(result, { sent: 1, failed: 0, emailOff: false });
  assert.equal(smtp.received.length, 1);
  const [mail] = smtp.received;
  assert.ok(mail);
  assert.equal(mail.subject, "【snsgov】承認待ちの投稿があります（いわき市広報（X））");
  assert.deepEqual(mail.to, [org.staff.kouhouManager.email]);
  assert.equal(mail.from, "snsgov@city.example.lg.jp");
  assert.equal(mail.user, "snsgov-mailer", "authenticated with the configured user");
  assert.match(mail.headers.get("content-type") ?? "", /text\/plain; charset=utf-8/i);
  assert.equal(mail.headers.get("auto-submitted"), "auto-generated");
  assert.ok(
    mail.text.startsWith("広報 課長 様\n\n承認待ちの投稿があります（いわき市広報（X））\n"),
    mail.text,
  );
  assert.ok(mail.text.includes("広報 主事さんが作成した投稿（第2版）が承認を待っています（第5-1(4)）。"));
  assert.ok(
    mail.text.includes("\nhttps://sns.city.example.lg.jp/posts/12\n"),
    "the full link on its own line",
  );
  assert.ok(mail.text.includes("https://sns.city.example.lg.jp/account/notifications"), "where to change it");
  assert.ok(!mail.raw.includes("mail server pass phrase"));
  assert.ok(id && (await findNotification(app.ctx.db, id))?.emailedAt, "marked as e-mailed");

  assert.equal((await deliverImmediate(app.ctx)).sent, 0, "not sent twice");
  assert.equal(smtp.received.length, 1);
});

test("each person's choice per kind; urgent ones always at once; the digest at 08:00", async () => {
  const person = org.staff.soumuManager;
  await savePreferences(app.ctx, {
    actor: org.actors.soumuManager,
    input: { approval: "digest", notice: "none", rotation: "none", incident: "none" },
  });
  const to = [person.id];
  await send({ recipientIds: to, kind: "approval", title: "承認待ちの申請があります", href: "/accounts/1" });
  await send({
    recipientIds: to,
    kind: "notice",
    title: "周知が明日から始まります",
    href: "/accounts/1/notices",
  });
  await send({ recipientIds: to, kind: "decision", title: "申請が承認されました", href: "/accounts/2" });
  await send({
    recipientIds: to,
    kind: "incident",
    title: "なりすましが報告されました",
    href: "/incidents/1",
  });
  await send({
    recipientIds: to,
    kind: "rotation",
    urgent: true,
    title: "期限を過ぎたタスクがあります: パスワード変更",
    href: "/tasks/9",
  });
  await send({ recipientIds: to, kind: "approval", title: "既に画面で読んだ承認依頼", href: "/posts/5" });
  const [read] = await send({ recipientIds: to, kind: "approval", title: "読んだもの", href: "/posts/6" });
  assert.ok(read);
  // A notification the person has already read in the app stays out of the digest.
  await markNotificationRead(app.ctx, { actor: org.actors.soumuManager, id: read });

  await deliverImmediate(app.ctx);
  const subjects = smtp.received.map((m) => m.subject).sort();
  assert.deepEqual(subjects, [
    "【snsgov】【至急】なりすましが報告されました",
    "【snsgov】【至急】期限を過ぎたタスクがあります: パスワード変更",
    "【snsgov】申請が承認されました",
  ]);
  const urgent = smtp.received.find((m) => m.subject.includes("なりすまし"));
  assert.ok(urgent?.text.includes("【至急】なりすましが報告されました"));

  smtp.received.length = 0;
  app.clock.set("2026-04-01T23:00:00Z"); // 08:00 in Tokyo
  const digest = await sendDigests(app.ctx);
  assert.equal(digest.sent, 1);
  const [mail] = smtp.received;
  assert.ok(mail);
  assert.equal(mail.subject, "【snsgov】通知のまとめ（令和8年（2026年）4月2日（木）・2件）");
  assert.ok(mail.text.startsWith("総務 課長 様\n"));
  assert.ok(
    mail.text.includes("■ 承認待ちの申請があります\n  承認の依頼・令和8年（2026年）4月1日（水）10時00分\n"),
    mail.text,
  );
  assert.ok(mail.text.includes("https://sns.city.example.lg.jp/accounts/1\n"));
  assert.ok(mail.text.includes("■ 既に画面で読んだ承認依頼"));
  assert.ok(!mail.text.includes("読んだもの\n"), "read in the app: not in the digest");
  assert.ok(!mail.text.includes("周知が明日から始まります"), "「送らない」: never e-mailed");
  assert.equal((await sendDigests(app.ctx)).sent, 0, "one digest");
  assert.equal((await deliverImmediate(app.ctx)).sent, 0, "nothing else goes out");
});

test("a message the server refuses is tried again on the next run, and then sent once", async () => {
  app.clock.set("2026-04-02T02:00:00Z");
  const [id] = await send({
    recipientIds: [org.staff.admin.id],
    kind: "task",
    title: "今日が期限のタスクがあります",
    href: "/tasks/3",
  });
  smtp.refuse = true;
  assert.deepEqual(await deliverImmediate(app.ctx), { sent: 0, failed: 1, emailOff: false });
  assert.ok(id && !(await findNotification(app.ctx.db, id))?.emailedAt, "the claim was given back");
  smtp.refuse = false;
  assert.deepEqual(await deliverImmediate(app.ctx), { sent: 1, failed: 0, emailOff: false });
  assert.equal(smtp.received.length, 1);
  assert.equal(smtp.received[0]?.subject, "【snsgov】今日が期限のタスクがあります");
});

test("without SMTP settings e-mail is off and nothing is marked as sent", async () => {
  const off = { ...app.ctx, config: { ...app.ctx.config, smtp: undefined } };
  const [id] = await send({ recipientIds: [org.staff.admin.id], kind: "incident", title: "報告" });
  assert.deepEqual(await deliverImmediate(off), { sent: 0, failed: 0, emailOff: true });
  assert.deepEqual(await sendDigests(off), { sent: 0, failed: 0, emailOff: true });
  assert.ok(id && !(await findNotification(app.ctx.db, id))?.emailedAt);
  assert.equal(smtp.received.length, 0);
});

test("SMTP settings are checked at start: a sender is required, user and password go together", () => {
  const base = { SNSGOV_SMTP_HOST: "smtp.city.example.lg.jp" };
  assert.throws(() => loadConfig(base), /SNSGOV_SMTP_FROM: must be the sender address/);
  assert.throws(
    () => loadConfig({ ...base, SNSGOV_SMTP_FROM: "snsgov@city.example.lg.jp", SNSGOV_SMTP_USER: "u" }),
    /set both \(authenticated SMTP\) or neither/,
  );
  assert.throws(
    () => loadConfig({ ...base, SNSGOV_SMTP_FROM: "x@y", SNSGOV_SMTP_SECURE: "ssl" }),
    /SNSGOV_SMTP_SECURE/,
  );
  const tls = loadConfig({
    ...base,
    SNSGOV_SMTP_FROM: "snsgov <snsgov@city.example.lg.jp>",
    SNSGOV_SMTP_SECURE: "tls",
  });
  assert.deepEqual(tls.smtp, {
    host: "smtp.city.example.lg.jp",
    port: 465,
    secure: "tls",
    auth: undefined,
    from: "snsgov <snsgov@city.example.lg.jp>",
  });
  assert.equal(loadConfig({ ...base, SNSGOV_SMTP_FROM: "a@b.jp" }).smtp?.port, 587, "STARTTLS by default");
  assert.equal(loadConfig({}).smtp, undefined, "no host: e-mail off");
});
