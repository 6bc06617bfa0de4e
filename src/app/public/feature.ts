/**
 * The public pages' plug-in point (see app/feature.ts): after a change commits that touches what
 * citizens see — an account, its media policy, a change/closure notice, the organisation names
 * shown beside accounts — every public cache in this process is dropped, so the next request is
 * rendered fresh. Other instances on the same PostgreSQL catch up within the cache TTL.
 */
import type { Committed } from "../events.ts";
import type { Feature } from "../feature.ts";
import { invalidatePublicCaches } from "./cache.ts";

/**
 * Audit target types whose changes the public pages show. A feature whose records appear
 * publicly adds its target type here (the incidents feature adds its own for 7.3.1 and 7.4).
 */
export const publicTargetTypes: string[] = [
  "account",
  "media_policy",
  "policy",
  "notice",
  "account_notice",
  "division",
  "department",
];

/** Whether a committed change can alter a public page. */
export function touchesPublicData(change: Committed): boolean {
  const type = change.target.type;
  return type.startsWith("account") || publicTargetTypes.includes(type);
}

/** Drops the public caches after every committed change citizens could see. */
export const publicFeature: Feature = {
  name: "public",
  afterCommit(change) {
    if (touchesPublicData(change)) invalidatePublicCaches();
  },
};
