/**
 * The post-hoc exceptions waive the prior approval, not the guideline (5.1.4 ①–④ with 5.2):
 * a post with an error finding goes out only with a confirmation given on the spot by someone
 * who may approve on the account that day and wrote no part of it; a re-send ① goes out only as
 * the content the city already published (any of its accounts, or a page of its own domains).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedKouhouKakarichou, seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findPost, listDecisions } from "../../db/repos/posts.ts";
import { insertStaff } from "../../db/repos/staff.ts";
import { AppError } from "../../errors.ts";
import { loadActor } from "../actors.ts";
import type { StaffActor } from "../context.ts";
import { markErroneous } from "./corrections.ts";
import { nameDeputy } from "./deputies.ts";
import { draftPost, editPost } from "./draft.ts";
import { publishPostHoc } from "./post-hoc.ts";
import { postDetail } from "./read.ts";
import { submitPost } from "./submit.ts";

let app: TestApp;
let org: TestOrg;
let kouhou: { id: number };
let soumu: { id: number };
/** 広報広聴課's 係長, named deputy for 24 November only. */
let deputy: StaffActor;
/** Another member of 広報広聴課, never named deputy. */
let colleague: StaffActor;

const PHONE_TEXT = "【緊急】避難される方は 090-1234-5678 までご連絡ください。";
const REASON = "災害対策本部が公開している臨時の連絡先です。";
const CITY_PAGE = "https://www.city.iwaki.lg.jp/www/contents/1700000000001/index.html";
const QUOTE = "本庁舎の窓口は、12月29日から1月3日まで休みます。";

before(async () => {
  // Tuesday 24 November 2026, 10:00 in Tokyo.
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  deputy = await seedKouhouKakarichou(app.ctx, org);
  const person = await insertStaff(app.ctx.db, {
    employeeNo: "T0101",
    name: "広報 主任",
    kana: "",
    email: "t101@city.example.lg.jp",
    departmentId: org.departments.seisaku.id,
    divisionId: org.divisions.kouhou.id,
    positionId: org.positions.shuji.id,
    active: true,
  });
  const loaded = await loadActor(app.ctx.db, person.id, "session");
  assert.ok(loaded);
  colleague = loaded;
  kouhou = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id, org.staff.kouhouManager.id],
    policy: true,
  });
  soumu = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [org.staff.soumuStaff.id],
    policy: true,
  });
  await nameDeputy(app.ctx, {
    actor: org.actors.kouhouManager,
    input: { deputyId: deputy.staffId, fromDate: "2026-11-24", toDate: "2026-11-24", reason: "出張のため" },
  });
});
after(() => app.close());

const isError = (status: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === status && (text === undefined || e.message.includes(text));
const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

async function emergency(author: StaffActor = org.actors.kouhouStaff, text = PHONE_TEXT) {
  const [post] = await draftPost(app.ctx, {
    actor: author,
    input: { accounts: [{ accountId: kouhou.id, text }], category: "emergency", justification: REASON },
  });
  assert.ok(post);
  assert.equal(post.errorCount, 1, "the mobile number is an error (5.2.2.1)");
  return post;
}

const publish = (id: number, input: Record<string, unknown>, actor: StaffActor = org.actors.kouhouStaff) =>
  publishPostHoc(app.ctx, { actor, id, input: { version: 1, ...input } });

test("5.2: an operator alone cannot publish a post-hoc post with an error; the refusal is recorded", async () => {
  const post = await emergency();
  const seq = await lastSeq();
  await assert.rejects(publish(post.id, {}), isError(403, "第5-2の禁止事項はそのまま適用されます"));
  const entries = await entriesAfter(app.ctx.db, seq, 10);
  assert.deepEqual(
    entries.map((e) => e.action),
    ["auth.denied"],
  );
  assert.match(JSON.stringify(entries[0]?.summary), /post_hoc_error_unconfirmed/);
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "draft", "nothing went out");
});

