/**
 * The roles feature's plug-in point (see app/feature.ts): a 監査担当 proposed by the administrator
 * waits on the dashboard of the policy and security directors who may approve it (9) — not of the
 * grantee, nor of whoever proposed it.
 */

import { formatDate } from "../../domain/dates.ts";
import { roleLabels } from "../../domain/roles.ts";
import { allowed } from "../authorize.ts";
import type { Feature, Task } from "../feature.ts";
import { pendingProposals } from "./roles.ts";

export const rolesFeature: Feature = {
  name: "roles",
  async tasks(ctx, actor): Promise<Task[]> {
    if (!allowed(actor, "role.approve")) return [];
    return (await pendingProposals(ctx, actor))
      .filter((p) => p.canDecide)
      .map((p) => ({
        kind: "role_approval",
        title: `${roleLabels[p.role]}の承認（${p.name}さん${p.validUntil ? `、${formatDate(p.validUntil)}まで` : ""}）`,
        href: "/roles",
        due: null,
        overdue: false,
        clause: "9",
      }));
  },
};
