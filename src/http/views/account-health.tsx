/**
 * The dashboard's table of accounts at a glance: one row per account, one badge per check
 * (policy, public listing, profile, credential holders, rotations, two-factor, notices, manager),
 * each with words, never colour alone, and the clause it comes from.
 */
import type { FC } from "hono/jsx";
import { type AccountHealth, type HealthItem, healthKeys, healthLabels } from "../../app/accounts/health.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge } from "./components.tsx";

/** Where each check is fixed, relative to the account's page. */
const fixAt: Record<(typeof healthKeys)[number], string> = {
  policy: "/policy",
  public: "",
  profile: "/profile",
  holders: "/credentials",
  rotation: "/credentials",
  mfa: "/credentials",
  notice: "/notices",
  manager: "/credentials",
};

const Cell: FC<{ item: HealthItem; href: string; context: string }> = ({ item, href, context }) => (
  <td>
    <Badge tone={item.tone}>{item.label}</Badge>
    {item.detail ? <span class="hint"> {item.detail}</span> : null}{" "}
    {item.problem ? (
      <a href={href}>
        対応する
        <span class="visually-hidden">
          （{context}、{clauseRef(item.clause)}）
        </span>
      </a>
    ) : null}
  </td>
);

/** The health table, or a sentence when the person looks after no account. */
export const AccountHealthTable: FC<{ rows: AccountHealth[]; caption: string }> = ({ rows, caption }) => {
  if (rows.length === 0) return <p>担当している公式アカウントはありません。</p>;
  const needing = rows.filter((r) => r.problems > 0).length;
  return (
    <>
      <p>
        {needing > 0 ? (
          <>
            <Badge tone="error">要対応</Badge> {rows.length}件のうち{needing}
            件のアカウントに対応が必要な項目があります。
          </>
        ) : (
          <>
            <Badge tone="ok">問題なし</Badge> {rows.length}件のアカウントすべてに問題はありません。
          </>
        )}
      </p>
      <div class="table-wrap">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">アカウント</th>
              {healthKeys.map((k) => (
                <th scope="col">{healthLabels[k]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">
                  <a href={`/accounts/${r.account.id}`}>{r.account.name}</a>
                  <br />
                  <span class="hint">
                    {platformLabel(r.account.platform)}・{r.account.divisionName}・{r.account.statusLabel}
                  </span>
                </th>
                {healthKeys.map((k) => (
                  <Cell
                    item={r.items[k]}
                    href={`/accounts/${r.account.id}${fixAt[k]}`}
                    context={`${r.account.name}の${healthLabels[k]}`}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
};