test("5.2: the account manager or today's deputy confirms on the spot; recorded as their decision with when and who entered it", async () => {
  for (const [confirmer, rule] of [
    [org.actors.kouhouManager, "manager"],
    [deputy, "deputy"],
  ] as const) {
    const post = await emergency();
    const detail = await postDetail(app.ctx, { actor: org.actors.kouhouStaff, id: post.id });
    assert.ok(
      detail.confirmers.some((c) => c.id === confirmer.staffId),
      "offered on the form",
    );
    assert.ok(
      !detail.confirmers.some((c) => c.id === colleague.staffId || c.id === org.staff.kouhouStaff.id),
    );
    const seq = await lastSeq();
    const published = await publish(post.id, {
      confirmedBy: confirmer.staffId,
      confirmedAt: "2026-11-24T10:00",
      confirmationNote: "臨時窓口の番号であることを確認",
    });
    assert.equal(published.status, "published");
    assert.equal(published.approvalRule, "post_hoc", "still a post-hoc report for the manager");
    assert.equal(published.approvedBy, confirmer.staffId);
    const [decision] = await listDecisions(app.ctx.db, post.id);
    assert.equal(decision?.rule, "on_the_spot");
    assert.equal(decision?.actorId, confirmer.staffId);
    assert.equal(decision?.recordedBy, org.staff.kouhouStaff.id);
    assert.equal(decision?.givenAt?.toISOString(), "2026-11-24T01:00:00.000Z");
    assert.equal(decision?.comment, "臨時窓口の番号であることを確認");
    const [entry] = await entriesAfter(app.ctx.db, seq, 10);
    assert.equal(entry?.action, "post.publish_post_hoc");
    assert.match(
      JSON.stringify(entry?.summary),
      new RegExp(`"confirmedOnTheSpot":\\{"as":"${rule}".*"by":${confirmer.staffId},`),
    );
  }
});

test("5.2: refused confirmers: a colleague who is not deputy, another division's manager, the policy director, the author, anyone who edited it", async () => {
  const refusedBy: Array<[string, number, string]> = [
    ["a member of the division not named deputy", colleague.staffId, "confirmer_not_approver"],
    ["another division's manager", org.staff.soumuManager.id, "confirmer_not_approver"],
    ["the policy director", org.staff.policyDirector.id, "confirmer_not_approver"],
    ["the author (the operator publishing)", org.staff.kouhouStaff.id, "confirmer_wrote_post"],
  ];
  for (const [who, staffId, reason] of refusedBy) {
    const post = await emergency();
    const seq = await lastSeq();
    await assert.rejects(
      publish(post.id, { confirmedBy: staffId, confirmedAt: "2026-11-24T10:00" }),
      isError(403),
      who,
    );
    const entries = await entriesAfter(app.ctx.db, seq, 10);
    assert.deepEqual(
      entries.map((e) => e.action),
      ["auth.denied"],
      who,
    );
    assert.match(JSON.stringify(entries[0]?.summary), new RegExp(reason), who);
    assert.equal((await findPost(app.ctx.db, post.id))?.status, "draft", who);
  }

  // The manager edited version 2; the operator edits version 3 and publishes: the manager wrote
  // part of it, so the deputy of the day confirms instead.
  const post = await emergency();
  await editPost(app.ctx, {
    actor: org.actors.kouhouManager,
    id: post.id,
    input: { version: 1, text: `${PHONE_TEXT}（災害対策本部）` },
  });
  await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 2, text: `${PHONE_TEXT}（災害対策本部・24時間）` },
  });
  await assert.rejects(
    publish(post.id, {
      version: 3,
      confirmedBy: org.staff.kouhouManager.id,
      confirmedAt: "2026-11-24T10:00",
    }),
    isError(403, "作成・編集・発信する方以外"),
  );
  const ok = await publish(post.id, {
    version: 3,
    confirmedBy: deputy.staffId,
    confirmedAt: "2026-11-24T10:00",
  });
  assert.equal(ok.status, "published");
});

