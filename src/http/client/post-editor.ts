/**
 * The live check of the post editor (5.2, 5.3.5): as the operator types, the text is sent to
 * `POST /api/v1/check` (debounced, ≈300 ms; the previous request is cancelled) with the same
 * input the server uses at every transition (app/posts/check-input.ts), and the findings list,
 * the marks in the text and the length counter are updated in place. The findings and the counter
 * are polite live regions; the script never moves the focus. With several accounts, text typed
 * into one box is copied to the boxes that still hold the common text. Without this script the
 * form's 「確認する」 button does the same on the server.
 */
import { postCheckInput, tokyoLocalToIso } from "../../app/posts/check-input.ts";
import {
  counterText,
  type FindingLike,
  findingLine,
  findingsSummary,
  type LengthLike,
  markedPieces,
  markNote,
  severityBadges,
} from "./findings-model.ts";

/** Wait after the last keystroke before checking. */
export const DEBOUNCE_MS = 300;

type CheckResponse = { findings: FindingLike[]; length: LengthLike | undefined };

const severities = new Set(["error", "warning", "info"]);
const units = new Set(["x-weighted", "chars", "graphemes", "mastodon"]);

function isSeverity(value: unknown): value is FindingLike["severity"] {
  return typeof value === "string" && severities.has(value);
}

function isUnit(value: unknown): value is LengthLike["unit"] {
  return typeof value === "string" && units.has(value);
}

function toFinding(value: unknown): FindingLike | null {
  if (typeof value !== "object" || value === null) return null;
  if (!("rule" in value && "clause" in value && "severity" in value && "start" in value && "end" in value))
    return null;
  if (!("message" in value && "hint" in value)) return null;
  const { rule, clause, severity, start, end, message, hint } = value;
  if (typeof rule !== "string" || typeof clause !== "string" || !isSeverity(severity)) return null;
  if (typeof start !== "number" || typeof end !== "number") return null;
  if (typeof message !== "string" || typeof hint !== "string") return null;
  return { rule, clause, severity, start, end, message, hint };
}

function toLength(value: unknown): LengthLike | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (!("unit" in value && "used" in value && "limit" in value)) return undefined;
  const { unit, used, limit } = value;
  if (!isUnit(unit) || typeof used !== "number" || typeof limit !== "number") return undefined;
  return { unit, used, limit };
}

