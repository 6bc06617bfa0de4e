/**
 * 特権の保有者 (/roles): who holds each privileged role today (システム管理者, 監査担当, 総合政策部長,
 * 情報統括管理者) and since when, by post, by standing in, or by an approved assignment; and the
 * proposed 監査担当 waiting for the policy or security director's approval (9). For the auditor
 * and the directors.
 */
import { Hono } from "hono";
import { approveRole, declineRole, type PrivilegedHolder, privilegedHolders } from "../../app/staff/roles.ts";
import { roleLabels } from "../../domain/roles.ts";
import type { AppEnv } from "../env.ts";
import { actorOf, csrfOf, done, intParam, render } from "../render.tsx";
import { Badge, Csrf } from "../views/components.tsx";
import { DateText, DateTime } from "../views/dates.tsx";

const sourceLabel: Record<PrivilegedHolder["source"], string> = {
  post: "職による",
  acting: "職務代理・事務取扱",
  assignment: "割り当て",
};

export function roleRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/roles", async (c) => {
    const actor = actorOf(c);
    const page = await privilegedHolders(c.var.app, { actor });
    const csrf = csrfOf(c);
    return render(
      c,
      "特権の保有者",
      <>
        <h1>特権の保有者</h1>
        <p>
          システムを管理する役割と、違反の記録・監査ログを扱う役割を、いま誰がいつから担っているかの一覧です。総合政策部長と情報統括管理者は職から決まり（第4-1(2)）、監査担当はシステム管理者が提案して総合政策部長または情報統括管理者が承認したときだけ、期限まで有効になります。
        </p>
        {page.proposals.length > 0 ? (
          <section aria-labelledby="proposals-title">
            <h2 id="proposals-title">承認待ちの提案</h2>
            <div class="table-wrap">
              <table>
                <caption>{`承認待ち（${page.proposals.length}件）`}</caption>
                <thead>
                  <tr>
                    <th scope="col">役割</th>
                    <th scope="col">職員</th>
                    <th scope="col">期限（最終日）</th>
                    <th scope="col">提案</th>
                    <th scope="col">操作</th>
                  </tr>
                </thead>
                <tbody>
                  {page.proposals.map((p) => (
                    <tr>
                      <td>{roleLabels[p.role]}</td>
                      <td>
                        <a href={`/staff/${p.staffId}`}>{p.name}</a>（{p.employeeNo}）
                      </td>
                      <td>{p.validUntil ? <DateText date={p.validUntil} /> : "—"}</td>
                      <td>
                        {p.proposedBy ?? "—"}（<DateTime at={p.proposedAt} />）
                      </td>
                      <td>
                        {p.canDecide ? (
                          <div class="actions">
                            <form method="post" action={`/roles/proposals/${p.id}/approve`}>
                              <Csrf token={csrf} />
                              <button
                                type="submit"
                                aria-label={`${p.name}さんの${roleLabels[p.role]}を承認する`}
                              >
                                承認する
                              </button>
                            </form>
                            <form method="post" action={`/roles/proposals/${p.id}/decline`}>
                              <Csrf token={csrf} />
                              <button
                                type="submit"
                                class="secondary"
                                aria-label={`${p.name}さんの${roleLabels[p.role]}を却下する`}
                              >
                                却下する
                              </button>
                            </form>
                          </div>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ) : null}
        {page.roles.map((role) => (
          <section aria-labelledby={`role-${role.role}`}>
            <h2 id={`role-${role.role}`}>{role.label}</h2>
            {role.office ? <p>{role.office}の職にある職員が担います。</p> : null}
            {role.warning ? (
              <div class="notice notice-warning" role="status">
                <p>{role.warning}</p>
              </div>
            ) : null}
            {role.holders.length === 0 ? (
              <p>該当する職員はいません。</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <caption>{`${role.label}（${role.holders.length}人）`}</caption>
                  <thead>
                    <tr>
                      <th scope="col">職員</th>
                      <th scope="col">根拠</th>
                      <th scope="col">いつから</th>
                      <th scope="col">いつまで</th>
                      <th scope="col">提案・承認・登録</th>
                    </tr>
                  </thead>
                  <tbody>
                    {role.holders.map((h) => (
                      <tr>
                        <td>
                          <a href={`/staff/${h.staffId}`}>{h.name}</a>（{h.employeeNo}）
                        </td>
                        <td>
                          {h.source === "acting" ? (
                            <Badge tone="warn">{sourceLabel[h.source]}</Badge>
                          ) : (
                            sourceLabel[h.source]
                          )}
                          {h.actingFor ? `: ${h.actingFor}` : ""}
                        </td>
                        <td>
                          <DateText date={h.since} />
                        </td>
                        <td>{h.until ? <DateText date={h.until} /> : "—"}</td>
                        <td>
                          {[
                            h.proposedBy ? `${h.source === "acting" ? "登録" : "提案"}: ${h.proposedBy}` : "",
                            h.approvedBy ? `承認: ${h.approvedBy}` : "",
                          ]
                            .filter((x) => x !== "")
                            .join("、") || "—"}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))}
      </>,
    );
  });

  r.post("/roles/proposals/:id/approve", async (c) => {
    await approveRole(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return done(c, "/roles", "承認しました。期限までの間、この役割が有効になります。");
  });

  r.post("/roles/proposals/:id/decline", async (c) => {
    await declineRole(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return done(c, "/roles", "提案を却下しました。");
  });

  return r;
}
