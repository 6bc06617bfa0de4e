/**
 * Sign-in lockout under parallel attack: however many guesses arrive at once, at most
 * SNSGOV_LOGIN_MAX_FAILURES passwords (or TOTP codes) are checked per login ID in a window, the
 * right one is refused while the ID is locked and works once the lock has ended. The guarantee
 * rests on how PostgreSQL serialises concurrent writes, so it runs on a real server (the embedded
 * one, or TEST_DATABASE_URL's).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type TestApp, testApp } from "../../../test/support/context.ts";
import { givePassword, TEST_PASSWORD } from "../../../test/support/http.ts";
import { seedOrg, type TestOrg } from "../../../test/support/org.ts";
import { entriesAfter } from "../../db/repos/audit.ts";
import { updateCredentials } from "../../db/repos/auth.ts";
import { AppError } from "../../errors.ts";
import { completeTotp, login } from "./sessions.ts";
import { newTotpSecret, totpCodeAt } from "./totp.ts";

const PARALLEL = 50;
/** Each test signs in from its own address, so that one test's failures do not slow the other. */
const IP = { password: "192.0.2.10", totp: "192.0.2.11" };

/** How each of a batch of attempts ended: the AppError code, or "ok". */
async function outcomes(attempts: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(attempts);
  return settled.map((s) => {
    if (s.status === "fulfilled") return "ok";
    if (s.reason instanceof AppError) return s.reason.code;
    throw s.reason;
  });
}

const count = (list: string[], value: string) => list.filter((v) => v === value).length;

async function errorCode(attempt: Promise<unknown>): Promise<string> {
  const [result] = await outcomes([attempt]);
  return result ?? "none";
}

describe("lockout", () => {
  let app: TestApp;
  let org: TestOrg;

  before(async () => {
    app = await testApp();
    org = await seedOrg(app.ctx);
    await givePassword(app, org.staff.kouhouStaff.id);
    await givePassword(app, org.staff.auditor.id);
  });
  after(() => app.close());

  /** Audit entries since `seq` with one of `actions` about `staffId`. */
  async function checked(seq: number, staffId: number, actions: string[]): Promise<number> {
    const entries = await entriesAfter(app.ctx.db, seq, 10_000);
    return entries.filter((e) => actions.includes(e.action) && e.targetId === String(staffId)).length;
  }
  const lastSeq = async () => (await entriesAfter(app.ctx.db, 0, 100_000)).at(-1)?.seq ?? 0;

  test(`${PARALLEL} parallel wrong passwords: at most the limit is checked, and the lock holds`, async () => {
    const max = app.ctx.config.loginMaxFailures;
    const person = org.staff.kouhouStaff;
    const seq = await lastSeq();
    const guess = (password: string) =>
      login(app.ctx, { login: person.email, password, ip: IP.password, userAgent: "test" });
    const results = await outcomes(Array.from({ length: PARALLEL }, (_, i) => guess(`wrong guess ${i}`)));
    assert.equal(count(results, "ok"), 0);
    const verified = await checked(seq, person.id, ["auth.login_failed", "auth.locked"]);
    assert.equal(verified, max, `${verified} passwords were checked; the limit is ${max}`);
    assert.equal(count(results, "unauthenticated") + count(results, "too_many_requests"), PARALLEL);

    assert.equal(await errorCode(guess(TEST_PASSWORD)), "too_many_requests", "right password refused");
    const more = await outcomes([guess("late 1"), guess("late 2"), guess(TEST_PASSWORD)]);
    assert.deepEqual(more, ["too_many_requests", "too_many_requests", "too_many_requests"]);
    assert.equal(
      await checked(seq, person.id, ["auth.login_failed", "auth.locked"]),
      verified,
      "no password is checked while the ID is locked",
    );

    app.clock.advance((app.ctx.config.loginLockMinutes + 1) * 60_000);
    assert.equal(await errorCode(guess(TEST_PASSWORD)), "ok", "the right password works after the lock");
  });

  test(`${PARALLEL} parallel wrong TOTP codes: at most the limit is checked, and the lock holds`, async () => {
    const max = app.ctx.config.loginMaxFailures;
    const person = org.staff.auditor;
    const secret = newTotpSecret();
    const now = app.ctx.clock.now();
    await updateCredentials(app.ctx.db, person.id, { totpSecret: secret, totpEnabledAt: now }, now);
    const signIn = async () => {
      const first = await login(app.ctx, {
        login: person.email,
        password: TEST_PASSWORD,
        ip: IP.totp,
        userAgent: "t",
      });
      assert.equal(first.kind, "needs_totp");
      return first.session.rawId;
    };
    const pendingRawId = await signIn();
    const near = [-30_000, 0, 30_000].map((ms) => totpCodeAt(secret, new Date(now.getTime() + ms)));
    const wrong = Array.from({ length: 1000 }, (_, i) => String(i).padStart(6, "0")).filter(
      (c) => !near.includes(c),
    );
    const seq = await lastSeq();
    const code = (value: string, pending = pendingRawId) =>
      completeTotp(app.ctx, { pendingRawId: pending, code: value, ip: IP.totp, userAgent: "t" });
    const results = await outcomes(Array.from({ length: PARALLEL }, (_, i) => code(wrong[i] ?? "000000")));
    assert.equal(count(results, "ok"), 0);
    const verified = await checked(seq, person.id, ["auth.totp_failed"]);
    assert.equal(verified, max, `${verified} codes were checked; the limit is ${max}`);

    assert.equal(
      await errorCode(code(totpCodeAt(secret, app.ctx.clock.now()))),
      "too_many_requests",
      "the right code is refused while locked",
    );
    assert.equal(await checked(seq, person.id, ["auth.totp_failed"]), verified);

    app.clock.advance((app.ctx.config.loginLockMinutes + 1) * 60_000);
    const fresh = await signIn();
    assert.equal(await errorCode(code(totpCodeAt(secret, app.ctx.clock.now()), fresh)), "ok");
  });
});