test("5.2: the confirmation time lies between the version's save and now; the deputy must be the deputy of that day", async () => {
  const post = await emergency();
  await assert.rejects(
    publish(post.id, { confirmedBy: org.staff.kouhouManager.id, confirmedAt: "2026-11-24T09:59" }),
    isError(422, "版の保存（令和8年（2026年）11月24日（火）10時00分）より前です"),
  );
  await assert.rejects(
    publish(post.id, { confirmedBy: org.staff.kouhouManager.id, confirmedAt: "2026-11-24T10:05" }),
    isError(422, "未来の日時"),
  );
  await assert.rejects(
    publish(post.id, { confirmedBy: org.staff.kouhouManager.id }),
    isError(422, "日時を入力"),
  );

  // The next day: the deputy named for the 24th confirmed on the 24th (valid), not on the 25th.
  const late = await emergency();
  app.clock.set("2026-11-25T01:00:00Z");
  await assert.rejects(
    publish(late.id, { confirmedBy: deputy.staffId, confirmedAt: "2026-11-25T09:00" }),
    isError(403, "承認できる方"),
  );
  const ok = await publish(late.id, { confirmedBy: deputy.staffId, confirmedAt: "2026-11-24T15:00" });
  assert.equal(ok.status, "published");
  app.clock.set("2026-11-24T01:00:00Z");
});

test("④ a warning never needs a confirmation", async () => {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: {
      accounts: [
        { accountId: kouhou.id, text: "【緊急】大雨のため避難所を開設したらしいとの情報があります。" },
      ],
      category: "emergency",
    },
  });
  assert.ok(post && post.errorCount === 0 && post.warningCount > 0);
  const published = await publish(post.id, {});
  assert.equal(published.status, "published");
  assert.deepEqual(await listDecisions(app.ctx.db, post.id), [], "nothing to confirm");
});

async function repost(text: string, source: Record<string, unknown>, actor = org.actors.soumuStaff) {
  const [post] = await draftPost(app.ctx, {
    actor,
    input: {
      accounts: [{ accountId: actor === org.actors.soumuStaff ? soumu.id : kouhou.id, text }],
      category: "repost",
      ...source,
    },
  });
  assert.ok(post);
  return post;
}

test("① a division re-sends the main account's post as it is, with a short lead-in and its URL", async () => {
  const main = await seedPost(app.ctx, {
    accountId: kouhou.id,
    authorId: org.staff.kouhouStaff.id,
    text: "【お知らせ】年末年始（12月29日～1月3日）は、本庁舎の窓口をお休みします。",
    publishedUrl: "https://x.com/iwaki_city/status/1234",
  });
  const ok: Array<[string, string]> = [
    ["identical", main.text],
    [
      "white space and full-width forms differ",
      `  【お知らせ】年末年始（１２月２９日～１月３日）は、\n本庁舎の窓口をお休みします。 `,
    ],
    ["a lead-in", `市公式アカウントより ${main.text}`],
    [
      "a lead-in, quotation marks and the URL",
      `市公式アカウントより「${main.text}」 https://x.com/iwaki_city/status/1234`,
    ],
  ];
  for (const [what, text] of ok) {
    const post = await repost(text, { repostOf: main.id });
    const published = await publish(post.id, {}, org.actors.soumuStaff);
    assert.equal(published.status, "published", what);
  }
});

