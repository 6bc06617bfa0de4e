/**
 * The 役割 section of a person's page: the roles they hold today (from the post, from standing in
 * for someone, assigned), the assignments with their state (承認待ち, 期限), the acting periods
 * (職務代理・事務取扱), and for the administrator the forms to assign a role and record an acting
 * period. Roles a post carries are not offered for assignment (4.1.2, 4.1.4).
 */
import type { FC } from "hono/jsx";
import { actingKinds } from "../../app/staff/acting.ts";
import type { ActingView, RoleAssignment } from "../../db/repos/staff.ts";
import { assignableRoles, isOversightRole, isRole, type RoleGrant, roleLabels } from "../../domain/roles.ts";
import {
  Badge,
  Csrf,
  ErrorSummary,
  type FormState,
  type Option,
  SelectField,
  TextField,
} from "../views/components.tsx";
import { DateText } from "../views/dates.tsx";
import { type OrgNames, RoleList } from "../views/roles.tsx";

export type RolesSectionProps = {
  staffId: number;
  grants: RoleGrant[];
  assignments: RoleAssignment[];
  acting: { acting: ActingView[]; absent: ActingView[] };
  names: OrgNames;
  canAssign: boolean;
  csrf: string;
  today: string;
  /** People holding a 部長 or 課長 post, to stand in for. */
  heads: Option[];
  roleForm?: FormState | undefined;
  actingForm?: FormState | undefined;
};

function assignmentState(a: RoleAssignment, today: string) {
  if (a.status === "proposed") return <Badge tone="warn">承認待ち</Badge>;
  if (a.validUntil !== null && a.validUntil < today) return <Badge tone="muted">期限切れ</Badge>;
  return <Badge tone="ok">有効</Badge>;
}

function assignmentScope(a: RoleAssignment, names: OrgNames): string {
  if (a.scopeType === "department" && a.scopeId !== null)
    return names.departments.get(a.scopeId)?.name ?? `部 #${a.scopeId}`;
  if (a.scopeType === "division" && a.scopeId !== null)
    return names.divisions.get(a.scopeId)?.name ?? `課 #${a.scopeId}`;
  return "全庁";
}

