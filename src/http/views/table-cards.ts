/**
 * Tables that become stacked cards on a phone. Every page goes through `labelTableCells` once,
 * after rendering: each body cell of a table with a header row gets `data-label` (its column's
 * heading) and the table gets `data-cards`, so that below 40rem the stylesheet shows each row as a
 * card of 「見出し: 値」 lines (app.css, "Tables on a phone"). Done once for the whole page rather
 * than in each view, so that every table — and every table added later — is labelled from its own
 * <thead>, without a view having to repeat its headings.
 *
 * It reads the HTML that hono/jsx writes: attribute values and text are escaped there (no raw `<`,
 * `>` or `"` inside a tag or a value), which is what makes scanning tags safe. A table without a
 * <thead>, one inside another table, or one marked `data-cards="off"` is left as it is.
 */

const HEAD = /<thead\b[^>]*>([\s\S]*?)<\/thead>/;
const HEADER_CELL = /<th\b[^>]*>([\s\S]*?)<\/th>/g;

/** The text of a header cell as a label: tags dropped, spaces collapsed, quotes escaped. */
function labelText(cellHtml: string): string {
  return cellHtml
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replaceAll('"', "&quot;");
}

function labelTable(tableHtml: string): string {
  const open = tableHtml.slice(0, tableHtml.indexOf(">") + 1);
  if (open.includes("data-cards=") || tableHtml.indexOf("<table", 1) !== -1) return tableHtml;
  const head = HEAD.exec(tableHtml);
  if (!head?.[1]) return tableHtml;
  const labels = Array.from(head[1].matchAll(HEADER_CELL), (m) => labelText(m[1] ?? ""));
  if (labels.length < 2) return tableHtml;
  const headEnd = head.index + head[0].length;
  // One pass over the body's cells: each gets its column's heading; a row starts again.
  const rest = tableHtml.slice(headEnd);
  const parts: string[] = [];
  let column = 0;
  let copied = 0;
  for (let at = rest.indexOf("<t"); at !== -1; at = rest.indexOf("<t", at + 2)) {
    const kind = rest.charCodeAt(at + 2);
    const after = rest.charCodeAt(at + 3);
    if (!(after === 32 || after === 62)) continue; // `<tr `/`<tr>` and the like only
    if (kind === 114) {
      column = 0; // r: a new row
      continue;
    }
    if (kind !== 100 && kind !== 104) continue; // d, h: a cell
    const label = labels[column] ?? "";
    column += 1;
    if (!label) continue;
    const close = rest.indexOf(">", at);
    if (/\sdata-label=/.test(rest.slice(at + 3, close))) continue;
    parts.push(rest.slice(copied, at + 3), ` data-label="${label}"`);
    copied = at + 3;
  }
  parts.push(rest.slice(copied));
  const body = parts.join("");
  return `<table data-cards=""${open.slice("<table".length)}${tableHtml.slice(open.length, headEnd)}${body}`;
}

/**
 * Labels the body cells of every table in a rendered page with their column headings.
 * @param html a whole page (or fragment) as rendered by hono/jsx
 */
export function labelTableCells(html: string): string {
  if (!html.includes("<thead")) return html;
  // Scanned with indexOf: a lazy regex over the whole page costs more than the labelling itself.
  let out = "";
  let from = 0;
  for (;;) {
    const start = html.indexOf("<table", from);
    if (start === -1) break;
    const end = html.indexOf("</table>", start);
    if (end === -1) break;
    const stop = end + "</table>".length;
    out += html.slice(from, start) + labelTable(html.slice(start, stop));
    from = stop;
  }
  return from === 0 ? html : out + html.slice(from);
}
