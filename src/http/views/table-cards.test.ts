import assert from "node:assert/strict";
import { test } from "node:test";
import { labelTableCells } from "./table-cards.ts";

test("each body cell is labelled with its column's heading, the table marked for cards", () => {
  const html =
    '<table class="x"><caption>一覧</caption><thead><tr><th scope="col">サービス名</th><th scope="col"><span class="visually-hidden">アカウント</span>名</th><th>URL</th></tr></thead>' +
    '<tbody><tr><td>X</td><th scope="row"><a href="/a">市</a></th><td class="url">https://x.com/a</td></tr>' +
    "<tr><td>YouTube</td><th>観光</th><td></td></tr></tbody></table>";
  const out = labelTableCells(html);
  assert.ok(out.startsWith('<table data-cards="" class="x">'));
  assert.ok(out.includes('<td data-label="サービス名">X</td>'));
  assert.ok(out.includes('<th data-label="アカウント 名" scope="row">'));
  assert.ok(out.includes('<td data-label="URL" class="url">https://x.com/a</td>'));
  assert.ok(out.includes('<td data-label="サービス名">YouTube</td><th data-label="アカウント 名">観光</th>'));
  assert.equal((out.match(/data-label=/g) ?? []).length, 6, "the header cells themselves get no label");
});

test("tables without a header row, marked off, or holding another table are left alone", () => {
  const plain = "<table><tbody><tr><th>項目</th><td>値</td></tr></tbody></table>";
  assert.equal(labelTableCells(plain), plain);
  const off =
    '<table data-cards="off"><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>';
  assert.equal(labelTableCells(off), off);
  const nested =
    "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td><table><tr><td>x</td></tr></table></td><td>2</td></tr></tbody></table>";
  assert.ok(!labelTableCells(nested).includes("data-label"));
});

test("a heading with quotes or markup becomes a safe attribute", () => {
  const html =
    '<table><thead><tr><th>「状態」 &amp; "メモ"</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>';
  assert.ok(labelTableCells(html).includes('<td data-label="「状態」 &amp; &quot;メモ&quot;">1</td>'));
});

test("every table of a page is labelled from its own headings, and the rest of the page is kept", () => {
  const page =
    "<p>前</p><table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>" +
    "<p>間</p><table><thead><tr><th>C</th><th>D</th></tr></thead><tbody><tr><td>3</td><td>4</td></tr>" +
    "<tr><td>5</td></tr></tbody></table><p>後</p>";
  assert.equal(
    labelTableCells(page),
    '<p>前</p><table data-cards=""><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td data-label="A">1</td><td data-label="B">2</td></tr></tbody></table>' +
      '<p>間</p><table data-cards=""><thead><tr><th>C</th><th>D</th></tr></thead><tbody><tr><td data-label="C">3</td><td data-label="D">4</td></tr>' +
      '<tr><td data-label="C">5</td></tr></tbody></table><p>後</p>',
  );
});
