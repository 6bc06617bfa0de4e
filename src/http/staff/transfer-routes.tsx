/**
 * 人事異動 pages: the list of scheduled and recent transfers, and the form to record one.
 */
import { Hono } from "hono";
import { cancelTransfer, listTransfers, recordTransfer } from "../../app/staff/transfers.ts";
import { allStaff, findStaffByEmployeeNo, findStaffView } from "../../db/repos/staff.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { can } from "../../domain/policy.ts";
import { validation } from "../../errors.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { placementOptions } from "../placement.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import {
  Badge,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  SelectField,
  TextArea,
  TextField,
} from "../views/components.tsx";
import { DateText } from "../views/dates.tsx";
import { PlacementFields } from "./staff-routes.tsx";

const statusBadge = (status: string) =>
  status === "applied" ? (
    <Badge tone="ok">発令済み</Badge>
  ) : status === "scheduled" ? (
    <Badge tone="warn">発令予定</Badge>
  ) : (
    <Badge tone="muted">取消</Badge>
  );

export function transferRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/transfers", async (c) => {
    const actor = actorOf(c);
    const ctx = c.var.app;
    const status = c.req.query("status") ?? "";
    const [transfers, opts, people] = await Promise.all([
      listTransfers(ctx, { actor, status: status || undefined }),
      placementOptions(ctx),
      allStaff(ctx.db),
    ]);
    const personName = new Map(people.map((p) => [p.id, p.name]));
    const manage = can(actor, "transfer.manage");
    const csrf = csrfOf(c);
    return render(
      c,
      "人事異動",
      <>
        <h1>人事異動</h1>
        <p>
          異動が発令されると、異動した職員は新しい所属の課以外のアカウントの運用に携わる職員・ID・パスワードを扱う職員・代理者から外れ、アカウント管理者に一覧の確認とパスワード変更のタスク（第4-1(3)、第4-3(2)）が届きます。課長の交代によるアカウント管理者の引継ぎ（第4-1(4)）も自動で始まり、職から決まる役割（部等の長（情報管理者）・課等の長（アカウント管理者）・総合政策部長・情報統括管理者）は新しい職に従います。発令日が未来の異動は、その日になると自動で反映されます。
        </p>
        {manage ? (
          <p class="actions">
            <a class="button" href="/transfers/new">
              人事異動を登録
            </a>
          </p>
        ) : null}
        <form method="get" action="/transfers" class="filters" aria-label="人事異動の絞り込み">
          <SelectField
            name="status"
            label="状態"
            options={[
              { value: "scheduled", label: "発令予定" },
              { value: "applied", label: "発令済み" },
              { value: "cancelled", label: "取消" },
            ]}
            blank="すべて"
            value={status}
          />
          <button type="submit">絞り込む</button>
        </form>
        <div class="table-wrap">
          <table>
            <caption>{`人事異動（${transfers.length}件）`}</caption>
            <thead>
              <tr>
                <th scope="col">発令日</th>
                <th scope="col">職員</th>
                <th scope="col">異動前</th>
                <th scope="col">異動後</th>
                <th scope="col">状態</th>
                {manage ? <th scope="col">操作</th> : null}
              </tr>
            </thead>
            <tbody>
              {transfers.map((t) => (
                <tr>
                  <td>
                    <DateText date={t.effectiveDate} />
                  </td>
                  <td>
                    <a href={`/staff/${t.staffId}`}>{personName.get(t.staffId) ?? `#${t.staffId}`}</a>
                  </td>
                  <td>
                    {t.fromDepartmentId ? opts.names.departments.get(t.fromDepartmentId) : ""}
                    {t.fromDivisionId ? ` ${opts.names.divisions.get(t.fromDivisionId) ?? ""}` : ""}
                    {t.fromPositionId ? ` ${opts.names.positions.get(t.fromPositionId) ?? ""}` : ""}
                  </td>
                  <td>
                    {opts.names.departments.get(t.toDepartmentId)}
                    {t.toDivisionId ? ` ${opts.names.divisions.get(t.toDivisionId) ?? ""}` : ""}{" "}
                    {opts.names.positions.get(t.toPositionId)}
                  </td>
                  <td>{statusBadge(t.status)}</td>
                  {manage ? (
                    <td>
                      {t.status === "scheduled" ? (
                        <form method="post" action={`/transfers/${t.id}/cancel`}>
                          <Csrf token={csrf} />
                          <button
                            type="submit"
                            class="secondary"
                            aria-label={`${personName.get(t.staffId) ?? ""}さんの異動を取り消す`}
                          >
                            取り消す
                          </button>
                        </form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>,
    );
  });

  const form = async (c: HttpContext, state: FormState, status: 200 | 409 | 422 = 200) => {
    const opts = await placementOptions(c.var.app);
    return render(
      c,
      "人事異動の登録",
      <>
        <h1>人事異動の登録</h1>
        <ErrorSummary state={state} />
        <form method="post" action="/transfers" class="stack" novalidate>
          <Csrf token={csrfOf(c)} />
          <TextField
            name="employeeNo"
            label="職員番号"
            hint="異動する職員の職員番号"
            state={state}
            required
          />
          <TextField name="effectiveDate" label="発令日" type="date" state={state} required />
          <PlacementFields options={opts} state={state} prefix="to" />
          <TextArea name="note" label="備考" rows={3} state={state} />
          <div class="actions">
            <button type="submit">登録する</button>
            <a href="/transfers">キャンセル</a>
          </div>
        </form>
      </>,
      status,
    );
  };

  r.get("/transfers/new", async (c) => {
    const staffId = Number(c.req.query("staffId") ?? "");
    const person = staffId ? await findStaffView(c.var.app.db, staffId) : undefined;
    return form(
      c,
      emptyForm({
        employeeNo: person?.employeeNo,
        effectiveDate: tokyoDate(c.var.app.clock.now()),
        toDepartmentId: person ? String(person.departmentId) : undefined,
        toDivisionId: person?.divisionId ? String(person.divisionId) : undefined,
        toPositionId: person ? String(person.positionId) : undefined,
      }),
    );
  });

  r.post("/transfers", async (c) => {
    const values = await formBody(c);
    const result = await submit(values, async () => {
      const person = await findStaffByEmployeeNo(
        c.var.app.db,
        (values.employeeNo ?? "").normalize("NFKC").trim(),
      );
      if (!person)
        throw validation("職員番号に該当する職員がいません。", [
          { field: "employeeNo", message: "職員番号に該当する職員がいません。" },
        ]);
      return recordTransfer(c.var.app, { actor: actorOf(c), input: { ...values, staffId: person.id } });
    });
    if (!result.ok) return form(c, result.state, result.status);
    const applied = result.result.status === "applied";
    return done(
      c,
      "/transfers",
      applied ? "人事異動を登録し、反映しました。" : "人事異動を登録しました。発令日に自動で反映されます。",
    );
  });

  r.post("/transfers/:id/cancel", async (c) => {
    await cancelTransfer(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return done(c, "/transfers", "人事異動を取り消しました。");
  });

  return r;
}
