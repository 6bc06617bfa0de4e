/**
 * Profiles (4.4.3, 4.4.4, 5.3.1): the bio the system writes fits every platform's limit and
 * passes the checker; a pasted bio is checked, its result stored on the account.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { loadChecker } from "../../checker/index.ts";
import { findAccount } from "../../db/repos/accounts.ts";
import { lastEntry } from "../../db/repos/audit.ts";
import { AppError } from "../../errors.ts";
import { platforms } from "../../guideline/pack.ts";
import { accountProfile, checkCurrentProfile, generateProfile, type ProfileAccount } from "./profile.ts";

let app: TestApp;
let org: TestOrg;
before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
});
after(() => app.close());

const homepage = "https://www.city.iwaki.lg.jp/www/contents/1001000000001/index.html";
const koho: ProfileAccount = {
  platform: "x",
  name: "いわき市広報広聴課",
  alias: "",
  divisionName: "広報広聴課",
  homepageUrl: homepage,
  isCharacter: false,
};
/** A short page address (the every-platform test; a long one may not fit TikTok's 80). */
const shortHomepage = "https://www.city.iwaki.lg.jp/www/sns/koho.html";
const limits: Record<string, number> = { x: 160, instagram: 150, threads: 150, bluesky: 256 };

test("the generated bio fits every platform's limit and the checker finds no error in it", async () => {
  const checker = await loadChecker();
  for (const platform of platforms) {
    for (const character of [false, true]) {
      const account = {
        ...koho,
        platform,
        homepageUrl: shortHomepage,
        isCharacter: character,
        alias: character ? "フラおじさん" : "",
      };
      const bio = generateProfile(checker, account, app.clock.now());
      const label = `${platform}${character ? " (character)" : ""}`;
      assert.ok(bio.fits, `${label}: ${bio.length}/${bio.limit}`);
      assert.deepEqual(bio.problems, [], label);
      assert.ok(bio.text.includes(shortHomepage), `${label}: the URL in full (4.4.4)`);
      assert.ok(bio.text.includes("運用方針"), `${label}: the media policy (4.4.3①)`);
      if (!character) assert.ok(bio.text.includes("広報広聴課"), `${label}: the division (5.3.1)`);
      else assert.ok(bio.text.includes("フラおじさん"), label);
      const errors = bio.findings.filter((f) => f.severity === "error");
      assert.deepEqual(errors, [], label);
      const expected = limits[platform];
      if (expected !== undefined) assert.equal(bio.limit, expected, `${label}: limit`);
    }
  }
});

test("the full wording is used when it fits; a tight limit gets the shorter wordings, and says so", async () => {
  const checker = await loadChecker();
  const x = generateProfile(checker, koho, app.clock.now());
  assert.equal(x.variant, "full");
  assert.equal(x.text, `いわき市広報広聴課の公式アカウントです。運用方針（メディアポリシー）：${homepage}`);
  assert.equal(x.variantNote, null);

  const tiktok = generateProfile(checker, { ...koho, platform: "tiktok" }, app.clock.now());
  assert.equal(tiktok.limit, 80);
  assert.notEqual(tiktok.variant, "full");
  assert.ok(tiktok.length <= 80);
  assert.equal(tiktok.text, `広報広聴課公式。運用方針：${homepage}`);
  assert.ok(tiktok.variantNote?.includes("「運用方針：」と短くし"));
  const threads = generateProfile(
    checker,
    { ...koho, platform: "threads", divisionName: "こども家庭支援課" },
    app.clock.now(),
  );
  assert.equal(threads.variant, "full");

  const note = generateProfile(checker, { ...koho, platform: "note" }, app.clock.now());
  assert.equal(note.limit, null, "a platform without a known bio limit shows none");
});

test("a URL too long for any wording is said plainly, never shortened", async () => {
  const checker = await loadChecker();
  const long = `https://www.city.iwaki.lg.jp/www/contents/${"a".repeat(120)}/index.html`;
  const bio = generateProfile(checker, { ...koho, homepageUrl: long }, app.clock.now());
  assert.equal(bio.fits, false);
  assert.equal(bio.variant, "compact");
  assert.ok(bio.text.includes(long));
  assert.ok(bio.problems.some((p) => p.includes("上限（160文字）") && p.includes("第4-4(4)")));

  const none = generateProfile(checker, { ...koho, homepageUrl: "" }, app.clock.now());
  assert.ok(none.problems.some((p) => p.includes("所管サイトのURL") && p.includes("登録されていません")));
});

