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

const TABLE = /<table\b[^>]*>[\s\S]*?<\/table>/g;
const HEAD = /<thead\b[^>]*>([\s\S]*?)<\/thead>/;
const HEADER_CELL = /<th\b[^>]*>([\s\S]*?)<\/th>/g;
const ROW = /<tr\b[^>]*>([\s\S]*?)<\/tr>/g;
const CELL_OPEN = /<(td|th)\b([^>]*)>/g;

/** The text of a header cell as a label: tags dropped, spaces collapsed, quotes escaped. */
function labelText(cellHtml: string): string {
  return cellHtml
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replaceAll('"', "&quot;");
}

/** Adds data-label to the cells of one row, column by column. */
function labelRow(rowHtml: string, labels: string[]): string {
  let column = 0;
  return rowHtml.replace(CELL_OPEN, (tag: string, name: string, attributes: string) => {
    const label = labels[column] ?? "";
    column += 1;
    if (!label || /\sdata-label=/.test(attributes)) return tag;
    return `<${name} data-label="${label}"${attributes}>`;
  });
}

function labelTable(tableHtml: string): string {
  const open = tableHtml.slice(0, tableHtml.indexOf(">") + 1);
  if (/data-cards=/.test(open) || tableHtml.indexOf("<table", 1) !== -1) return tableHtml;
  const head = HEAD.exec(tableHtml);
  if (!head?.[1]) return tableHtml;
  const labels = Array.from(head[1].matchAll(HEADER_CELL), (m) => labelText(m[1] ?? ""));
  if (labels.length < 2) return tableHtml;
  const headEnd = (head.index ?? 0) + head[0].length;
  const body = tableHtml
    .slice(headEnd)
    .replace(ROW, (row: string) =>
      row.replace(
        /^(<tr\b[^>]*>)([\s\S]*)$/,
        (_m, start: string, cells: string) => start + labelRow(cells, labels),
      ),
    );
  return `<table data-cards=""${open.slice("<table".length)}${tableHtml.slice(open.length, headEnd)}${body}`;
}

/**
 * Labels the body cells of every table in a rendered page with their column headings.
 * @param html a whole page (or fragment) as rendered by hono/jsx
 */
export function labelTableCells(html: string): string {
  if (!html.includes("<thead")) return html;
  return html.replace(TABLE, labelTable);
}
