/**
 * `npm run bench:server`: requests/s and latency of the login page and of an authenticated staff
 * list (first page of 1,000 staff), served over loopback by the real HTTP stack, on the embedded
 * database and (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set) on PostgreSQL.
 *
 * Options (environment): BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10).
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import autocannon from "autocannon";
import { setPasswordDirectly } from "../src/app/auth.ts";
import { contextFor } from "../src/app/bootstrap.ts";
import { systemActor } from "../src/app/context.ts";
import { silentLogger } from "../src/app/logger.ts";
import { loadConfig } from "../src/config.ts";
import type { DatabaseHandle } from "../src/db/client.ts";
import * as orgRepo from "../src/db/repos/org.ts";
import * as staffRepo from "../src/db/repos/staff.ts";
import { createHttpApp } from "../src/http/app.tsx";
import { testDatabase } from "../test/support/db.ts";
import { measuresExternal, onEachServer } from "./servers.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PASSWORD = "benchmark passphrase for the admin";

async function seed(handle: DatabaseHandle): Promise<number> {
  const db = handle.db;
  const dept = await orgRepo.insertDepartment(db, { code: "bench", name: "総務部", kana: "" });
  const divisions = [];
  for (let i = 0; i < 20; i++) {
    divisions.push(
      await orgRepo.insertDivision(db, {
        departmentId: dept.id,
        code: `d${i}`,
        name: `第${i + 1}課`,
        kana: "",
      }),
    );
  }
  const position = await orgRepo.insertPosition(db, {
    code: "shuji",
    name: "主事",
    rank: 70,
    headOf: "none",
  });
  let adminId = 0;
  for (let i = 0; i < 1000; i++) {
    const division = divisions[i % divisions.length];
    const row = await staffRepo.insertStaff(db, {
      employeeNo: `B${String(i).padStart(5, "0")}`,
      name: `職員 ${i}`,
      kana: `しょくいん ${i}`,
      email: `b${i}@city.example.lg.jp`,
      departmentId: dept.id,
      divisionId: division?.id ?? null,
      positionId: position.id,
      active: true,
    });
    if (i === 0) adminId = row.id;
  }
  await staffRepo.insertAssignment(db, {
    staffId: adminId,
    role: "admin",
    scopeType: "global",
    scopeId: null,
    assignedBy: null,
  });
  return adminId;
}

type Figures = { label: string; rps: number; p50: number; p99: number; errors: number; non2xx: number };

function run(url: string, headers: Record<string, string>, label: string): Promise<Figures> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers }, (error, result) => {
      if (error) return reject(error);
      resolve({
        label,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors,
        non2xx: result.non2xx,
      });
    });
  });
}

async function measure(driver: "embedded" | "postgres"): Promise<Figures[]> {
  const handle = await testDatabase();
  try {
    const config = loadConfig({
      SNSGOV_DATA_DIR: "/tmp/snsgov-bench-unused",
      SNSGOV_COOKIE_SECURE: "false",
      SNSGOV_LOG_LEVEL: "error",
    });
    const ctx = contextFor(handle, config, { log: silentLogger });
    const adminId = await seed(handle);
    await setPasswordDirectly(ctx, { actor: systemActor("bench"), staffId: adminId, password: PASSWORD });
    const http = createHttpApp(ctx);
    const server = serve({ fetch: http.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const address: AddressInfo | string | null = server.address();
    const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
      body: new URLSearchParams({ login: "B00000", password: PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("snsgov_session="))
      ?.split(";")[0];
    if (!cookie) throw new Error(`benchmark sign-in failed: ${login.status}`);
    const check = await fetch(`${base}/staff`, { headers: { cookie } });
    if (!(await check.text()).includes("検索結果 1000件"))
      throw new Error("staff list did not show 1,000 staff");
    const results = [
      await run(`${base}/login`, {}, `${driver}: GET /login`),
      await run(`${base}/staff`, { cookie }, `${driver}: GET /staff (signed in, 1,000 staff)`),
    ];
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return results;
  } finally {
    await handle.close();
  }
}

const figures = (await onEachServer(measure)).flat();
process.stdout.write(
  `\nsnsgov server benchmark: ${connections} connections, ${seconds} s each, node ${process.version}\n`,
);
process.stdout.write("case\trequests/s\tp50 ms\tp99 ms\terrors\tnon-2xx\n");
for (const f of figures) {
  process.stdout.write(`${f.label}\t${f.rps.toFixed(0)}\t${f.p50}\t${f.p99}\t${f.errors}\t${f.non2xx}\n`);
}
if (!measuresExternal)
  process.stdout.write("(set BENCH_DATABASE_URL=postgres://… to measure PostgreSQL too)\n");
