/**
 * The differences between two texts, character by character (Japanese has no spaces between
 * words), for showing a correction beside the post it corrects (5.3.2, 5.3.3): what was taken out
 * of the original and what the correction adds. Myers' O(ND) algorithm on the part between the
 * common beginning and end; when the texts differ in more than `maxEdits` characters the middle is
 * shown as taken out and added whole. Pure: no I/O.
 */

/** A run of the diff: the same in both, only in the original (`del`), only in the new text (`ins`). */
export type DiffPart = { op: "same" | "del" | "ins"; text: string };

const DEFAULT_MAX_EDITS = 600;

/** The shortest edit script between `a` and `b` as runs, or null when it needs more than `max` edits. */
function myers(a: readonly string[], b: readonly string[], max: number): DiffPart[] | null {
  const n = a.length;
  const m = b.length;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d, k);
    }
  }
  return null;
}

/** Walks the saved frontiers back from (n, m) and returns the runs in order. */
function backtrack(
  a: readonly string[],
  b: readonly string[],
  trace: Int32Array[],
  last: number,
  lastK: number,
) {
  const ops: Array<{ op: DiffPart["op"]; ch: string }> = [];
  let x = a.length;
  let y = b.length;
  let k = lastK;
  for (let d = last; d > 0; d--) {
    const saved = trace[d] ?? new Int32Array();
    // saved holds v[-d-1 .. d+1] as it was before step d.
    const at = (kk: number) => saved[kk + d + 1] ?? 0;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) {
      ops.push({ op: "same", ch: a[x - 1] ?? "" });
      x--;
      y--;
    }
    if (down) {
      ops.push({ op: "ins", ch: b[y - 1] ?? "" });
      y--;
    } else {
      ops.push({ op: "del", ch: a[x - 1] ?? "" });
      x--;
    }
    k = prevK;
  }
  while (x > 0 && y > 0) {
    ops.push({ op: "same", ch: a[x - 1] ?? "" });
    x--;
    y--;
  }
  ops.reverse();
  return runs(ops);
}

function runs(ops: ReadonlyArray<{ op: DiffPart["op"]; ch: string }>): DiffPart[] {
  const out: DiffPart[] = [];
  for (const { op, ch } of ops) {
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += ch;
    else out.push({ op, text: ch });
  }
  return out;
}

/**
 * Slides a lone insertion or deletion as far left as the text allows: 「【」+「訂正】…【」+「お知らせ】」
 * reads better as 「【訂正】…」+「【お知らせ】」 — the same edit, starting where a reader expects it.
 */
function slideLeft(parts: DiffPart[]): DiffPart[] {
  const out = parts.map((p) => ({ ...p }));
  for (let i = 1; i < out.length; i++) {
    const before = out[i - 1];
    const part = out[i];
    const after = out[i + 1];
    if (!before || !part || before.op !== "same" || part.op === "same") continue;
    if (after && after.op !== "same") continue;
    const kept = [...before.text];
    let moved = [...part.text];
    let tail = "";
    while (kept.length > 0 && kept[kept.length - 1] === moved[moved.length - 1]) {
      const last = moved.pop() ?? "";
      tail = last + tail;
      moved = [kept.pop() ?? "", ...moved];
    }
    if (tail === "") continue;
    before.text = kept.join("");
    part.text = moved.join("");
    if (after) after.text = tail + after.text;
    else out.push({ op: "same", text: tail });
  }
  return out.filter((p) => p.text !== "");
}

/**
 * Folds a single unchanged character between two changes into them, so a reader sees one changed
 * phrase instead of a scatter of single characters (「12月7日（月）」→「12月8日（火）」).
 */
function tidy(input: DiffPart[]): DiffPart[] {
  const parts = slideLeft(input);
  const out: DiffPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part) continue;
    const before = out[out.length - 1];
    const after = parts[i + 1];
    if (
      part.op === "same" &&
      [...part.text].length === 1 &&
      before &&
      before.op !== "same" &&
      after &&
      after.op !== "same"
    ) {
      // Take the character out of the original and add it back in the new text.
      out.push({ op: "del", text: part.text }, { op: "ins", text: part.text });
      continue;
    }
    out.push({ ...part });
  }
  // Group each stretch of changes as all that was taken out, then all that was added.
  const grouped: DiffPart[] = [];
  let del = "";
  let ins = "";
  const flush = () => {
    if (del) grouped.push({ op: "del", text: del });
    if (ins) grouped.push({ op: "ins", text: ins });
    del = "";
    ins = "";
  };
  for (const part of out) {
    if (part.op === "same") {
      flush();
      grouped.push(part);
    } else if (part.op === "del") del += part.text;
    else ins += part.text;
  }
  flush();
  return mergeSame(slideLeft(grouped));
}

/** Joins neighbouring unchanged runs. */
function mergeSame(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (last && last.op === "same" && part.op === "same") last.text += part.text;
    else out.push({ ...part });
  }
  return out;
}

/**
 * The differences between `before` and `after`, as runs in order.
 * @param options.maxEdits beyond this many changed characters the differing middle is shown whole
 */
export function diffTexts(before: string, after: string, options: { maxEdits?: number } = {}): DiffPart[] {
  const a = [...before];
  const b = [...after];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  const head = a.slice(0, start).join("");
  const tail = a.slice(a.length - end).join("");
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  const middle =
    midA.length === 0 && midB.length === 0
      ? []
      : (myers(midA, midB, options.maxEdits ?? DEFAULT_MAX_EDITS) ?? [
          { op: "del" as const, text: midA.join("") },
          { op: "ins" as const, text: midB.join("") },
        ]);
  const parts: DiffPart[] = [
    ...(head ? [{ op: "same" as const, text: head }] : []),
    ...middle.filter((p) => p.text !== ""),
    ...(tail ? [{ op: "same" as const, text: tail }] : []),
  ];
  return tidy(runs(parts.flatMap((p) => [...p.text].map((ch) => ({ op: p.op, ch })))));
}

/** The original's side (same and taken out) and the new text's side (same and added) of a diff. */
export function diffSides(parts: readonly DiffPart[]): { before: DiffPart[]; after: DiffPart[] } {
  return {
    before: parts.filter((p) => p.op !== "ins"),
    after: parts.filter((p) => p.op !== "del"),
  };
}
