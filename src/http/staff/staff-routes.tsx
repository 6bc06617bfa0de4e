/**
 * Staff pages: the directory (search, filter, pages), a person's page (placement, roles, acting
 * periods, transfers, sign-in status), adding and editing people, assigning roles and recording
 * acting periods (職務代理・事務取扱), issuing password links; and the oversight page (/roles).
 */
import { Hono } from "hono";
import { endSessionsOfPerson } from "../../app/auth/session-list.ts";
import { issuePasswordLink } from "../../app/auth/sessions.ts";
import { resetTwoFactor } from "../../app/auth/two-factor.ts";
import { actingFor, recordActing, revokeActing } from "../../app/staff/acting.ts";
import { staffDirectoryPage } from "../../app/staff/directory-cache.ts";
import { createStaff, getStaff, setStaffActive, updateStaff } from "../../app/staff/people.ts";
import { assignRole, listAssignments, revokeRole, rolesOf } from "../../app/staff/roles.ts";
import { listTransfers } from "../../app/staff/transfers.ts";
import { findCredentials } from "../../db/repos/auth.ts";
import { activeHeads, type StaffView } from "../../db/repos/staff.ts";
import { formatDateTime, tokyoDate } from "../../domain/dates.ts";
import { can } from "../../domain/policy.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { orgNames } from "../org-names.ts";
import { placementOptions } from "../placement.ts";
import {
  actorOf,
  csrfOf,
  done,
  formBody,
  intParam,
  keptHtmlHere,
  render,
  renderWithKept,
  submit,
} from "../render.tsx";
import { type CardColumn, cardTable, html, rendered } from "../views/card-table.ts";
import {
  Badge,
  Checkbox,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  type FormValues,
  type Option,
  Pagination,
  SelectField,
  TextField,
} from "../views/components.tsx";
import { DateText } from "../views/dates.tsx";
import { labelTableCells } from "../views/table-cards.ts";
import { roleRoutes } from "./role-routes.tsx";
import { RolesSection } from "./staff-roles-section.tsx";

const PAGE_SIZE = 50;

/** The state badges, rendered once. */
const stateBadges = {
  active: rendered(<Badge tone="ok">在職</Badge>),
  inactive: rendered(<Badge tone="muted">無効</Badge>),
};

/** The staff directory's columns (card-table.ts: its 50 rows are the most rendered HTML of the staff pages). */
const staffColumns: ReadonlyArray<CardColumn<StaffView>> = [
  { heading: "職員番号", className: "mono", cell: (s) => s.employeeNo },
  {
    heading: "氏名",
    cell: (s) =>
      html`<a href="/staff/${s.id}">${s.name}</a>${s.kana ? html`<div class="hint">${s.kana}</div>` : null}`,
  },
  { heading: "所属", cell: (s) => `${s.departmentName}${s.divisionName ? ` ${s.divisionName}` : ""}` },
  { heading: "職", cell: (s) => s.positionName },
  { heading: "メールアドレス", cell: (s) => s.email },
  { heading: "状態", cell: (s) => (s.active ? stateBadges.active : stateBadges.inactive) },
];

/** Department / division / position selects shared by the staff and transfer forms. */
export const PlacementFields = (props: {
  options: { departments: Option[]; divisions: Option[]; positions: Option[] };
  state: FormState;
  prefix?: "" | "to";
}) => {
  const name = (field: "departmentId" | "divisionId" | "positionId") =>
    props.prefix === "to" ? `to${field[0]?.toUpperCase()}${field.slice(1)}` : field;
  return (
    <>
      <SelectField
        name={name("departmentId")}
        label="部"
        options={props.options.departments}
        blank="選択してください"
        state={props.state}
        required
      />
      <SelectField
        name={name("divisionId")}
        label="課"
        options={props.options.divisions}
        blank="（課に属さない: 部長など）"
        hint="選んだ部の課を選んでください。課長は課が必須です。"
        state={props.state}
      />
      <SelectField
        name={name("positionId")}
        label="職"
        options={props.options.positions}
        blank="選択してください"
        state={props.state}
        required
      />
    </>
  );
};

