import assert from "node:assert/strict";
import { test } from "node:test";
import { splitTokens, Tokens, Url, urlSegments } from "./tokens.tsx";

test("phone numbers, handles and URLs are found in running Japanese text and nothing is lost", () => {
  const text =
    "詳しくは広報広聴課（0246-22-1111）へ。https://www.city.iwaki.lg.jp/www/index.html?id=1&x=2 @iwaki_city まで";
  const tokens = splitTokens(text);
  assert.equal(tokens.map((t) => t.text).join(""), text);
  assert.deepEqual(
    tokens.filter((t) => t.kind !== "text"),
    [
      { kind: "keep", text: "0246-22-1111" },
      { kind: "url", text: "https://www.city.iwaki.lg.jp/www/index.html?id=1&x=2" },
      { kind: "keep", text: "@iwaki_city" },
    ],
  );
});

test("a URL breaks only after / and before . ? & = #", () => {
  assert.deepEqual(urlSegments("https://www.city.iwaki.lg.jp/a/b.html?id=1&x=2"), [
    "https://www",
    ".city",
    ".iwaki",
    ".lg",
    ".jp/",
    "a/",
    "b",
    ".html",
    "?id",
    "=1",
    "&x",
    "=2",
  ]);
  assert.deepEqual(urlSegments("https://x.com/iwaki_city"), ["https://x", ".com/", "iwaki_city"]);
});

test("the rendered text keeps numbers whole and gives URLs their break points", () => {
  const html = String(<Tokens text="電話 0246-22-1111 https://x.com/a" />);
  assert.equal(
    html,
    '電話 <span class="nowrap">0246-22-1111</span> <span class="url">https://x<wbr/>.com/<wbr/>a</span>',
  );
  assert.equal(String(<Url value="https://a.jp/" />), '<span class="url">https://a<wbr/>.jp/</span>');
});
