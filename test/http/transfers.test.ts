/**
 * Transfers take rights away on the effective date (4.1.3, 4.3.2), role by role over the API and
 * the pages: the administrator records the transfer; the moved 係長 is no longer an operator of
 * the old division's account and is refused posting there (403 citing 第3, recorded); the account
 * manager gets the confirmation and password-rotation tasks, and taking a holder off the list by
 * hand opens a rotation task too.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiToken } from "../../src/app/auth/api-tokens.ts";
import type { StaffActor } from "../../src/app/context.ts";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { listTasks } from "../../src/db/repos/tasks.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { seedKouhouAccount } from "../support/accounts.ts";
import { field, json } from "../support/api.ts";
import { type TestApp, testApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import { seedKouhouKakarichou, seedOrg, type TestOrg } from "../support/org.ts";

let app: TestApp;
let org: TestOrg;
let http: ReturnType<typeof createHttpApp>;
let kakarichou: StaffActor;
let account: { id: number };
const tokens = new Map<string, string>();
let manager: Browser;

before(async () => {
  // Tuesday 2026-03-31, 10:00 in Tokyo.
  app = await testApp({ start: "2026-03-31T01:00:00Z" });
  org = await seedOrg(app.ctx);
  http = createHttpApp(app.ctx);
  kakarichou = await seedKouhouKakarichou(app.ctx, org);
  account = await seedKouhouAccount(app.ctx, org, {
    operatorIds: [org.staff.kouhouStaff.id, kakarichou.staffId],
    holderIds: [kakarichou.staffId, org.staff.kouhouManager.id],
  });
  for (const [who, actor] of [
    ["admin", org.actors.admin],
    ["kakarichou", kakarichou],
    ["kouhouManager", org.actors.kouhouManager],
    ["kouhouStaff", org.actors.kouhouStaff],
  ] as const) {
    tokens.set(who, (await createApiToken(app.ctx, { actor, input: { name: "t" } })).token);
  }
  await givePassword(app, org.staff.kouhouManager.id);
  manager = await signIn(http, org.staff.kouhouManager.employeeNo);
});
after(() => app.close());

function api(who: string, method: string, path: string, body?: unknown) {
  return http.request(`/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens.get(who)}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 1_000_000)).at(-1)?.seq ?? 0;
const draft = (who: string) =>
  api(who, "POST", "/posts", {
    accounts: [{ accountId: account.id, text: "【お知らせ】4月の窓口のご案内です。" }],
  });

test("before the transfer the 係長 posts for 広報広聴課's account", async () => {
  assert.equal((await draft("kakarichou")).status, 201);
});

test("a 発令日 with a mistyped year is refused by the API with the field named, and nothing is recorded", async () => {
  const seq = await lastSeq();
  const res = await api("admin", "POST", "/transfers", {
    staffId: kakarichou.staffId,
    effectiveDate: "2062-03-31",
    toDepartmentId: org.departments.soumu.id,
    toDivisionId: org.divisions.soumuka.id,
    toPositionId: org.positions.kakarichou.id,
  });
  assert.equal(res.status, 422);
  const body = await res.text();
  assert.match(body, /発令日が1年以上先になっています/);
  assert.match(body, /effectiveDate/);
  const recorded = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "transfer.create");
  assert.equal(recorded.length, 0);
});

test("the administrator records the transfer; on the day the 係長 is off the lists and refused posting", async () => {
  const res = await api("admin", "POST", "/transfers", {
    staffId: kakarichou.staffId,
    effectiveDate: "2026-03-31",
    toDepartmentId: org.departments.soumu.id,
    toDivisionId: org.divisions.soumuka.id,
    toPositionId: org.positions.kakarichou.id,
  });
  assert.equal(res.status, 201, await res.clone().text());

  const credentials = await json(await api("kouhouManager", "GET", `/accounts/${account.id}/credentials`));
  const listed = JSON.stringify([
    field(credentials, "item", "operators"),
    field(credentials, "item", "holders"),
  ]);
  assert.match(listed, /広報 主事/);
  assert.doesNotMatch(listed, /広報 係長/, "neither operator nor holder any more");

  const seq = await lastSeq();
  const refused = await draft("kakarichou");
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /第3/);
  const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
  assert.equal(denied.length, 1);
  assert.equal(denied[0]?.actorId, kakarichou.staffId);
  assert.equal((await draft("kouhouStaff")).status, 201, "the operators who stay still post");
});

test("the account manager gets the confirmation and the rotation task, due in business days", async () => {
  const tasks = await json(await api("kouhouManager", "GET", "/tasks"));
  const mine = field(tasks, "mine");
  assert.ok(Array.isArray(mine));
  const kinds = mine.map((t: unknown) => field(t, "kind"));
  assert.ok(kinds.includes("manager_change_confirm"), JSON.stringify(kinds));
  assert.ok(kinds.includes("password_rotation"));
  const rotation = mine.find((t: unknown) => field(t, "kind") === "password_rotation");
  assert.equal(field(rotation, "dueDate"), "2026-04-03", "3 business days after Tuesday 31 March");

  const board = await manager.text("/tasks");
  assert.match(board, /人事異動に伴う運用に携わる職員・ID管理者の確認/);
  const confirm = await listTasks(app.ctx.db, {
    accountId: account.id,
    kinds: ["manager_change_confirm"],
    status: "open",
  });
  const detail = await manager.text(`/tasks/${confirm[0]?.id}`);
  assert.match(detail, /広報 係長さんの人事異動/);
});

test("the manager taking a holder off by hand opens a rotation task (人事異動等, 4.3.2); others may not", async () => {
  const path = `/accounts/${account.id}/credentials/holders/${org.staff.kouhouManager.id}`;
  const seq = await lastSeq();
  assert.equal((await api("kouhouStaff", "DELETE", path)).status, 403);
  const denied = (await entriesAfter(app.ctx.db, seq, 10)).filter((e) => e.action === "auth.denied");
  assert.equal(denied.length, 1);
  const before = await listTasks(app.ctx.db, {
    accountId: account.id,
    kinds: ["password_rotation"],
    status: "open",
  });
  assert.equal((await api("kouhouManager", "DELETE", path)).status, 200);
  const afterwards = await listTasks(app.ctx.db, {
    accountId: account.id,
    kinds: ["password_rotation"],
    status: "open",
  });
  assert.equal(afterwards.length, before.length + 1);
  assert.match(afterwards.at(-1)?.title ?? "", /広報 課長さん/);
});
