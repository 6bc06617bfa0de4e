/**
 * safeNext: only paths of this site survive, in a form that is always a valid Location header.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { safeNext } from "./safe-next.ts";

const ORIGIN = "https://snsgov.city.example.lg.jp";

test("paths of this site are kept", () => {
  assert.equal(safeNext("/"), "/");
  assert.equal(safeNext("/posts?x=1"), "/posts?x=1");
  assert.equal(safeNext("/posts/12#history"), "/posts/12#history");
  assert.equal(safeNext("/archive?q=%E6%A1%9C"), "/archive?q=%E6%A1%9C");
  assert.equal(safeNext("/archive?q=桜"), "/archive?q=%E6%A1%9C", "percent-encoded for the header");
});

test("anything else becomes the dashboard", () => {
  const hostile = [
    undefined,
    "",
    "posts",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example/x",
    "/\n/x",
    "/\r\nLocation: https://evil.example/",
    "/\u007f/x",
    "/\u0085/x",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0a/x",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    " /x",
    "/a/../b",
    "/./x",
    "/%2E%2E/x",
    "/%",
    "/posts?next=//evil.example",
  ];
  for (const value of hostile) assert.equal(safeNext(value), "/", JSON.stringify(value));
});

test("whatever the input, the result is a path that stays on the site and a valid header value", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string().map((s) => `/${s}`),
        fc.webPath(),
      ),
      (value) => {
        const next = safeNext(value);
        assert.ok(next.startsWith("/") && !next.startsWith("//"));
        assert.equal(new URL(next, ORIGIN).origin, ORIGIN);
        assert.doesNotThrow(() => new Headers({ location: next }));
        assert.equal(safeNext(next), next, "stable");
      },
    ),
    { numRuns: 2000 },
  );
});
