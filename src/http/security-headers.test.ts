/**
 * The security headers: HTTPS deployments get HSTS, plain-http localhost does not; embeddable
 * fragments are framed only by the configured origins and carry no X-Frame-Options.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { securityHeadersFor } from "./security-headers.ts";

const header = (list: ReadonlyArray<readonly [string, string]>, name: string) =>
  list.find(([n]) => n === name)?.[1];

test("HTTPS deployments are told to stay on HTTPS; plain-http localhost is not", () => {
  const secure = securityHeadersFor({ cookieSecure: true, embedOrigins: [] }, "/");
  assert.equal(header(secure, "Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
  const plain = securityHeadersFor({ cookieSecure: false, embedOrigins: [] }, "/");
  assert.equal(header(plain, "Strict-Transport-Security"), undefined);
  assert.match(header(plain, "Content-Security-Policy") ?? "", /frame-ancestors 'none'/);
  assert.equal(header(plain, "X-Frame-Options"), "SAMEORIGIN");
});

test("only /public/embed/ may be framed, and only by the configured origins", () => {
  const config = { cookieSecure: true, embedOrigins: ["https://www.city.example.lg.jp"] };
  const embed = securityHeadersFor(config, "/public/embed/accounts");
  assert.match(
    header(embed, "Content-Security-Policy") ?? "",
    /frame-ancestors https:\/\/www\.city\.example\.lg\.jp$/,
  );
  assert.equal(header(embed, "X-Frame-Options"), undefined);
  const list = securityHeadersFor(config, "/public/accounts");
  assert.match(header(list, "Content-Security-Policy") ?? "", /frame-ancestors 'none'/);
});
