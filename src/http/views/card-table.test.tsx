import assert from "node:assert/strict";
import { test } from "node:test";
import { type CardColumn, cardTable, html } from "./card-table.ts";
import { labelTableCells } from "./table-cards.ts";

type Row = { id: number; name: string; note: string | null };

const rows: Row[] = [
  { id: 1, name: `<script>alert("x")</script>`, note: "O'Brien & 市" },
  { id: 2, name: "職員 2", note: null },
];

const columns: ReadonlyArray<CardColumn<Row>> = [
  { heading: "番号", className: "mono", cell: (r) => String(r.id) },
  {
    heading: "氏名",
    cell: (r) => html`<a href="/staff/${r.id}">${r.name}</a>${r.note ? html`<div>${r.note}</div>` : null}`,
  },
];

test("a card table is the HTML the JSX table gets after the labelling pass, values escaped", () => {
  const jsx = String(
    <table>
      <caption>{"一覧 <2件>"}</caption>
      <thead>
        <tr>
          <th scope="col">番号</th>
          <th scope="col">氏名</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td class="mono">{String(r.id)}</td>
            <td>
              <a href={`/staff/${r.id}`}>{r.name}</a>
              {r.note ? <div>{r.note}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>,
  );
  const fast = String(cardTable({ caption: "一覧 <2件>", columns, rows }));
  assert.equal(fast, labelTableCells(jsx));
  assert.ok(fast.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
  assert.ok(fast.includes("<div>O&#39;Brien &amp; 市</div>"));
  assert.equal(labelTableCells(fast), fast, "the labelling pass leaves it as it is");
});