test("① anything but the content needs approval: a changed text, a long lead-in, a URL in it, words after it", async () => {
  const main = await seedPost(app.ctx, {
    accountId: kouhou.id,
    authorId: org.staff.kouhouStaff.id,
    text: "【お知らせ】市民プールは、12月1日から冬季休業に入ります。",
  });
  const refused: Array<[string, string, string]> = [
    [
      "a changed text",
      "【お知らせ】市民プールは、12月1日から冬季休業に入ります。来年もよろしく！",
      "URLのほかは書けません",
    ],
    ["a new text linked to it", "【お知らせ】市民まつりは雨天中止です。", "そのままの形で含まれていません"],
    ["a lead-in of 31 characters", `${"あ".repeat(31)}${main.text}`, "30文字まで"],
    ["a URL in the lead-in", `https://example.com/ より ${main.text}`, "前置きにURLは書けません"],
  ];
  for (const [what, text, message] of refused) {
    const post = await repost(text, { repostOf: main.id });
    await assert.rejects(publish(post.id, {}, org.actors.soumuStaff), isError(409, message), what);
    assert.equal((await findPost(app.ctx.db, post.id))?.status, "draft", what);
    const detail = await postDetail(app.ctx, { actor: org.actors.soumuStaff, id: post.id });
    assert.equal(detail.can.publishPostHoc, false, what);
    assert.ok(detail.resend?.problem, what);
    const submitted = await submitPost(app.ctx, {
      actor: org.actors.soumuStaff,
      id: post.id,
      input: { version: 1 },
    });
    assert.equal(submitted.post.status, "pending", `${what}: it may still ask for approval`);
  }
});

test("① a post marked erroneous is not re-sent; a source that does not exist is not disclosed", async () => {
  const main = await seedPost(app.ctx, { accountId: kouhou.id, authorId: org.staff.kouhouStaff.id });
  const post = await repost(main.text, { repostOf: main.id });
  await markErroneous(app.ctx, {
    actor: org.actors.kouhouStaff,
    postId: main.id,
    input: { note: "時刻の誤り" },
  });
  await assert.rejects(publish(post.id, {}, org.actors.soumuStaff), isError(422, "誤りがあるとされた投稿"));
  await assert.rejects(repost(main.text, { repostOf: main.id }), isError(422, "誤りがあるとされた投稿"));
});

test("① a page of the city: the quoted passage with a lead-in and the page's URL, kept for the approver", async () => {
  const text = `市ホームページより「${QUOTE}」 ${CITY_PAGE}`;
  const post = await repost(text, { repostSourceUrl: CITY_PAGE, repostQuote: QUOTE });
  assert.equal(post.repostSourceUrl, CITY_PAGE);
  assert.equal(post.repostQuote, QUOTE);
  const seq = await lastSeq();
  const published = await publish(post.id, {}, org.actors.soumuStaff);
  assert.equal(published.status, "published");
  const [entry] = await entriesAfter(app.ctx.db, seq, 10);
  assert.match(JSON.stringify(entry?.summary), /"verifiedBySystem":false/);
  assert.ok(JSON.stringify(entry?.summary).includes(QUOTE), "the quoted passage is on the record");

  const noUrl = await repost(`市ホームページより「${QUOTE}」`, {
    repostSourceUrl: CITY_PAGE,
    repostQuote: QUOTE,
  });
  await assert.rejects(publish(noUrl.id, {}, org.actors.soumuStaff), isError(409, "ページのURLを記載"));
  const other = await repost(`${QUOTE}と書いてあります ${CITY_PAGE}`, {
    repostSourceUrl: CITY_PAGE,
    repostQuote: QUOTE,
  });
  await assert.rejects(publish(other.id, {}, org.actors.soumuStaff), isError(409));
});

test("① only the city's own domains: not another municipality's *.lg.jp, not the state's, not other sites", async () => {
  for (const url of [
    "https://www.city.koriyama.lg.jp/soshiki/1.html",
    "https://www.mhlw.go.jp/stf/1.html",
    "https://example.com/iwaki.html",
    "ftp://www.city.iwaki.lg.jp/a.txt",
    "not a url",
  ]) {
    await assert.rejects(
      repost(`${QUOTE} ${url}`, { repostSourceUrl: url, repostQuote: QUOTE }),
      isError(422),
      url,
    );
  }
  await assert.rejects(
    repost(QUOTE, { repostSourceUrl: CITY_PAGE, repostQuote: "" }),
    isError(422, "引用する文"),
  );
  const main = await seedPost(app.ctx, { accountId: kouhou.id, authorId: org.staff.kouhouStaff.id });
  await assert.rejects(
    repost(QUOTE, { repostOf: main.id, repostSourceUrl: CITY_PAGE, repostQuote: QUOTE }),
    isError(422, "どちらか一方"),
  );
});
