/**
 * A long list's table written straight to HTML, for the pages asked for most (the staff
 * directory): its rows are escaped strings instead of JSX elements, and each body cell carries its
 * column's heading as `data-label` itself, with `data-cards` on the table, so the page's
 * table-cards pass (table-cards.ts) leaves it as it is. The result is the same HTML as the JSX
 * table after that pass, for about a quarter of the CPU (50 rows of the staff list: about 0.25 ms
 * of JSX and 0.1 ms of labelling per request).
 *
 * Every value goes through `escapeHtml` (hono/jsx's escaping: `& < > " '`); a cell returns text
 * (escaped here) or `Html`, which only `html` and `rendered` make, so unescaped text cannot reach
 * the page by mistake.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { escapeToBuffer } from "hono/utils/html";

const made: unique symbol = Symbol("html");

/** HTML made here only (`html`, `rendered`): escaped values in fixed markup. */
export type Html = { readonly [made]: true; readonly html: string };

const markup = (html: string): Html => ({ [made]: true, html });

/** Fixed JSX (a badge) rendered once, to put in cells. */
export function rendered(node: HtmlEscapedString | Promise<HtmlEscapedString>): Html {
  if (node instanceof Promise) throw new Error("asynchronous JSX cannot be rendered in advance");
  return markup(String(node));
}

/** Text escaped for HTML content and attribute values, as hono/jsx escapes it. */
export function escapeHtml(value: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(value, buffer);
  return buffer[0];
}

/**
 * Markup with values: strings are escaped, numbers written, `Html` kept, null/undefined/false
 * left out.
 */
export function html(
  strings: TemplateStringsArray,
  ...values: Array<string | number | Html | null | undefined | false>
): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === "string") out += escapeHtml(value);
    else if (typeof value === "number") out += String(value);
    else if (value) out += value.html;
    out += strings[i + 1] ?? "";
  }
  return markup(out);
}

/** One column: its heading (plain text), its cells, and the cells' class. */
export type CardColumn<T> = { heading: string; cell: (row: T) => Html | string; className?: string };

/**
 * A `<table>` with a caption, one header row and a body row per item, each body cell labelled
 * with its column's heading (for the stacked cards on a phone).
 */
export function cardTable<T>(props: {
  caption: string;
  columns: ReadonlyArray<CardColumn<T>>;
  rows: readonly T[];
}): HtmlEscapedString {
  const { columns } = props;
  const opens = columns.map((c) => {
    const label = escapeHtml(c.heading.replace(/\s+/g, " ").trim());
    return `<td data-label="${label}"${c.className ? ` class="${escapeHtml(c.className)}"` : ""}>`;
  });
  let out = `<table data-cards=""><caption>${escapeHtml(props.caption)}</caption><thead><tr>`;
  for (const c of columns) out += `<th scope="col">${escapeHtml(c.heading)}</th>`;
  out += "</tr></thead><tbody>";
  for (const row of props.rows) {
    out += "<tr>";
    for (let i = 0; i < columns.length; i++) {
      const value = columns[i]?.cell(row) ?? "";
      out += `${opens[i]}${typeof value === "string" ? escapeHtml(value) : value.html}</td>`;
    }
    out += "</tr>";
  }
  return raw(`${out}</tbody></table>`);
}
