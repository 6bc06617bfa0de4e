/**
 * Clause ids (CLAUSES.md: `5.2.2.1` = 第5-2(2)①) written the way the guideline writes them.
 */

const circled = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"];

/** 「第5-2(2)①」 for "5.2.2.1", 「第4-5(1)」 for "4.5.1", 「第7」 for "7". */
export function clauseRef(id: string): string {
  const [chapter, section, item, sub] = id.split(".");
  let out = `第${chapter}`;
  if (section) out += `-${section}`;
  if (item) out += `(${item})`;
  if (sub) out += circled[Number(sub) - 1] ?? `-${sub}`;
  return out;
}

/**
 * The guideline's heading over a clause (its own, else its nearest section's), from the pack's
 * `headings`; undefined when none. Headings are shown apart from the clause text.
 */
export function clauseHeading(id: string, headings: Readonly<Record<string, string>>): string | undefined {
  const parts = id.split(".");
  for (let n = parts.length; n > 0; n--) {
    const heading = headings[parts.slice(0, n).join(".")];
    if (heading) return heading;
  }
  return undefined;
}
