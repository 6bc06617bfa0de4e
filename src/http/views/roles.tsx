/**
 * Shows a person's roles with where they apply and where they come from: 「課等の長（アカウント管理者）
 * — 広報広聴課（職による）」, or 「（職務代理、2026年4月10日まで）」 while standing in for someone.
 */
import type { FC } from "hono/jsx";
import type { Department, Division } from "../../db/repos/org.ts";
import { formatDate } from "../../domain/dates.ts";
import { type RoleGrant, roleLabels } from "../../domain/roles.ts";

export type OrgNames = { departments: Map<number, Department>; divisions: Map<number, Division> };

export function scopeName(grant: RoleGrant, names: OrgNames): string {
  if (grant.scope.type === "global") return "全庁";
  if (grant.scope.type === "department")
    return names.departments.get(grant.scope.id)?.name ?? `部 #${grant.scope.id}`;
  return names.divisions.get(grant.scope.id)?.name ?? `課 #${grant.scope.id}`;
}

/** Where a grant comes from, in words. */
export function grantSource(grant: RoleGrant): string {
  if (grant.acting) return `（職務代理・事務取扱、${formatDate(grant.acting.until)}まで）`;
  return grant.derived ? "（職による）" : "";
}

export const RoleList: FC<{ grants: RoleGrant[]; names: OrgNames }> = ({ grants, names }) => {
  if (grants.length === 0) return <p>ガイドライン上の役割はありません。</p>;
  return (
    <ul>
      {grants.map((g) => (
        <li>
          {roleLabels[g.role]} — {scopeName(g, names)}
          {grantSource(g)}
        </li>
      ))}
    </ul>
  );
};
