/**
 * Showing guideline versions (8.1, 8.2) and other versioned texts (the council's rules, 6.3):
 * the removed and added wording of a change (struck through / underlined, with words for screen
 * readers), the clauses of a version in order, what changed clause by clause and in the rules,
 * and acknowledgement rates by department.
 */
import type { FC } from "hono/jsx";
import { clauseHeading, clauseRef } from "../../domain/clauses.ts";
import type { AcknowledgementRates } from "../../domain/guideline-ack.ts";
import type { ClauseChange, DiffSegment } from "../../domain/guideline-diff.ts";
import type { PackChange } from "../../domain/guideline-pack-changes.ts";
import { Badge } from "./components.tsx";
import { Lines } from "./policy-view.tsx";

/** A clause id as the guideline writes it (「第5-2(2)①」), or the id itself when not numeric (附則). */
export function clauseName(id: string): string {
  return /^\d+(\.\d+)*$/.test(id) ? clauseRef(id) : id;
}

/** Runs of a diff: removed wording struck through, added underlined, announced to screen readers. */
export const DiffRuns: FC<{ segments: DiffSegment[] }> = ({ segments }) => (
  <>
    {segments.map((s) =>
      s.kind === "same" ? (
        <Lines text={s.text} />
      ) : s.kind === "removed" ? (
        <del>
          <span class="visually-hidden">［削除］</span>
          <Lines text={s.text} />
        </del>
      ) : (
        <ins>
          <span class="visually-hidden">［追加］</span>
          <Lines text={s.text} />
        </ins>
      ),
    )}
  </>
);

export const DiffLegend: FC = () => (
  <p class="hint">
    <del>取り消し線</del>は削除された文言、<ins>下線</ins>は追加された文言です。
  </p>
);

const kindBadges: Record<ClauseChange["kind"], { tone: "ok" | "warn" | "error" | "muted"; label: string }> = {
  added: { tone: "ok", label: "新設" },
  removed: { tone: "error", label: "削除" },
  changed: { tone: "warn", label: "改正" },
  same: { tone: "muted", label: "変更なし" },
};

/** The changed clauses, each under its own heading with what changed marked. */
export const ClauseChanges: FC<{ changes: ClauseChange[]; headingLevel?: 3 | 4 }> = ({
  changes,
  headingLevel = 3,
}) => {
  const changed = changes.filter((c) => c.kind !== "same");
  if (changed.length === 0) return <p>条項の文言に変更はありません。</p>;
  return (
    <>
      <p>
        変更のあった条項: {changed.length}件（新設 {changed.filter((c) => c.kind === "added").length}件、改正{" "}
        {changed.filter((c) => c.kind === "changed").length}件、削除{" "}
        {changed.filter((c) => c.kind === "removed").length}件）
      </p>
      <DiffLegend />
      {changed.map((c) => {
        const badge = kindBadges[c.kind];
        const heading = (
          <>
            {clauseName(c.id)} <Badge tone={badge.tone}>{badge.label}</Badge>
          </>
        );
        return (
          <section class="card" aria-label={`${clauseName(c.id)}（${badge.label}）`}>
            {headingLevel === 3 ? <h3>{heading}</h3> : <h4>{heading}</h4>}
            <p>
              <DiffRuns segments={c.segments} />
            </p>
          </section>
        );
      })}
    </>
  );
};

/** The guideline's heading over a clause, shown apart from its text where a new section starts. */
const HeadingLine: FC<{ heading: string | undefined }> = ({ heading }) =>
  heading ? <span class="clause-heading">見出し「{heading}」</span> : null;

/** Every clause of a version, in order; the guideline's headings (the pack's) apart from the text. */
export const ClauseText: FC<{
  clauses: Array<{ id: string; text: string }>;
  headings?: Readonly<Record<string, string>>;
}> = ({ clauses, headings = {} }) => (
  <dl class="facts">
    {clauses.map((c, i) => (
      <>
        <dt>
          {clauseName(c.id)}
          <HeadingLine
            heading={
              clauseHeading(c.id, headings) === clauseHeading(clauses[i - 1]?.id ?? "", headings)
                ? undefined
                : clauseHeading(c.id, headings)
            }
          />
        </dt>
        <dd>
          <Lines text={c.text} />
        </dd>
      </>
    ))}
  </dl>
);

const ruleKindLabels: Record<PackChange["kind"], string> = {
  added: "追加",
  removed: "削除",
  changed: "変更",
};

/** Changes in the rules (vocabularies, deadlines, templates…). */
export const RuleChanges: FC<{ changes: PackChange[]; total: number }> = ({ changes, total }) => {
  if (total === 0) return <p>チェッカーの語彙・期限・上限・文例などの規則に変更はありません。</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption>
          {total > changes.length
            ? `規則の変更（全${total}件のうち最初の${changes.length}件）`
            : `規則の変更（${total}件）`}
        </caption>
        <thead>
          <tr>
            <th scope="col">区分</th>
            <th scope="col">項目</th>
            <th scope="col">変更</th>
            <th scope="col">変更前</th>
            <th scope="col">変更後</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((r) => (
            <tr>
              <td>{r.section}</td>
              <td class="mono">{r.path}</td>
              <td>{ruleKindLabels[r.kind]}</td>
              <td>{r.before ? <del>{r.before}</del> : "—"}</td>
              <td>{r.after ? <ins>{r.after}</ins> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** Acknowledgement rates by department; with `pending`, the names of those who have not. */
export const AcknowledgementTable: FC<{
  rates: AcknowledgementRates;
  caption: string;
  pending?: boolean;
}> = ({ rates, caption, pending }) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">部</th>
          <th scope="col" class="num">
            確認済み
          </th>
          <th scope="col" class="num">
            対象者
          </th>
          <th scope="col" class="num">
            確認率
          </th>
          {pending ? <th scope="col">未確認の職員</th> : null}
        </tr>
      </thead>
      <tbody>
        {rates.departments.map((d) => (
          <tr>
            <th scope="row">{d.departmentName}</th>
            <td class="num">{d.acknowledged}</td>
            <td class="num">{d.required}</td>
            <td class="num">
              {d.percent}% {d.percent === 100 ? <Badge tone="ok">完了</Badge> : null}
            </td>
            {pending ? (
              <td>
                {d.pending.length === 0
                  ? "—"
                  : d.pending.map((p, i) => (
                      <>
                        {i > 0 ? "、" : ""}
                        <a href={`/staff/${p.staffId}`}>{p.name}</a>
                        {p.divisionName ? `（${p.divisionName}）` : ""}
                      </>
                    ))}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">全体</th>
          <td class="num">{rates.acknowledged}</td>
          <td class="num">{rates.required}</td>
          <td class="num">{rates.percent}%</td>
          {pending ? <td /> : null}
        </tr>
      </tfoot>
    </table>
  </div>
);
