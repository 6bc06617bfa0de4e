/**
 * Showing media policies (4.2): the items of one version with their labels, what changed
 * against the version before it (removed and added wording), and the list of versions.
 */
import type { FC } from "hono/jsx";
import type { MediaPolicyView } from "../../db/repos/policies.ts";
import { type PolicyContent, policyFieldLabels, policyFields } from "../../domain/accounts.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { displayValue, type FieldChange } from "../../domain/policy-diff.ts";
import { Badge } from "./components.tsx";
import { DateText } from "./dates.tsx";

/** Names of a version's state as pages show them. */
export const policyStatusLabels: Record<MediaPolicyView["status"], string> = {
  draft: "下書き",
  approved: "現行（公開中）",
  superseded: "過去の版",
};

/** Text with its line breaks kept (no inline styles: one <br> per break). */
export const Lines: FC<{ text: string }> = ({ text }) => (
  <>
    {text.split("\n").map((line, i) => (
      <>
        {i > 0 ? <br /> : null}
        {line}
      </>
    ))}
  </>
);

/** Every item of a version (4.2.1 ①–④, 4.2.2), empty ones marked 未記入. */
export const PolicyItems: FC<{ policy: PolicyContent }> = ({ policy }) => (
  <dl class="facts">
    {policyFields.map((field) => {
      const value = displayValue(policy, field);
      return (
        <>
          <dt>{policyFieldLabels[field]}</dt>
          <dd>{value.trim() ? <Lines text={value} /> : <Badge tone="error">未記入</Badge>}</dd>
        </>
      );
    })}
  </dl>
);

/** The changed items of a version, the removed wording struck through and the added underlined. */
export const PolicyChanges: FC<{ changes: FieldChange[]; headingLevel?: 3 | 4 }> = ({
  changes,
  headingLevel = 3,
}) => {
  const changed = changes.filter((c) => c.changed);
  if (changed.length === 0) return <p>項目の内容に変更はありません。</p>;
  return (
    <>
      <p>
        変更のあった項目: {changed.length}件（<del>取り消し線</del>は削除された文言、<ins>下線</ins>
        は追加された文言です）
      </p>
      {changed.map((c) => (
        <section aria-label={c.label}>
          {headingLevel === 3 ? <h3>{c.label}</h3> : <h4>{c.label}</h4>}
          <p>
            {c.segments.map((s) =>
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
          </p>
        </section>
      ))}
    </>
  );
};

/** The review date with a badge when it has passed or is near (4.2.3). */
export const ReviewDue: FC<{ reviewDue: string | null; today: string; soon: string }> = ({
  reviewDue,
  today,
  soon,
}) => {
  if (!reviewDue) return <>未設定</>;
  return (
    <>
      <DateText date={reviewDue} />{" "}
      {reviewDue < today ? (
        <Badge tone="error">期限超過</Badge>
      ) : reviewDue <= soon ? (
        <Badge tone="warn">見直し時期</Badge>
      ) : null}
    </>
  );
};

/** Every version the reader may see, newest first, each linking to its own page. */
export const VersionTable: FC<{ accountId: number; versions: MediaPolicyView[] }> = ({
  accountId,
  versions,
}) => (
  <div class="table-wrap">
    <table>
      <caption>メディアポリシーの版（新しい順）</caption>
      <thead>
        <tr>
          <th scope="col">版</th>
          <th scope="col">状態</th>
          <th scope="col">承認</th>
          <th scope="col">主な変更点</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr>
            <td>
              <a href={`/accounts/${accountId}/policy/v/${v.version}`}>第{v.version}版</a>
            </td>
            <td>
              {v.status === "approved" ? (
                <Badge tone="ok">{policyStatusLabels[v.status]}</Badge>
              ) : v.status === "draft" ? (
                <Badge tone="warn">{policyStatusLabels[v.status]}</Badge>
              ) : (
                <Badge tone="muted">{policyStatusLabels[v.status]}</Badge>
              )}
            </td>
            <td>{v.approvedAt ? `${formatDateTime(v.approvedAt)}（${v.approverName ?? "—"}）` : "—"}</td>
            <td>{v.changeSummary ? <Lines text={v.changeSummary} /> : v.version === 1 ? "初版" : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
