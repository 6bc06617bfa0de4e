import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { phonePng } from "../../../test/support/images.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { findPost, listImages, listVersions, postsOfGroup } from "../../db/repos/posts.ts";
import { AppError } from "../../errors.ts";
import { approvePost } from "./decide.ts";
import { discardPost, draftPost, editPost, previewDraft } from "./draft.ts";
import { addImage, removeImage, sniffImageType } from "./images.ts";
import { submitPost } from "./submit.ts";

let app: TestApp;
let org: TestOrg;
let x: { id: number };
let insta: { id: number };
let soumu: { id: number };

before(async () => {
  app = await testApp({ start: "2026-11-24T00:00:00Z" });
  org = await seedOrg(app.ctx);
  const kouhou = {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    policy: true,
  };
  x = await seedAccount(app.ctx, { ...kouhou, platform: "x", name: "いわき市広報（X）" });
  insta = await seedAccount(app.ctx, { ...kouhou, platform: "instagram", name: "いわき市広報（Instagram）" });
  soumu = await seedAccount(app.ctx, {
    divisionId: org.divisions.soumuka.id,
    managerId: org.staff.soumuManager.id,
    operatorIds: [org.staff.soumuStaff.id],
    policy: true,
  });
});
after(() => app.close());

const isError = (status: number, text?: string) => (e: unknown) =>
  e instanceof AppError && e.status === status && (text === undefined || e.message.includes(text));

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;

const OK_TEXT = "【お知らせ】市役所本庁舎の窓口は、本日17時15分まで開いています。";
const PHONE_TEXT = "本日の市民講座は、090-1234-5678 の田中様宅で開催します。";

test("an operator drafts for two accounts at once: one group, the same text for both unless one is written separately", async () => {
  const seq = await lastSeq();
  const posts = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: {
      accounts: [{ accountId: x.id, text: PHONE_TEXT }, { accountId: insta.id }],
      category: "normal",
    },
  });
  assert.equal(posts.length, 2);
  const [first, second] = posts;
  assert.ok(first && second);
  assert.equal(first.groupId, first.id, "the group is named after its first post");
  assert.equal(second.groupId, first.id);
  assert.equal(second.text, PHONE_TEXT, "an account without its own text gets the same text");
  assert.equal(first.status, "draft");
  assert.equal(first.errorCount, 2, "the phone number and the name are errors (5.2.2.1)");
  const group = await postsOfGroup(app.ctx.db, first.id);
  assert.deepEqual(
    group.map((p) => p.accountName),
    ["いわき市広報（X）", "いわき市広報（Instagram）"],
  );
  const versions = await listVersions(app.ctx.db, first.id);
  assert.equal(versions.length, 1);
  assert.equal(versions[0]?.text, PHONE_TEXT);

  const entries = (await entriesAfter(app.ctx.db, seq, 100)).filter((e) => e.action === "post.draft");
  assert.equal(entries.length, 1, "one audit entry for the whole group");
  const summary = JSON.stringify(entries[0]?.summary);
  assert.match(summary, /"rule":"pii.mobile-phone","clause":"5.2.2.1","severity":"error"/);
  assert.match(summary, /田中様宅/, "who wrote what");

  const separate = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: {
      accounts: [
        { accountId: x.id, text: OK_TEXT },
        { accountId: insta.id, text: "【お知らせ】本庁舎の窓口は17時15分までです。" },
      ],
    },
  });
  assert.deepEqual(
    separate.map((p) => p.text),
    [OK_TEXT, "【お知らせ】本庁舎の窓口は17時15分までです。"],
  );
});

test("only the account's operators draft for it; a manager who is not an operator and other divisions are refused and recorded", async () => {
  for (const actor of [org.actors.soumuStaff, org.actors.kouhouManager, org.actors.policyDirector]) {
    const seq = await lastSeq();
    await assert.rejects(
      draftPost(app.ctx, { actor, input: { accounts: [{ accountId: x.id, text: OK_TEXT }] } }),
      isError(403, "運用に携わる職員"),
    );
    const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
    assert.equal(denied.length, 1);
  }
  await assert.rejects(
    draftPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      input: {
        accounts: [
          { accountId: x.id, text: OK_TEXT },
          { accountId: soumu.id, text: OK_TEXT },
        ],
      },
    }),
    isError(403),
    "one account the operator does not run refuses the whole group",
  );
  const pending = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    operatorIds: [org.staff.kouhouStaff.id],
    status: "approved",
  });
  await assert.rejects(
    draftPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      input: { accounts: [{ accountId: pending.id, text: OK_TEXT }] },
    }),
    isError(409, "運用中ではない"),
  );
});