/** The checker's answer, read defensively (anything unexpected is left out). */
export function readCheckResponse(body: unknown): CheckResponse | null {
  if (typeof body !== "object" || body === null || !("findings" in body) || !Array.isArray(body.findings))
    return null;
  const findings = body.findings.map(toFinding).filter((f): f is FindingLike => f !== null);
  return { findings, length: "length" in body ? toLength(body.length) : undefined };
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

const badge = (tone: string, label: string) => el("span", { class: `badge badge-${tone}` }, label);

/** Renders the findings list, the marks and the counter of one editor (same markup as the server). */
export function renderCheck(editor: HTMLElement, text: string, result: CheckResponse): void {
  const findingsBox = editor.querySelector<HTMLElement>("[data-editor-findings]");
  const marked = editor.querySelector<HTMLElement>("[data-editor-marked]");
  const counter = editor.querySelector<HTMLElement>("[data-editor-counter]");
  const { findings } = result;
  if (findingsBox) {
    const summary = el("p");
    if (findings.length === 0) summary.append(badge("ok", "指摘なし"));
    summary.append(` ${findingsSummary(findings)}`);
    const nodes: Node[] = [summary];
    if (findings.length > 0) {
      const list = el("ol", { class: "post-findings" });
      for (const f of findings) {
        const b = severityBadges[f.severity];
        list.append(
          el("li", {}, badge(b.tone, b.label), ` ${findingLine(f)}`, el("div", { class: "hint" }, f.hint)),
        );
      }
      nodes.push(list);
    }
    findingsBox.replaceChildren(...nodes);
  }
  if (marked) {
    const p = el("p");
    for (const piece of markedPieces(text, findings)) {
      if (piece.findings.length === 0) p.append(piece.text);
      else
        p.append(
          el("mark", {}, piece.text),
          el("span", { class: "visually-hidden" }, markNote(piece.findings, findings)),
        );
    }
    marked.replaceChildren(p);
  }
  if (counter) {
    const c = counterText(result.length, [...text].length);
    counter.replaceChildren(`${c.text} `, c.over ? badge("error", "上限超過") : badge("ok", "上限以内"));
  }
}

/** Wires one post form: every editor in it, the embargo and schedule fields, the copy of text. */
export function setupPostForm(form: HTMLFormElement): void {
  const csrf = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? "";
  const editors = [...form.querySelectorAll<HTMLElement>("[data-editor]")];
  const embargo = form.querySelector<HTMLInputElement>('input[name="embargoUntil"]');
  const schedule = form.querySelector<HTMLInputElement>('input[name="scheduledAt"]');
  const boxes = new Map<HTMLElement, HTMLTextAreaElement>();
  for (const editor of editors) {
    const box = editor.querySelector<HTMLTextAreaElement>("textarea[data-editor-text]");
    if (box && !box.readOnly) boxes.set(editor, box);
  }
  const timers = new Map<HTMLElement, ReturnType<typeof setTimeout>>();
  const inflight = new Map<HTMLElement, AbortController>();

  async function check(editor: HTMLElement, box: HTMLTextAreaElement): Promise<void> {
    const text = box.value;
    inflight.get(editor)?.abort();
    const controller = new AbortController();
    inflight.set(editor, controller);
    const d = editor.dataset;
    const input = postCheckInput({
      text,
      platform: d.platform ?? "other",
      kind: d.kind === "correction" ? "correction" : "post",
      account: {
        division: d.division ?? "",
        homepageUrl: d.homepage ?? "",
        character: d.character === "true",
      },
      embargoUntil: embargo?.value ? tokyoLocalToIso(embargo.value) : null,
      scheduledAt: schedule?.value ? tokyoLocalToIso(schedule.value) : null,
      now: new Date().toISOString(),
      imageCount: Number(d.images ?? "0") || 0,
    });
    try {
      const res = await fetch("/api/v1/check", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify(input),
        signal: controller.signal,
      });
      if (!res.ok) return;
      const result = readCheckResponse(await res.json());
      // A newer keystroke has its own request: only the latest text is shown.
      if (result && box.value === text) renderCheck(editor, text, result);
    } catch {
      // Cancelled or offline: the form's 「確認する」 and the server's check at saving still apply.
    }
  }

  const later = (editor: HTMLElement, box: HTMLTextAreaElement) => {
    clearTimeout(timers.get(editor));
    timers.set(
      editor,
      setTimeout(() => void check(editor, box), DEBOUNCE_MS),
    );
  };

  // The same text for all accounts: the first box typed into leads, and the others follow it
  // as long as they hold what it held; a box edited on its own stays as written.
  let leader: HTMLTextAreaElement | null = null;
  const previous = new Map<HTMLTextAreaElement, string>([...boxes.values()].map((b) => [b, b.value]));

  for (const [editor, box] of boxes) {
    box.addEventListener("input", () => {
      if (leader === null && boxes.size > 1) leader = box;
      if (box === leader) {
        const before = previous.get(box) ?? "";
        for (const [other, otherBox] of boxes) {
          if (otherBox === box || otherBox.value !== before) continue;
          otherBox.value = box.value;
          previous.set(otherBox, box.value);
          later(other, otherBox);
        }
      }
      previous.set(box, box.value);
      later(editor, box);
    });
  }

  for (const field of [embargo, schedule]) {
    field?.addEventListener("change", () => {
      for (const [editor, box] of boxes) if (box.value.trim() !== "") later(editor, box);
    });
  }
}
