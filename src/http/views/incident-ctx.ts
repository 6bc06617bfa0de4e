/**
 * What every section of the incident page is given: the incident as read, the CSRF token, the
 * failed forms to show again by prefix, and the current Tokyo time for datetime-local defaults.
 */
import type { IncidentDetail } from "../../app/incidents/read.ts";
import { isPostStatus, postStatusLabels } from "../../domain/posts.ts";
import type { FormState } from "./components.tsx";

/** Failed forms to show again, by prefix (`step-12`, `close`, `takedown-3`…). */
export type IncidentForms = Record<string, FormState | undefined>;

/** The props every section of the page takes. */
export type IncidentCtx = { d: IncidentDetail; csrf: string; forms: IncidentForms; nowLocal: string };

/** The incident's own path, that every form posts under. */
export const incidentBase = (d: IncidentDetail) => `/incidents/${d.incident.id}`;

/** A linked post's status in Japanese (an unknown one as stored). */
export function postStatusText(status: string): string {
  return isPostStatus(status) ? postStatusLabels[status] : status;
}
