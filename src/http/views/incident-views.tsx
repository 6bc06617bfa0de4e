/**
 * Views of incidents (7) used on several pages: the status and severity badges, the list table,
 * the dashboard's 「対応中のインシデント」 section, the incidents recorded on a post (a small
 * component the post page can place), and the timeline.
 */
import type { FC } from "hono/jsx";
import type { IncidentEvent, IncidentView } from "../../db/repos/incidents.ts";
import { clauseRef } from "../../domain/clauses.ts";
import {
  type IncidentSeverity,
  type IncidentStatus,
  incidentEventLabel,
  incidentSeverityLabels,
  incidentStatusLabels,
  incidentTypeClauses,
  incidentTypeLabels,
} from "../../domain/incidents.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge } from "./components.tsx";
import { DateTime } from "./dates.tsx";

const statusTone: Record<IncidentStatus, "error" | "warn" | "muted"> = {
  responding: "error",
  monitoring: "warn",
  closed: "muted",
};

const severityTone: Record<IncidentSeverity, "error" | "warn" | "muted"> = {
  critical: "error",
  high: "error",
  medium: "warn",
  low: "muted",
};

/** 対応中 / 監視中 / 終結. */
export const IncidentStatusBadge: FC<{ status: IncidentStatus }> = ({ status }) => (
  <Badge tone={statusTone[status]}>{incidentStatusLabels[status]}</Badge>
);

/** 深刻度: 重大 / 高 / 中 / 低. */
export const SeverityBadge: FC<{ severity: IncidentSeverity }> = ({ severity }) => (
  <Badge tone={severityTone[severity]}>深刻度 {incidentSeverityLabels[severity]}</Badge>
);

/** The incident's account in one line (or a dash). */
export const IncidentAccount: FC<{ incident: IncidentView }> = ({ incident }) =>
  incident.accountId === null || incident.accountName === null ? (
    <>—</>
  ) : (
    <>
      <a href={`/accounts/${incident.accountId}`}>{incident.accountName}</a>
      <br />
      <span class="hint">
        {incident.accountPlatform ? platformLabel(incident.accountPlatform) : ""}・
        {incident.accountDivisionName}
      </span>
    </>
  );

/** A table of incidents. */
export const IncidentTable: FC<{ rows: IncidentView[]; caption: string }> = ({ rows, caption }) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">番号</th>
          <th scope="col">件名</th>
          <th scope="col">種類</th>
          <th scope="col">状態</th>
          <th scope="col">アカウント</th>
          <th scope="col">報告日時</th>
          <th scope="col">アカウント管理者</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((i) => (
          <tr>
            <td class="num">#{i.id}</td>
            <td>
              <a href={`/incidents/${i.id}`}>{i.title}</a>
            </td>
            <td>
              {incidentTypeLabels[i.type]}
              <br />
              <span class="hint">{clauseRef(incidentTypeClauses[i.type])}</span>
            </td>
            <td>
              <IncidentStatusBadge status={i.status} /> <SeverityBadge severity={i.severity} />
            </td>
            <td>
              <IncidentAccount incident={i} />
            </td>
            <td>
              <DateTime at={i.createdAt} />
            </td>
            <td>{i.managerName ? `${i.managerName}さん` : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** The dashboard's section of open incidents (shown first; nothing when there are none). */
export const OpenIncidents: FC<{ rows: IncidentView[]; total: number }> = ({ rows, total }) => {
  if (total === 0) return null;
  return (
    <section aria-labelledby="incidents-title" class="notice notice-error">
      <h2 id="incidents-title">対応中のインシデント（{total}件）</h2>
      <p>
        問題への対応を最優先してください（{clauseRef("7")}）。
        {total > rows.length ? (
          <>
            {" "}
            <a href="/incidents">すべて見る</a>
          </>
        ) : null}
      </p>
      <ul>
        {rows.map((i) => (
          <li>
            <IncidentStatusBadge status={i.status} /> <SeverityBadge severity={i.severity} />{" "}
            <a href={`/incidents/${i.id}`}>
              {incidentTypeLabels[i.type]}: {i.title}
            </a>
            {i.accountName ? `（${i.accountName}）` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
};

/**
 * The incidents recorded on a post, for the post page: each linked with its type and status, and
 * the link to report a new one.
 */
export const PostIncidents: FC<{ postId: number; rows: IncidentView[] }> = ({ postId, rows }) => (
  <section aria-labelledby={`post-incidents-${postId}`}>
    <h2 id={`post-incidents-${postId}`}>この投稿のインシデント</h2>
    {rows.length === 0 ? (
      <p>この投稿について記録されたインシデントはありません。</p>
    ) : (
      <ul>
        {rows.map((i) => (
          <li>
            <IncidentStatusBadge status={i.status} />{" "}
            <a href={`/incidents/${i.id}`}>
              #{i.id} {incidentTypeLabels[i.type]}: {i.title}
            </a>
          </li>
        ))}
      </ul>
    )}
    <p>
      <a href={`/incidents/new?postId=${postId}`}>この投稿についてインシデントを報告する</a>（{clauseRef("7")}
      、{clauseRef("5.1.6")}）
    </p>
  </section>
);

/** The incident's timeline, oldest first. */
export const Timeline: FC<{ events: IncidentEvent[] }> = ({ events }) => (
  <ol class="timeline">
    {events.map((e) => (
      <li>
        <strong>{incidentEventLabel(e.kind)}</strong>{" "}
        <span class="hint">
          <DateTime at={e.at} />
          {e.actorName ? `・${e.actorName}さん` : "・システム"}
        </span>
        {e.note ? <p class="public-text">{e.note}</p> : null}
      </li>
    ))}
  </ol>
);
