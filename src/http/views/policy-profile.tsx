/**
 * The profile (自由記述欄) views: the generated bio to copy, its length against the platform's
 * limit, and a checked bio with what it must carry (4.4.3 ①②, 4.4.4, 5.3.1), each finding
 * explained with its clause and its place in the text marked.
 */
import type { FC } from "hono/jsx";
import type { GeneratedProfile, ProfileRequirement } from "../../app/policies/profile.ts";
import type { Finding, LengthInfo } from "../../checker/index.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { findingLine } from "../client/findings-model.ts";
import { Badge } from "./components.tsx";

const unitNotes: Record<LengthInfo["unit"], string> = {
  chars: "文字",
  graphemes: "文字（絵文字などは1文字）",
  "x-weighted": "（全角文字は2、URLは23として計算）",
  mastodon: "文字（URLは23文字として計算）",
};

/** 「85／160文字」 or, without a known limit, the length alone. */
export const LengthLine: FC<{ length: number; limit: number | null; unit: LengthInfo["unit"] | null }> = ({
  length,
  limit,
  unit,
}) =>
  limit === null ? (
    <p>文字数: {length}文字（このサービスの自由記述欄の上限は登録されていません）</p>
  ) : (
    <p>
      文字数: {length}／{limit}
      {unit ? unitNotes[unit] : "文字"}{" "}
      {length > limit ? <Badge tone="error">上限超過</Badge> : <Badge tone="ok">上限以内</Badge>}
    </p>
  );

/** The generated bio in a read-only text area, with why it was shortened and what keeps it from being right. */
export const GeneratedBio: FC<{ generated: GeneratedProfile; platformName: string }> = ({
  generated,
  platformName,
}) => (
  <>
    {generated.problems.map((p) => (
      <div class="notice notice-warning">
        <p>{p}</p>
      </div>
    ))}
    {generated.variantNote ? <p>{generated.variantNote}</p> : null}
    <div class="field">
      <label for="generated-bio">{platformName}の自由記述欄（プロフィール）に設定する文章</label>
      <span class="hint" id="generated-bio-hint">
        この文章をコピーして、{platformName}
        のプロフィール欄に貼り付けてください。URLは短縮せずにそのまま掲載してください（第4-4(4)）。
      </span>
      <textarea id="generated-bio" readonly rows={4} aria-describedby="generated-bio-hint">
        {generated.text}
      </textarea>
    </div>
    <LengthLine length={generated.length} limit={generated.limit} unit={generated.unit} />
  </>
);

const requirementBadge = (r: ProfileRequirement) => {
  switch (r.status) {
    case "ok":
      return <Badge tone="ok">記載あり</Badge>;
    case "missing":
      return <Badge tone="error">要修正</Badge>;
    case "warning":
      return <Badge tone="warn">要確認</Badge>;
    case "not_applicable":
      return <Badge tone="muted">対象外</Badge>;
  }
};

/** What a bio must carry, each with its state. */
export const RequirementList: FC<{ requirements: ProfileRequirement[] }> = ({ requirements }) => (
  <div class="table-wrap">
    <table>
      <caption>自由記述欄に必要な事項</caption>
      <thead>
        <tr>
          <th scope="col">事項</th>
          <th scope="col">根拠</th>
          <th scope="col">結果</th>
        </tr>
      </thead>
      <tbody>
        {requirements.map((r) => (
          <tr>
            <td>
              {r.label}
              {r.message && r.status !== "ok" ? <div class="hint">{r.message}</div> : null}
            </td>
            <td>{clauseRef(r.clause)}</td>
            <td>{requirementBadge(r)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

type Piece = { text: string; findings: number[] };

/** Splits `text` where findings start and end; each piece knows which findings cover it. */
export function markedPieces(text: string, findings: readonly Finding[]): Piece[] {
  const spans = findings
    .map((f, i) => ({ start: Math.max(0, f.start), end: Math.min(text.length, f.end), n: i + 1 }))
    .filter((s) => s.end > s.start);
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort(
    (a, b) => a - b,
  );
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i] ?? 0;
    const to = cuts[i + 1] ?? 0;
    if (to <= from) continue;
    const covering = spans.filter((s) => s.start <= from && s.end >= to).map((s) => s.n);
    pieces.push({ text: text.slice(from, to), findings: covering });
  }
  return pieces;
}

/** The checked text with the places of findings marked and numbered. */
export const MarkedText: FC<{ text: string; findings: readonly Finding[] }> = ({ text, findings }) => (
  <p class="secret">
    {markedPieces(text, findings).map((p) =>
      p.findings.length === 0 ? (
        p.text
      ) : (
        <>
          <mark>{p.text}</mark>
          <span class="visually-hidden">（指摘{p.findings.join("・")}の箇所）</span>
        </>
      ),
    )}
  </p>
);

const severityBadge: Record<Finding["severity"], { tone: "error" | "warn" | "muted"; label: string }> = {
  error: { tone: "error", label: "要修正" },
  warning: { tone: "warn", label: "要確認" },
  info: { tone: "muted", label: "参考" },
};

/** The findings, numbered as in the marked text, each with its clause and what to do. */
export const FindingList: FC<{ findings: readonly Finding[] }> = ({ findings }) =>
  findings.length === 0 ? (
    <p>
      <Badge tone="ok">指摘なし</Badge> ガイドラインに照らした指摘はありませんでした。
    </p>
  ) : (
    <ol>
      {findings.map((f) => (
        <li>
          <Badge tone={severityBadge[f.severity].tone}>{severityBadge[f.severity].label}</Badge>{" "}
          {findingLine(f)}
          <div class="hint">{f.hint}</div>
        </li>
      ))}
    </ol>
  );
