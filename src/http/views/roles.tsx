/**
 * Shows a person's roles with where they apply: 「アカウント管理者（課長）— 広報広聴課」.
 */
import type { FC } from "hono/jsx";
import type { Department, Division } from "../../db/repos/org.ts";
import { type RoleGrant, roleLabels } from "../../domain/roles.ts";

export type OrgNames = { departments: Map<number, Department>; divisions: Map<number, Division> };

export function scopeName(grant: RoleGrant, names: OrgNames): string {
  if (grant.scope.type === "global") return "全庁";
  if (grant.scope.type === "department")
    return names.departments.get(grant.scope.id)?.name ?? `部 #${grant.scope.id}`;
  return names.divisions.get(grant.scope.id)?.name ?? `課 #${grant.scope.id}`;
}

export const RoleList: FC<{ grants: RoleGrant[]; names: OrgNames }> = ({ grants, names }) => {
  if (grants.length === 0) return <p>ガイドライン上の役割はありません。</p>;
  return (
    <ul>
      {grants.map((g) => (
        <li>
          {roleLabels[g.role]} — {scopeName(g, names)}
          {g.derived ? "（職による）" : ""}
        </li>
      ))}
    </ul>
  );
};