export function staffRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/staff", async (c) => {
    const actor = actorOf(c);
    const ctx = c.var.app;
    const page = Math.max(1, Number(c.req.query("page") ?? "1") || 1);
    const q = c.req.query("q")?.trim() ?? "";
    const departmentId = Number(c.req.query("department") ?? "") || undefined;
    const status = c.req.query("status") ?? "active";
    const version = c.var.session?.staffDirectoryVersion ?? null;
    const manage = can(actor, "staff.manage");
    const exportable = can(actor, "staff.export");
    const filter = {
      text: q || undefined,
      departmentId,
      active: status === "all" ? undefined : status === "active",
    };
    const body = await staffDirectoryPage(ctx, {
      actor,
      filter,
      page: { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
      version,
      // The buttons this viewer may use, and the status as asked (the form shows it).
      variant: `${Number(manage)}${Number(exportable)}\u0000${status}`,
      render: async ({ rows, total }) => {
        const options = await placementOptions(ctx, version);
        const html = (
          <>
            <h1>職員の一覧</h1>
            <div class="actions">
              {manage ? (
                <>
                  <a class="button" href="/staff/new">
                    職員を追加
                  </a>
                  <a class="button secondary" href="/staff/import">
                    CSVから取り込む
                  </a>
                </>
              ) : null}
              {exportable ? (
                <a class="button secondary" href="/staff/export.csv">
                  CSVで書き出す
                </a>
              ) : null}
            </div>
            <form method="get" action="/staff" class="filters" aria-label="職員の検索">
              <TextField name="q" label="氏名・ふりがな・職員番号・メール" type="search" value={q} />
              <SelectField
                name="department"
                label="部"
                options={options.departments}
                blank="すべて"
                value={departmentId ? String(departmentId) : ""}
              />
              <SelectField
                name="status"
                label="状態"
                options={[
                  { value: "active", label: "在職" },
                  { value: "inactive", label: "無効（退職等）" },
                  { value: "all", label: "すべて" },
                ]}
                value={status}
              />
              <button type="submit">検索</button>
            </form>
            <div class="table-wrap">
              {cardTable({ caption: `検索結果 ${total}件`, columns: staffColumns, rows })}
            </div>
            <Pagination
              basePath="/staff"
              query={{ q, department: departmentId ? String(departmentId) : undefined, status }}
              page={page}
              pageSize={PAGE_SIZE}
              total={total}
            />
          </>
        );
        return { total, html: Buffer.from(labelTableCells(String(html))) };
      },
    });
    return renderWithKept(c, "職員の一覧", keptHtmlHere, body.html);
  });

  const staffForm = async (
    c: HttpContext,
    mode: { id?: number },
    state: FormState,
    status: 200 | 409 | 422 = 200,
  ) => {
    const options = await placementOptions(c.var.app);
    const editing = mode.id !== undefined;
    const title = editing ? "職員情報の編集" : "職員の追加";
    return render(
      c,
      title,
      <>
        <h1>{title}</h1>
        {editing ? (
          <p>
            異動による所属・職の変更は「人事異動」から登録してください（パスワード変更タスクなどが自動で作られます）。ここでの変更は登録内容の訂正として扱います。
          </p>
        ) : (
          <p>追加した職員には、パスワード設定用のリンクを職員の詳細画面から発行します。</p>
        )}
        <ErrorSummary state={state} />
        <form method="post" action={editing ? `/staff/${mode.id}` : "/staff"} class="stack" novalidate>
          <Csrf token={csrfOf(c)} />
          <TextField name="employeeNo" label="職員番号" state={state} required />
          <TextField
            name="name"
            label="氏名"
            hint="例: 磐城 太郎"
            state={state}
            required
            autocomplete="off"
          />
          <TextField name="kana" label="ふりがな" hint="例: いわき たろう" state={state} />
          <TextField
            name="email"
            label="メールアドレス"
            type="email"
            state={state}
            required
            autocomplete="off"
          />
          <PlacementFields options={options} state={state} />
          <Checkbox
            name="active"
            label="在職（チェックを外すとログインできなくなります）"
            checked={state.values.active !== "off"}
          />
          <div class="actions">
            <button type="submit">{editing ? "保存する" : "追加する"}</button>
            <a href={editing ? `/staff/${mode.id}` : "/staff"}>キャンセル</a>
          </div>
        </form>
      </>,
      status,
    );
  };

  const withActive = (values: FormValues): FormValues => ({
    ...values,
    active: values.active === "on" ? "on" : "off",
  });

  r.get("/staff/new", (c) => staffForm(c, {}, emptyForm({ active: "on" })));

  r.post("/staff", async (c) => {
    const values = withActive(await formBody(c));
    const result = await submit(values, () => createStaff(c.var.app, { actor: actorOf(c), input: values }));
    if (!result.ok) return staffForm(c, {}, result.state, result.status);
    return done(
      c,
      `/staff/${result.result.id}`,
      `${result.result.name}さんを登録しました。パスワード設定用のリンクを発行してください。`,
    );
  });

  r.get("/staff/:id/edit", async (c) => {
    const person = await getStaff(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("id")) });
    return staffForm(
      c,
      { id: person.id },
      emptyForm({
        employeeNo: person.employeeNo,
        name: person.name,
        kana: person.kana,
        email: person.email,
        departmentId: String(person.departmentId),
        divisionId: person.divisionId ? String(person.divisionId) : "",
        positionId: String(person.positionId),
        active: person.active ? "on" : "off",
      }),
    );
  });

  r.post("/staff/:id", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = withActive(await formBody(c));
    const result = await submit(values, () =>
      updateStaff(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!result.ok) return staffForm(c, { id }, result.state, result.status);
    return done(c, `/staff/${id}`, "職員情報を保存しました。");
  });

  const detail = async (
    c: HttpContext,
    extras: {
      link?: string;
      tokensRevoked?: number;
      roleForm?: FormState;
      actingForm?: FormState;
    } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const actor = actorOf(c);
    const ctx = c.var.app;
    const id = intParam(c.req.param("id"));
    const person = await getStaff(ctx, { actor, id });
    const [names, grants, assignments, acting, credentials] = await Promise.all([
      orgNames(ctx, c.var.session?.staffDirectoryVersion ?? null),
      rolesOf(ctx, { actor, staffId: id }),
      listAssignments(ctx, { actor, staffId: id }),
      actingFor(ctx, { actor, staffId: id }),
      findCredentials(ctx.db, id),
    ]);
    const transfers = can(actor, "transfer.read") ? await listTransfers(ctx, { actor, staffId: id }) : [];
    const manage = can(actor, "staff.manage");
    const assign = can(actor, "role.assign");
    const resetAllowed = can(actor, "user.reset_password");
    const csrf = csrfOf(c);
    const heads = assign
      ? (await activeHeads(ctx.db))
          .filter((h) => h.person.id !== id)
          .map((h) => ({
            value: String(h.person.id),
            label: `${h.person.name}（${h.placement.divisionName ?? h.placement.departmentName}）`,
          }))
      : [];
    return render(
      c,
      `${person.name}さん`,
      <>
        <h1>{person.name} さん</h1>
        {extras.link ? (
          <div class="notice notice-success" role="status">
            <h2>パスワード設定用リンクを発行しました</h2>
            <p>
              次のリンクを本人に安全な方法（庁内メールなど）で伝えてください。リンクは一度だけ使え、この画面を離れると再表示できません。
            </p>
            <p class="secret">{extras.link}</p>
            {extras.tokensRevoked ? (
              <p>この職員のAPIトークン（{extras.tokensRevoked}件）も無効にしました。</p>
            ) : null}
          </div>
        ) : null}
        <dl class="facts">
          <dt>職員番号</dt>
          <dd class="mono">{person.employeeNo}</dd>
          <dt>ふりがな</dt>
          <dd>{person.kana || "—"}</dd>
          <dt>メールアドレス</dt>
          <dd>{person.email}</dd>
          <dt>所属</dt>
          <dd>
            {person.departmentName}
            {person.divisionName ? ` ${person.divisionName}` : ""}
          </dd>
          <dt>職</dt>
          <dd>{person.positionName}</dd>
          <dt>状態</dt>
          <dd>
            {person.active ? <Badge tone="ok">在職</Badge> : <Badge tone="muted">無効（ログイン不可）</Badge>}
          </dd>
          {manage || resetAllowed ? (
            <>
              <dt>パスワード</dt>
              <dd>
                {credentials?.passwordHash
                  ? `設定済み（${credentials.passwordChangedAt ? formatDateTime(credentials.passwordChangedAt) : ""}）`
                  : "未設定"}
              </dd>
              <dt>2段階認証</dt>
              <dd>{credentials?.totpEnabledAt ? "有効" : "無効"}</dd>
            </>
          ) : null}
        </dl>
        {manage ? (
          <div class="actions">
            <a class="button secondary" href={`/staff/${id}/edit`}>
              編集
            </a>
            <a class="button secondary" href={`/transfers/new?staffId=${id}`}>
              人事異動を登録
            </a>
            <form method="post" action={`/staff/${id}/${person.active ? "deactivate" : "activate"}`}>
              <Csrf token={csrf} />
              <button type="submit" class={person.active ? "danger" : "secondary"}>
                {person.active ? "無効にする（退職等）" : "在職に戻す"}
              </button>
            </form>
          </div>
        ) : null}
        {resetAllowed && person.active ? (
          <p>
            「この人のすべての端末をログアウトさせる」は、この人がいまログインしているすべての端末（パソコンやスマートフォン）をログアウトさせます。APIトークンは無効になりません（本人がアカウント設定で無効にします）。
          </p>
        ) : null}
        {/* A reset means the old factor may be compromised: tokens are revoked too (ASVS 7.4.3). */}
        {resetAllowed && person.active && credentials?.passwordHash ? (
          <p>
            {credentials.totpEnabledAt
              ? "「パスワード再設定用リンクを発行」と「2段階認証をリセット」は"
              : "「パスワード再設定用リンクを発行」は"}
            、パスワードやスマートフォンが他の人の手に渡ったおそれがあるときの操作のため、この人のすべての端末をログアウトさせ、この人のAPIトークンもすべて無効にします。
          </p>
        ) : null}
        {resetAllowed && person.active ? (
          <div class="actions">
            <form method="post" action={`/staff/${id}/password-link`}>
              <Csrf token={csrf} />
              <button type="submit" class="secondary">
                {credentials?.passwordHash
                  ? "パスワード再設定用リンクを発行"
                  : "パスワード設定用リンクを発行"}
              </button>
            </form>
            <form method="post" action={`/staff/${id}/end-sessions`}>
              <Csrf token={csrf} />
              <button type="submit" class="secondary">
                この人のすべての端末をログアウトさせる
              </button>
            </form>
            {credentials?.totpEnabledAt ? (
              <form method="post" action={`/staff/${id}/reset-2fa`}>
                <Csrf token={csrf} />
                <button type="submit" class="secondary">
                  2段階認証をリセット
                </button>
              </form>
            ) : null}
          </div>
        ) : null}
        <RolesSection
          staffId={id}
          grants={grants}
          assignments={assignments}
          acting={acting}
          names={names}
          canAssign={assign}
          csrf={csrf}
          today={tokyoDate(ctx.clock.now())}
          heads={heads}
          roleForm={extras.roleForm}
          actingForm={extras.actingForm}
        />
        {transfers.length > 0 ? (
          <section aria-labelledby="transfers-title">
            <h2 id="transfers-title">人事異動の履歴</h2>
            <ul>
              {transfers.map((t) => (
                <li>
                  <DateText date={t.effectiveDate} />: {names.departments.get(t.toDepartmentId)?.name ?? ""}
                  {t.toDivisionId ? ` ${names.divisions.get(t.toDivisionId)?.name ?? ""}` : ""}へ（
                  {t.status === "applied" ? "発令済み" : t.status === "scheduled" ? "発令予定" : "取消"}）
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </>,
      status,
    );
  };

  r.get("/staff/:id", (c) => detail(c));

  r.post("/staff/:id/deactivate", async (c) => {
    const id = intParam(c.req.param("id"));
    await setStaffActive(c.var.app, { actor: actorOf(c), id, active: false });
    return done(c, `/staff/${id}`, "職員を無効にしました。この職員のログインはすべて終了しました。");
  });

  r.post("/staff/:id/activate", async (c) => {
    const id = intParam(c.req.param("id"));
    await setStaffActive(c.var.app, { actor: actorOf(c), id, active: true });
    return done(c, `/staff/${id}`, "職員を在職に戻しました。");
  });

  r.post("/staff/:id/password-link", async (c) => {
    const id = intParam(c.req.param("id"));
    const actor = actorOf(c);
    const link = await issuePasswordLink(c.var.app, { actor, staffId: id });
    c.header("Cache-Control", "no-store");
    return detail(c, { link: link.url, tokensRevoked: link.tokensRevoked });
  });

  r.post("/staff/:id/end-sessions", async (c) => {
    const id = intParam(c.req.param("id"));
    const ended = await endSessionsOfPerson(c.var.app, {
      actor: actorOf(c),
      staffId: id,
      keepIdHash: c.var.session?.idHash,
    });
    return done(
      c,
      `/staff/${id}`,
      ended > 0
        ? `この職員の端末（${ended}台）をログアウトさせました。APIトークンは有効なままです。`
        : "この職員がログインしている端末はありませんでした。",
    );
  });

  r.post("/staff/:id/reset-2fa", async (c) => {
    const id = intParam(c.req.param("id"));
    const { tokensRevoked } = await resetTwoFactor(c.var.app, { actor: actorOf(c), staffId: id });
    return done(
      c,
      `/staff/${id}`,
      `2段階認証をリセットしました。この職員のすべての端末をログアウトさせ、${
        tokensRevoked > 0
          ? `APIトークン（${tokensRevoked}件）も無効にしました`
          : "有効なAPIトークンはありませんでした"
      }。次回のログイン後に2段階認証を設定し直す必要があります。`,
    );
  });

  r.post("/staff/:id/roles", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const [scopeType, scopeId] = (values.scope ?? "global").split(":");
    const input = {
      staffId: id,
      role: values.role,
      scopeType,
      scopeId: scopeId ?? "",
      validUntil: values.validUntil ?? "",
    };
    const result = await submit(values, () => assignRole(c.var.app, { actor: actorOf(c), input }));
    if (!result.ok) {
      const issues = result.state.issues.map((i) =>
        i.field === "scopeType" || i.field === "scopeId" ? { ...i, field: "scope" } : i,
      );
      return detail(c, { roleForm: { ...result.state, issues } }, result.status);
    }
    return done(
      c,
      `/staff/${id}`,
      result.result.status === "proposed"
        ? "役割を提案しました。総合政策部長または情報統括管理者が承認すると有効になります。"
        : "役割を割り当てました。",
    );
  });

  r.post("/staff/:id/roles/:assignment/revoke", async (c) => {
    const id = intParam(c.req.param("id"));
    await revokeRole(c.var.app, { actor: actorOf(c), assignmentId: intParam(c.req.param("assignment")) });
    return done(c, `/staff/${id}`, "役割の割り当てを外しました。");
  });

  r.post("/staff/:id/acting", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const input = { ...values, staffId: id };
    const result = await submit(values, () => recordActing(c.var.app, { actor: actorOf(c), input }));
    if (!result.ok) return detail(c, { actingForm: result.state }, result.status);
    return done(c, `/staff/${id}`, "職務代理・事務取扱を登録しました。");
  });

  r.post("/staff/:id/acting/:acting/revoke", async (c) => {
    const id = intParam(c.req.param("id"));
    await revokeActing(c.var.app, { actor: actorOf(c), id: intParam(c.req.param("acting")) });
    return done(c, `/staff/${id}`, "職務代理・事務取扱を取り消しました。");
  });

  r.route("/", roleRoutes());

  return r;
}
