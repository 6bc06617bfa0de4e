/**
 * Every feature of the application, in the order their reactions run.
 */
import { accountsFeature } from "./accounts/feature.ts";
import { consultationsFeature } from "./consultations/feature.ts";
import { councilFeature } from "./council/feature.ts";
import { credentialsFeature } from "./credentials/feature.ts";
import type { Feature } from "./feature.ts";
import { guidelineFeature } from "./guideline/feature.ts";
import { incidentsFeature } from "./incidents/feature.ts";
import { noticesFeature } from "./notices/feature.ts";
import { notificationsFeature } from "./notifications/feature.ts";
import { orgCacheFeature } from "./org/cache.ts";
import { policiesFeature } from "./policies/feature.ts";
import { archiveFeature } from "./posts/archive-feature.ts";
import { postsFeature } from "./posts/posts-feature.ts";
import { publishingFeature } from "./posts/publishing-feature.ts";
import { publicFeature } from "./public/feature.ts";
import { platformPublishingFeature } from "./publishing/feature.ts";
import { rolesFeature } from "./staff/role-feature.ts";

/**
 * The features. A function, not a constant: feature modules import use cases that import this
 * module back, so the list is only built once everything has loaded.
 */
export function features(): readonly Feature[] {
  return [
    accountsFeature,
    credentialsFeature,
    policiesFeature,
    noticesFeature,
    postsFeature,
    publishingFeature,
    platformPublishingFeature,
    archiveFeature,
    guidelineFeature,
    councilFeature,
    consultationsFeature,
    notificationsFeature,
    incidentsFeature,
    publicFeature,
    orgCacheFeature,
    rolesFeature,
  ];
}