const ActingTable: FC<{
  caption: string;
  rows: ActingView[];
  who: (a: ActingView) => string;
  props: RolesSectionProps;
}> = ({ caption, rows, who, props }) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">区分</th>
          <th scope="col">職員</th>
          <th scope="col">職</th>
          <th scope="col">期間</th>
          <th scope="col">理由</th>
          {props.canAssign ? <th scope="col">操作</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr>
            <td>{actingKinds[a.kind === "in_charge" ? "in_charge" : "deputy"]}</td>
            <td>{who(a)}</td>
            <td>
              {a.post.divisionName ?? a.post.departmentName} {a.positionName}
            </td>
            <td>
              <DateText date={a.fromDate} />〜<DateText date={a.untilDate} />
              {a.fromDate <= props.today && props.today <= a.untilDate ? (
                <>
                  {" "}
                  <Badge tone="ok">代理中</Badge>
                </>
              ) : null}
            </td>
            <td>{a.reason || "—"}</td>
            {props.canAssign ? (
              <td>
                <form method="post" action={`/staff/${props.staffId}/acting/${a.id}/revoke`}>
                  <Csrf token={props.csrf} />
                  <button
                    type="submit"
                    class="secondary"
                    aria-label={`${who(a)}（${actingKinds[a.kind === "in_charge" ? "in_charge" : "deputy"]}）を取り消す`}
                  >
                    取り消す
                  </button>
                </form>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

export const RolesSection: FC<RolesSectionProps> = (props) => {
  const { names, csrf } = props;
  const divisionOptions = [...names.divisions.values()].map((d) => ({
    value: `division:${d.id}`,
    label: `課: ${d.name}`,
  }));
  const departmentOptions = [...names.departments.values()].map((d) => ({
    value: `department:${d.id}`,
    label: `部: ${d.name}`,
  }));
  return (
    <>
      <section aria-labelledby="roles-title">
        <h2 id="roles-title">役割</h2>
        <RoleList grants={props.grants} names={names} />
        {props.canAssign && props.assignments.length > 0 ? (
          <div class="table-wrap">
            <table>
              <caption>割り当てた役割</caption>
              <thead>
                <tr>
                  <th scope="col">役割</th>
                  <th scope="col">範囲</th>
                  <th scope="col">状態</th>
                  <th scope="col">期限（最終日）</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {props.assignments.map((a) => {
                  const label = isRole(a.role) ? roleLabels[a.role] : a.role;
                  return (
                    <tr>
                      <td>{label}</td>
                      <td>{assignmentScope(a, names)}</td>
                      <td>{assignmentState(a, props.today)}</td>
                      <td>{a.validUntil ? <DateText date={a.validUntil} /> : "—"}</td>
                      <td>
                        <form method="post" action={`/staff/${props.staffId}/roles/${a.id}/revoke`}>
                          <Csrf token={csrf} />
                          <button type="submit" class="secondary" aria-label={`${label}の割り当てを外す`}>
                            {a.status === "proposed" ? "提案を取り下げる" : "外す"}
                          </button>
                        </form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        {props.canAssign ? (
          <>
            <h3>役割を割り当てる</h3>
            <p>
              部等の長（情報管理者）、課等の長（アカウント管理者）、総合政策部長、情報統括管理者（総務部長）の役割は職から決まるため、ここでは割り当てられません（第4-1(2)、第4-1(4)）。不在の間は、下の「職務代理・事務取扱」を登録してください。
            </p>
            <p>
              監査担当は期限（最終日）を指定して提案し、総合政策部長または情報統括管理者が承認すると有効になります。システム管理者には割り当てられません。
            </p>
            <ErrorSummary state={props.roleForm} />
            <form method="post" action={`/staff/${props.staffId}/roles`} class="stack" novalidate>
              <Csrf token={csrf} />
              <SelectField
                name="role"
                label="役割"
                options={assignableRoles.map((role) => ({ value: role, label: roleLabels[role] }))}
                blank="選択してください"
                state={props.roleForm}
                required
              />
              <SelectField
                name="scope"
                label="範囲"
                hint="ふるさと発信課長（協議先）・システム管理者・監査担当は「全庁」、協議会メンバーは「部」、運用に携わる職員は「課」を選びます。"
                options={[{ value: "global", label: "全庁" }, ...departmentOptions, ...divisionOptions]}
                state={props.roleForm}
                required
              />
              <TextField
                name="validUntil"
                label="期限（最終日）"
                type="date"
                hint={`${assignableRoles
                  .filter(isOversightRole)
                  .map((r) => roleLabels[r])
                  .join("・")}は必須です。`}
                state={props.roleForm}
              />
              <div class="actions">
                <button type="submit">割り当てる</button>
              </div>
            </form>
          </>
        ) : null}
      </section>
      <section aria-labelledby="acting-title">
        <h2 id="acting-title">職務代理・事務取扱</h2>
        {props.acting.acting.length === 0 && props.acting.absent.length === 0 ? (
          <p>登録されている職務代理・事務取扱はありません。</p>
        ) : null}
        {props.acting.acting.length > 0 ? (
          <ActingTable
            caption="この職員が代理する職"
            rows={props.acting.acting}
            who={(a) => `${a.absentName}さんの代理`}
            props={props}
          />
        ) : null}
        {props.acting.absent.length > 0 ? (
          <ActingTable
            caption="この職員の職を代理する職員"
            rows={props.acting.absent}
            who={(a) => `${a.actingName}さん`}
            props={props}
          />
        ) : null}
        {props.canAssign ? (
          <>
            <h3>この職員を職務代理・事務取扱にする</h3>
            <p>
              部等の長・課等の長が不在の間、この職員がその職の役割（部等の長（情報管理者）、課等の長（アカウント管理者）、総合政策部長、情報統括管理者）を期間に限って担います。誰の代理かと期間は記録され、監査ログに残ります。
            </p>
            <ErrorSummary state={props.actingForm} />
            <form method="post" action={`/staff/${props.staffId}/acting`} class="stack" novalidate>
              <Csrf token={csrf} />
              <SelectField
                name="absentStaffId"
                label="代理される職員（部等の長・課等の長）"
                options={props.heads}
                blank="選択してください"
                state={props.actingForm}
                required
              />
              <SelectField
                name="kind"
                label="区分"
                options={[
                  { value: "deputy", label: actingKinds.deputy },
                  { value: "in_charge", label: actingKinds.in_charge },
                ]}
                state={props.actingForm}
                required
              />
              <TextField name="fromDate" label="開始日" type="date" state={props.actingForm} required />
              <TextField name="untilDate" label="終了日" type="date" state={props.actingForm} required />
              <TextField name="reason" label="理由" hint="例: 出張のため" state={props.actingForm} />
              <div class="actions">
                <button type="submit">登録する</button>
              </div>
            </form>
          </>
        ) : null}
      </section>
    </>
  );
};
