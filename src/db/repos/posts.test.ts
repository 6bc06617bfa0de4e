import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seedAccount } from "../../../test/support/accounts.ts";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { seedPost } from "../../../test/support/posts.ts";
import { findImage, insertImage, listImages } from "./posts.ts";

let app: TestApp;
let org: TestOrg;
before(async () => {
  app = await testApp();
  org = await seedOrg(app.ctx);
});
after(() => app.close());

test("an image's bytes come back exactly as stored, without being listed with the post's images", async () => {
  const account = await seedAccount(app.ctx, {
    divisionId: org.divisions.kouhou.id,
    managerId: org.staff.kouhouManager.id,
  });
  const post = await seedPost(app.ctx, {
    accountId: account.id,
    authorId: org.staff.kouhouStaff.id,
    status: "draft",
  });
  const bytes = new Uint8Array(256).map((_, i) => i);
  const info = await insertImage(app.ctx.db, {
    postId: post.id,
    filename: "花火.jpg",
    contentType: "image/jpeg",
    bytes,
    size: bytes.length,
    alt: "夜空に上がる花火",
    rights: "own",
  });
  const listed = await listImages(app.ctx.db, post.id);
  assert.deepEqual(
    listed.map((i) => [i.filename, i.alt, i.size]),
    [["花火.jpg", "夜空に上がる花火", 256]],
  );
  assert.equal("bytes" in (listed[0] ?? {}), false);
  const stored = await findImage(app.ctx.db, info.id);
  assert.deepEqual([...(stored?.bytes ?? [])], [...bytes]);
});