test("a pasted bio with a shortener is a 4.4.4 error, stored on the account", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    homepageUrl: homepage,
  });
  const result = await checkCurrentProfile(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { text: "いわき市広報広聴課の公式アカウントです。運用方針：https://bit.ly/iwk-koho" },
  });
  assert.equal(result.hasErrors, true);
  const shortener = result.findings.find((f) => f.clause === "4.4.4");
  assert.equal(shortener?.severity, "error");
  assert.equal(result.text.slice(shortener?.start, shortener?.end), "https://bit.ly/iwk-koho");
  assert.equal(result.requirements.find((r) => r.clause === "4.4.4")?.status, "missing");
  const stored = await findAccount(app.ctx.db, account.id);
  assert.equal(
    stored?.currentBio,
    "いわき市広報広聴課の公式アカウントです。運用方針：https://bit.ly/iwk-koho",
  );
  assert.equal(stored?.bioHasErrors, true);
  assert.equal(stored?.bioCheckedAt?.toISOString(), app.clock.now().toISOString());
  assert.equal((await lastEntry(app.ctx.db))?.action, "account.bio_check");

  const fixed = await checkCurrentProfile(app.ctx, {
    actor: org.actors.kouhouStaff,
    accountId: account.id,
    input: { text: `いわき市広報広聴課の公式アカウントです。運用方針（メディアポリシー）：${homepage}` },
  });
  assert.equal(fixed.hasErrors, false);
  assert.ok(fixed.requirements.every((r) => r.status === "ok"));
  assert.equal((await findAccount(app.ctx.db, account.id))?.bioHasErrors, false);
});

test("a pasted bio without the URL is 4.4.3; without the division 5.3.1, except for a character", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    homepageUrl: homepage,
    platform: "instagram",
  });
  const noUrl = await checkCurrentProfile(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { text: "いわき市広報広聴課の公式アカウントです。運用方針はホームページをご覧ください。" },
  });
  assert.ok(noUrl.findings.some((f) => f.rule === "profile.no-homepage" && f.clause === "4.4.3"));
  assert.equal(noUrl.requirements.find((r) => r.label.startsWith("②"))?.status, "missing");

  const text = `公式アカウントです。運用方針：${homepage}`;
  const noDivision = await checkCurrentProfile(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: account.id,
    input: { text },
  });
  assert.ok(noDivision.findings.some((f) => f.clause === "5.3.1"));
  assert.notEqual(noDivision.requirements.find((r) => r.clause === "5.3.1")?.status, "ok");

  const character = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    homepageUrl: homepage,
  });
  await app.ctx.db.transaction(async (tx) => {
    const { updateAccount } = await import("../../db/repos/accounts.ts");
    await updateAccount(tx, character.id, { isCharacter: true }, app.clock.now());
  });
  const asCharacter = await checkCurrentProfile(app.ctx, {
    actor: org.actors.kouhouManager,
    accountId: character.id,
    input: { text },
  });
  assert.ok(!asCharacter.findings.some((f) => f.clause === "5.3.1"));
  assert.equal(asCharacter.requirements.find((r) => r.clause === "5.3.1")?.status, "not_applicable");
});

test("only the division and its manager check the profile; everyone who sees the account gets the text", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
    homepageUrl: homepage,
  });
  await assert.rejects(
    checkCurrentProfile(app.ctx, {
      actor: org.actors.soumuStaff,
      accountId: account.id,
      input: { text: "いわき市総務課です。" },
    }),
    (error: unknown) => error instanceof AppError && error.code === "forbidden",
  );
  assert.equal((await lastEntry(app.ctx.db))?.action, "auth.denied");
  await assert.rejects(
    checkCurrentProfile(app.ctx, {
      actor: org.actors.kouhouManager,
      accountId: account.id,
      input: { text: " " },
    }),
    (error: unknown) => error instanceof AppError && error.code === "validation",
  );
  const seen = await accountProfile(app.ctx, { actor: org.actors.soumuStaff, accountId: account.id });
  assert.equal(seen.canCheck, false);
  assert.ok(seen.generated.text.includes(homepage));
});
