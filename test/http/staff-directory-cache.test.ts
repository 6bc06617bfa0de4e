/**
 * The staff list's rows and total are kept in memory per data version (app/staff-directory-cache.ts):
 * a change to what the rows show (a person, a department's, division's or position's name), made
 * through the application or straight in the database as another instance or psql would, shows
 * on the very next request (the search form's choice of departments too); what depends on the viewer (the buttons for managing staff) is never
 * taken from another viewer's page; requests running while changes commit never show an older
 * state than the last change committed before they started.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { keptPages } from "../../src/app/staff/directory-cache.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let admin: Browser;
let member: Browser;

before(async () => {
  app = await testApp({ start: "2026-11-24T01:00:00Z" });
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  http = createHttpApp(app.ctx);
  admin = await signIn(http, org.staff.admin.email);
  member = await signIn(http, org.staff.kouhouStaff.email);
});
after(() => app.close());

async function staffList(b: Browser, query = ""): Promise<string> {
  const res = await b.get(`/staff${query}`);
  assert.equal(res.status, 200);
  return res.text();
}

test("a page asked for again is answered from memory", async () => {
  const first = await staffList(member);
  assert.match(
    first,
    /^<!doctype html><html[\s\S]*<div class="table-wrap"><table data-cards="">[\s\S]*<\/table><\/div>[\s\S]*<\/html>$/,
  );
  assert.ok(!first.includes("snsgov:kept"), "the kept rows take the place of their mark");
  const before = keptPages(app.ctx.db).entries;
  assert.ok(before >= 1, "the page is kept");
  // With the version trigger off, a change goes unseen: the rows come from memory, not the table.
  await app.ctx.db.execute(sql`alter table staff disable trigger staff_directory_version`);
  try {
    await app.ctx.db.execute(sql`update staff set name = '見えない 名前' where id = ${org.staff.auditor.id}`);
    const again = await staffList(member);
    assert.ok(!again.includes("見えない 名前"));
    assert.ok(again.includes("監査 花子"));
    assert.equal(again, first);
  } finally {
    await app.ctx.db.execute(sql`update staff set name = '監査 花子' where id = ${org.staff.auditor.id}`);
    await app.ctx.db.execute(sql`alter table staff enable trigger staff_directory_version`);
  }
});

test("a person changed straight in the database shows on the next request", async () => {
  assert.ok((await staffList(member)).includes("監査 花子"));
  await app.ctx.db.execute(
    sql`update staff set name = '監査 花子（改姓）' where id = ${org.staff.auditor.id}`,
  );
  assert.ok((await staffList(member)).includes("監査 花子（改姓）"));
  await app.ctx.db.execute(sql`update staff set name = '監査 花子' where id = ${org.staff.auditor.id}`);
  assert.ok(!(await staffList(member)).includes("（改姓）"));
});

test("a person added or deactivated changes the rows and the total on the next request", async () => {
  const before = await staffList(member);
  const count = Number(/検索結果 (\d+)件/.exec(before)?.[1]);
  await app.ctx.db.execute(sql`insert into staff (employee_no, name, kana, email, department_id, position_id, active)
    values ('T9000', '追加 次郎', '', 't9000@city.example.lg.jp', ${org.departments.soumu.id}, ${org.positions.shuji.id}, true)`);
  const added = await staffList(member);
  assert.ok(added.includes("追加 次郎"));
  assert.ok(added.includes(`検索結果 ${count + 1}件`));
  await app.ctx.db.execute(sql`update staff set active = false where employee_no = 'T9000'`);
  const gone = await staffList(member);
  assert.ok(!gone.includes("追加 次郎"), "an inactive person leaves the list of those in post");
  assert.ok(gone.includes(`検索結果 ${count}件`));
  assert.ok((await staffList(member, "?status=inactive")).includes("追加 次郎"));
});

test("a unit's or post's new name shows in the rows on the next request", async () => {
  assert.ok((await staffList(member)).includes("広報広聴課"));
  await app.ctx.db.execute(
    sql`update divisions set name = '広報戦略課' where id = ${org.divisions.kouhou.id}`,
  );
  await app.ctx.db.execute(
    sql`update departments set name = '未来政策部' where id = ${org.departments.seisaku.id}`,
  );
  await app.ctx.db.execute(sql`update positions set name = '主任主事' where id = ${org.positions.shuji.id}`);
  try {
    const page = await staffList(member);
    assert.match(page, /<td data-label="所属">未来政策部 広報戦略課<\/td>/);
    assert.match(page, /<td data-label="職">主任主事<\/td>/);
    assert.match(page, /<option[^>]*>未来政策部<\/option>/, "and in the search form's choices");
  } finally {
    await app.ctx.db.execute(
      sql`update divisions set name = '広報広聴課' where id = ${org.divisions.kouhou.id}`,
    );
    await app.ctx.db.execute(
      sql`update departments set name = '総合政策部' where id = ${org.departments.seisaku.id}`,
    );
    await app.ctx.db.execute(sql`update positions set name = '主事' where id = ${org.positions.shuji.id}`);
  }
  assert.match(await staffList(member), /<td data-label="所属">総合政策部 広報広聴課<\/td>/);
});

test("the buttons for managing staff follow the viewer, not the kept page", async () => {
  const forAdmin = await staffList(admin);
  assert.ok(forAdmin.includes("職員を追加"));
  const forMember = await staffList(member);
  assert.ok(
    !forMember.includes("職員を追加"),
    "a member of staff is not offered the administrator's buttons",
  );
  assert.ok(!forMember.includes("CSVから取り込む"));
  assert.ok((await staffList(admin)).includes("職員を追加"));
});

test("the search form shows the status as asked, not the one of a kept page with the same rows", async () => {
  const inactive = await staffList(member, "?status=inactive");
  assert.match(inactive, /<option value="inactive" selected="">/);
  // Anything but all or active lists the inactive people too; the form keeps what was asked.
  const other = await staffList(member, "?status=retired");
  assert.doesNotMatch(other, /<option value="inactive" selected="">/);
});

test("requests during changes never show a state older than the last committed change", async () => {
  let running = true;
  // Other requests keep reading (and keeping) pages while the names change.
  const background = (async () => {
    while (running) await staffList(admin);
  })();
  try {
    for (let i = 1; i <= 15; i++) {
      const name = `並行 変更${i}`;
      await app.ctx.db.execute(sql`update staff set name = ${name} where id = ${org.staff.soumuStaff.id}`);
      const [a, b] = await Promise.all([staffList(member), staffList(admin)]);
      assert.ok(a.includes(name), `change ${i} shows on the next request`);
      assert.ok(b.includes(name), `change ${i} shows on the next request of another viewer`);
    }
  } finally {
    running = false;
    await background;
    await app.ctx.db.execute(sql`update staff set name = '総務 主事' where id = ${org.staff.soumuStaff.id}`);
  }
});

test("transactions changing staff lock the version last: no deadlock between them", async () => {
  const gate = () => {
    let open = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { opened, open: () => open() };
  };
  const firstChanged = gate();
  const secondLocked = gate();
  // The first changes a person, then waits for a lock the second holds while changing another
  // person: had the version row been locked with the first change, each would wait for the other.
  const first = app.ctx.db.transaction(async (tx) => {
    await tx.execute(sql`update staff set kana = 'かんさ はなこ' where id = ${org.staff.auditor.id}`);
    firstChanged.open();
    await secondLocked.opened;
    await tx.execute(sql`select pg_advisory_xact_lock(190019)`);
  });
  const second = app.ctx.db.transaction(async (tx) => {
    await firstChanged.opened;
    await tx.execute(sql`select pg_advisory_xact_lock(190019)`);
    secondLocked.open();
    await tx.execute(sql`update staff set kana = 'そうむ しゅじ' where id = ${org.staff.soumuStaff.id}`);
  });
  await Promise.all([first, second]);
  const page = await staffList(member);
  assert.ok(page.includes("かんさ はなこ") && page.includes("そうむ しゅじ"), "both changes show");
});

test("the pages kept stay within their bounds", async () => {
  for (let page = 1; page <= 300; page++) await staffList(member, `?page=${page}`);
  const kept = keptPages(app.ctx.db);
  assert.ok(kept.entries <= 256, `${kept.entries} pages kept`);
  assert.ok(kept.entries >= 200, "recent pages are kept");
});