test("the form's checks: an empty text, no account, a schedule in the past, an embargo (5.2.2.2) unless scheduled after it", async () => {
  await assert.rejects(
    draftPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      input: { accounts: [{ accountId: x.id, text: "  " }] },
    }),
    (e: unknown) =>
      e instanceof AppError && e.status === 422 && e.fields.some((f) => f.field === `text_${x.id}`),
  );
  await assert.rejects(
    draftPost(app.ctx, { actor: org.actors.kouhouStaff, input: { accounts: [] } }),
    isError(422, "アカウントを1つ以上"),
  );
  await assert.rejects(
    draftPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      input: { accounts: [{ accountId: x.id, text: OK_TEXT }], scheduledAt: "2026-11-24T08:00" },
    }),
    isError(422, "現在より後"),
  );
  const [embargoed] = await previewDraft(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: x.id, text: OK_TEXT }], embargoUntil: "2026-11-25T10:00" },
  });
  assert.deepEqual(
    embargoed?.result.findings.map((f) => [f.rule, f.clause, f.severity]),
    [["unpublished.embargo", "5.2.2.2", "error"]],
  );
  const [scheduled] = await previewDraft(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: {
      accounts: [{ accountId: x.id, text: OK_TEXT }],
      embargoUntil: "2026-11-25T10:00",
      scheduledAt: "2026-11-25T10:00",
    },
  });
  assert.deepEqual(
    scheduled?.result.findings,
    [],
    "scheduled at the embargo time, the post is not held back",
  );
  assert.equal(scheduled?.result.length?.limit, 280, "the platform's own length rule (X)");
});

test("① a repost names a published post of any of the city's accounts (or a page of the city)", async () => {
  const earlier = await seedPost(app.ctx, { accountId: x.id, authorId: org.staff.kouhouStaff.id });
  const other = await seedPost(app.ctx, { accountId: soumu.id, authorId: org.staff.soumuStaff.id });
  const draft = await seedPost(app.ctx, {
    accountId: soumu.id,
    authorId: org.staff.soumuStaff.id,
    status: "draft",
  });
  const repost = (repostOf: number | undefined) =>
    draftPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      input: { accounts: [{ accountId: x.id, text: OK_TEXT }], category: "repost", repostOf },
    });
  await assert.rejects(repost(undefined), isError(422, "既に発信した投稿を選ぶか"));
  await assert.rejects(repost(draft.id), isError(422, "発信済みの投稿だけ"));
  await assert.rejects(repost(1_000_000), isError(422, "発信済みの投稿だけ"), "as a draft: not disclosed");
  const [made] = await repost(earlier.id);
  assert.equal(made?.repostOf, earlier.id);
  assert.equal(made?.category, "repost");
  const [fromOther] = await repost(other.id);
  assert.equal(fromOther?.repostOf, other.id, "another division's account is the city's too");
});

test("an edit is a new version, checked again; editing an approved post sends it back for approval (5.1.4)", async () => {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: x.id, text: PHONE_TEXT }] },
  });
  assert.ok(post);
  const fixed = await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 1, text: OK_TEXT },
  });
  assert.equal(fixed.post.version, 2);
  assert.equal(fixed.post.errorCount, 0, "the errors went with the phone number");
  await assert.rejects(
    editPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      id: post.id,
      input: { version: 1, text: "古い版からの編集" },
    }),
    isError(409, "第1版 → 第2版"),
  );
  await assert.rejects(
    editPost(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: 2, text: OK_TEXT } }),
    isError(422, "変更された箇所がありません"),
  );
  await submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, input: { version: 2 } });
  await approvePost(app.ctx, { actor: org.actors.kouhouManager, id: post.id, input: { version: 2 } });
  assert.equal((await findPost(app.ctx.db, post.id))?.status, "approved");
  await assert.rejects(
    editPost(app.ctx, {
      actor: org.actors.kouhouStaff,
      id: post.id,
      input: { version: 2, expectedStatus: "pending", text: `${OK_TEXT}（更新）` },
    }),
    isError(409, "承認済"),
    "an edit begun before the approval is refused, not silently sent back",
  );
  const again = await editPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    input: { version: 2, expectedStatus: "approved", text: `${OK_TEXT}（更新）` },
  });
  assert.equal(again.reapproval, true);
  assert.equal(again.post.status, "pending");
  assert.equal(again.post.approvedVersion, null);
  assert.equal(again.post.version, 3);
  assert.deepEqual(
    (await listVersions(app.ctx.db, post.id)).map((v) => v.version),
    [1, 2, 3],
  );
});

