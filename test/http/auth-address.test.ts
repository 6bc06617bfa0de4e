/**
 * Sign-in protection per network address: many failures from one address slow that address down
 * but never keep out a person who types their own password there (behind a reverse proxy or an
 * office NAT everyone shares one address); behind a trusted proxy X-Forwarded-For tells clients
 * apart, and from anyone else it is ignored.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { entriesAfter } from "../../src/db/repos/audit.ts";
import { ADDRESS_MAX_WAIT_MS, ADDRESS_SLOWDOWN_AFTER } from "../../src/domain/sign-in-throttle.ts";
import { createHttpApp } from "../../src/http/app.tsx";
import { type TestApp, testApp } from "../support/context.ts";
import { givePassword, TEST_PASSWORD } from "../support/http.ts";
import { seedOrg, type TestOrg } from "../support/org.ts";

const ORIGIN = "http://localhost:3000";
const PROXY = "10.0.0.1";

let app: TestApp;
let org: TestOrg;
/** Trusts the proxy at 10.0.0.1 (SNSGOV_TRUSTED_PROXIES). */
let http: ReturnType<typeof createHttpApp>;
/** The same application with no trusted proxies (the default). */
let direct: ReturnType<typeof createHttpApp>;

before(async () => {
  app = await testApp({ env: { SNSGOV_TRUSTED_PROXIES: `${PROXY}, fd00::/8` } });
  org = await seedOrg(app.ctx);
  for (const person of Object.values(org.staff)) await givePassword(app, person.id);
  http = createHttpApp(app.ctx);
  direct = createHttpApp({ ...app.ctx, config: { ...app.ctx.config, trustedProxies: [] } });
});
after(() => app.close());

/** Submits the login form over a connection from `peer`, with an optional X-Forwarded-For. */
async function signInFrom(
  peer: string,
  form: { login: string; password: string },
  options: { forwardedFor?: string; server?: ReturnType<typeof createHttpApp> } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    origin: ORIGIN,
    "content-type": "application/x-www-form-urlencoded",
  };
  if (options.forwardedFor) headers["x-forwarded-for"] = options.forwardedFor;
  const socket = {
    remoteAddress: peer,
    remotePort: 50000,
    remoteFamily: peer.includes(":") ? "IPv6" : "IPv4",
  };
  return await (options.server ?? http).request(
    "/login",
    { method: "POST", body: new URLSearchParams(form), headers },
    { incoming: { socket } },
  );
}

const wrong = () => ({ login: `nobody-${randomUUID()}@example.jp`, password: "a wrong password" });
const right = (login: string) => ({ login, password: TEST_PASSWORD });

/** The address recorded in the newest audit entry. */
async function recordedAddress(): Promise<unknown> {
  const entries = await entriesAfter(app.ctx.db, 0, 100_000);
  const summary = entries.at(-1)?.summary;
  return typeof summary === "object" && summary !== null && !Array.isArray(summary) ? summary.ip : undefined;
}

test("50 failed sign-ins with random IDs from one address slow it down but do not keep a real person there out", async () => {
  const address = "203.0.113.50";
  app.clock.slept.length = 0;
  for (let i = 0; i < 50; i++) {
    const res = await signInFrom(address, wrong());
    assert.equal(res.status, 422, `attempt ${i + 1}`);
  }
  const waits = [...app.clock.slept];
  assert.equal(waits.length, 50 - ADDRESS_SLOWDOWN_AFTER, "every attempt past the threshold waited first");
  assert.ok(
    waits.every((ms, i) => ms > 0 && ms <= ADDRESS_MAX_WAIT_MS && ms >= (waits[i - 1] ?? 0)),
    `growing, capped waits: ${waits.join(", ")}`,
  );

  const res = await signInFrom(address, right(org.staff.kouhouStaff.email));
  assert.equal(res.status, 303, "the right password from the same address signs in");
  assert.equal(res.headers.get("location"), "/");
  assert.equal(app.clock.slept.length, waits.length + 1, "after the wait");
  assert.equal(await recordedAddress(), address);
});

test("behind a trusted proxy X-Forwarded-For tells clients apart; from anyone else it is ignored", async () => {
  app.clock.slept.length = 0;
  for (let i = 0; i < ADDRESS_SLOWDOWN_AFTER + 3; i++) {
    const res = await signInFrom(PROXY, wrong(), { forwardedFor: "198.51.100.66, 198.51.100.7" });
    assert.equal(res.status, 422);
  }
  assert.equal(
    await recordedAddress(),
    "198.51.100.7",
    "the hop the proxy saw, not the one the client wrote",
  );
  assert.equal(app.clock.slept.length, 3, "that client is slowed down");

  const other = await signInFrom(PROXY, right(org.staff.soumuStaff.email), { forwardedFor: "198.51.100.8" });
  assert.equal(other.status, 303);
  assert.equal(app.clock.slept.length, 3, "another client behind the same proxy is not");
  assert.equal(await recordedAddress(), "198.51.100.8");

  const spoofed = await signInFrom("203.0.113.9", right(org.staff.desk.email), {
    forwardedFor: "198.51.100.8",
  });
  assert.equal(spoofed.status, 303);
  assert.equal(await recordedAddress(), "203.0.113.9", "an untrusted peer's X-Forwarded-For is ignored");

  const hiding = await signInFrom("203.0.113.50", wrong(), { forwardedFor: "198.51.100.99" });
  assert.equal(hiding.status, 422);
  assert.equal(app.clock.slept.length, 4, "a slowed-down address cannot escape by writing X-Forwarded-For");
  assert.equal(await recordedAddress(), "203.0.113.50");

  const untrusted = await signInFrom(PROXY, right(org.staff.admin.email), {
    forwardedFor: "198.51.100.8",
    server: direct,
  });
  assert.equal(untrusted.status, 303);
  assert.equal(await recordedAddress(), PROXY, "with no trusted proxies configured the header is ignored");
});