test("a draft can be discarded until it is submitted", async () => {
  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: x.id, text: OK_TEXT }] },
  });
  assert.ok(post);
  await assert.rejects(discardPost(app.ctx, { actor: org.actors.soumuStaff, id: post.id }), isError(404));
  await discardPost(app.ctx, { actor: org.actors.kouhouStaff, id: post.id });
  assert.equal(await findPost(app.ctx.db, post.id), undefined);
  const [kept] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: x.id, text: OK_TEXT }] },
  });
  assert.ok(kept);
  await submitPost(app.ctx, { actor: org.actors.kouhouStaff, id: kept.id, input: { version: 1 } });
  await assert.rejects(
    discardPost(app.ctx, { actor: org.actors.kouhouStaff, id: kept.id }),
    isError(409, "破棄できません"),
  );
});

const PNG = phonePng().plain;

test("images are told by their bytes, need alt text and a rights confirmation, at most four, and change the post", async () => {
  assert.equal(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), "image/jpeg");
  assert.equal(sniffImageType(new TextEncoder().encode("GIF89a....")), "image/gif");
  assert.equal(sniffImageType(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ")), "image/webp");
  assert.equal(sniffImageType(new TextEncoder().encode("<svg xmlns=")), null);

  const [post] = await draftPost(app.ctx, {
    actor: org.actors.kouhouStaff,
    input: { accounts: [{ accountId: x.id, text: OK_TEXT }] },
  });
  assert.ok(post);
  const add = (version: number, input: Record<string, string>, bytes = PNG, name = "photo.png") =>
    addImage(app.ctx, { actor: org.actors.kouhouStaff, id: post.id, version, file: { name, bytes }, input });
  await assert.rejects(add(1, { alt: "", rights: "own" }), isError(422, "代替テキスト"));
  await assert.rejects(add(1, { alt: "花火", rights: "consent" }), isError(422, "同意"));
  await assert.rejects(
    add(1, { alt: "花火", rights: "own" }, new TextEncoder().encode("<svg>"), "x.png"),
    isError(422, "JPEG・PNG・GIF・WebP"),
  );
  await assert.rejects(
    add(1, { alt: "花火", rights: "own" }, new Uint8Array(5 * 1024 * 1024 + 1).fill(0xff)),
    isError(422, "5MB"),
  );
  const first = await add(1, { alt: "夜空に上がる花火", rights: "own" }, PNG, "../../etc/花火.png");
  assert.equal(first.image.filename, "花火.png", "no path is kept");
  assert.equal(first.image.contentType, "image/png");
  assert.equal(first.post.version, 2, "an image is a change: a new version");
  await add(2, { alt: "会場の様子", rights: "consent", rightsNote: "写っている方から掲載の同意を得ました" });
  await add(3, { alt: "ポスター", rights: "licensed", rightsNote: "作者から利用許諾" });
  await add(4, { alt: "地図", rights: "own" });
  await assert.rejects(add(5, { alt: "5枚目", rights: "own" }), isError(409, "4枚まで"));
  const images = await listImages(app.ctx.db, post.id);
  assert.equal(images.length, 4);
  const removed = await removeImage(app.ctx, {
    actor: org.actors.kouhouStaff,
    id: post.id,
    imageId: images[0]?.id ?? 0,
    version: 5,
  });
  assert.equal(removed.version, 6);
  assert.equal((await listImages(app.ctx.db, post.id)).length, 3);
  const versions = await listVersions(app.ctx.db, post.id);
  assert.equal(
    JSON.stringify(versions.at(-2)?.images).includes("夜空に上がる花火"),
    true,
    "earlier versions list it",
  );
});
