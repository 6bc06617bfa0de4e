/**
 * Official accounts, staff side: the registry (filter, CSV), applying for an account (起案),
 * the approval steps (4.1.2), registering the real account, starting operation, and the
 * operator list. Each page shows what the signed-in person may do next and nothing else.
 */
import { Hono } from "hono";
import {
  confirmSecurityNotice,
  decideApplication,
  draftApplication,
  mayDecide,
  submissionProblems,
  submitApplication,
  updateApplication,
} from "../../app/accounts/application.ts";
import { applicationDocument } from "../../app/accounts/document.ts";
import { decideExistingAccount, EXISTING_LABEL, recordExistingAccount } from "../../app/accounts/existing.ts";
import { exportRegistry } from "../../app/accounts/export.ts";
import { accountTarget, getAccount, searchAccounts } from "../../app/accounts/read.ts";
import {
  activateAccount,
  activationProblems,
  registerAccount,
  setAccountOperators,
} from "../../app/accounts/registration.ts";
import { allowed, authorize } from "../../app/authorize.ts";
import type { StaffActor } from "../../app/context.ts";
import { recordDocument } from "../../app/documents/record.ts";
import { canSeeFiling } from "../../app/filings/access.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import {
  findAccount,
  findExisting,
  listEvents,
  listHolders,
  listOperators,
} from "../../db/repos/accounts.ts";
import { listFilings } from "../../db/repos/filings.ts";
import { listDepartments, listDivisions } from "../../db/repos/org.ts";
import { searchStaff } from "../../db/repos/staff.ts";
import { type AccountStatus, accountStatusLabels, isAccountStatus } from "../../domain/accounts.ts";
import { formatDateTime, formatWarekiDate } from "../../domain/dates.ts";
import { filingStatusLabels } from "../../domain/filings.ts";
import { isSetupDepartment } from "../../domain/org.ts";
import { can } from "../../domain/policy.ts";
import { guidelinePack, platformLabel, platforms } from "../../guideline/pack.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formAll, formBody, intParam, render, submit } from "../render.tsx";
import { AccountHeader } from "../views/account-tabs.tsx";
import {
  ApplicationDocumentView,
  ApplicationFields,
  ExistingForm,
  RegistrationFields,
} from "../views/application-views.tsx";
import {
  Badge,
  Checkbox,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  type Option,
  SelectField,
  TextArea,
  TextField,
} from "../views/components.tsx";
import { DateText, DateTime } from "../views/dates.tsx";
import { DocumentNumberPanel } from "../views/document-views.tsx";
import { FilingStatusBadge } from "../views/filing-views.tsx";
import { filingRoutes } from "./filing-routes.tsx";

const platformOptions: Option[] = platforms.map((p) => ({ value: p, label: platformLabel(p) }));

const statusFilters: Array<{ value: string; label: string; statuses: AccountStatus[] }> = [
  {
    value: "applying",
    label: "申請中",
    statuses: ["draft", "pending_department_head", "pending_policy_director", "returned", "existing_pending"],
  },
  { value: "approved", label: "承認済", statuses: ["approved"] },
  { value: "active", label: "運用中", statuses: ["active"] },
  { value: "change_announced", label: "変更予告中", statuses: ["change_announced"] },
  { value: "closure_announced", label: "廃止予告中", statuses: ["closure_announced"] },
  { value: "closed", label: "廃止", statuses: ["closed"] },
  { value: "rejected", label: "却下", statuses: ["rejected"] },
];

function statusTone(status: AccountStatus): "ok" | "warn" | "error" | "muted" {
  if (status === "active") return "ok";
  if (status === "rejected" || status === "closed") return "muted";
  if (status === "returned") return "error";
  return "warn";
}

export const StatusBadges = ({
  account,
}: {
  account: Pick<AccountView, "status" | "securityNotifiedAt" | "securityConfirmedAt" | "origin">;
}) => (
  <>
    <Badge tone={statusTone(account.status)}>{accountStatusLabels[account.status]}</Badge>
    {account.securityNotifiedAt && !account.securityConfirmedAt ? (
      <>
        {" "}
        <Badge tone="warn">届出未確認</Badge>
      </>
    ) : null}
    {account.origin === "existing" ? (
      <>
        {" "}
        <Badge tone="muted">{EXISTING_LABEL}</Badge>
      </>
    ) : null}
  </>
);

function registryFilter(q: Record<string, string>) {
  const status = statusFilters.find((s) => s.value === q.status);
  return {
    departmentId: Number(q.department) || undefined,
    platform: platforms.find((p) => p === q.platform),
    statuses: status?.statuses,
    text: q.q?.trim() || undefined,
  };
}

/** Divisions the person may apply for: their own, and those where they hold a division role. */
async function applyDivisions(c: HttpContext, actor: StaffActor): Promise<Option[]> {
  const [divisions, departments] = await Promise.all([
    listDivisions(c.var.app.db),
    listDepartments(c.var.app.db),
  ]);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  return divisions
    .filter(
      (d) => d.active && can(actor, "account.apply", { divisionId: d.id, departmentId: d.departmentId }),
    )
    .map((d) => ({ value: String(d.id), label: `${deptName.get(d.departmentId) ?? ""} ${d.name}` }));
}

async function divisionStaff(c: HttpContext, divisionId: number) {
  const { rows } = await searchStaff(c.var.app.db, { divisionId, active: true }, { offset: 0, limit: 200 });
  return rows;
}

const StaffChecklist = (props: {
  name: string;
  legend: string;
  hint: string;
  people: Array<{ id: number; name: string; positionName: string; divisionName?: string | null }>;
  checked: number[];
}) => (
  <fieldset class="field">
    <legend>{props.legend}</legend>
    <span class="hint">{props.hint}</span>
    {props.people.length === 0 ? <p>この課に在職している職員がいません。</p> : null}
    {props.people.map((p) => (
      <Checkbox
        name={props.name}
        value={String(p.id)}
        label={`${p.name}（${p.divisionName ? `${p.divisionName} ` : ""}${p.positionName}）`}
        checked={props.checked.includes(p.id)}
      />
    ))}
  </fieldset>
);

/** Only an administrator records existing accounts (403 with the refusal on the audit log otherwise). */
async function authorizeExisting(c: HttpContext): Promise<void> {
  await authorize(c.var.app, actorOf(c), "account.register_existing");
}

export function registryRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/accounts", async (c) => {
    const actor = actorOf(c);
    const q = c.req.query();
    const [accounts, departments, divisionsForApply] = await Promise.all([
      searchAccounts(c.var.app, { actor, filter: registryFilter(q) }),
      listDepartments(c.var.app.db),
      applyDivisions(c, actor),
    ]);
    const exportQuery = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== "")).toString();
    return render(
      c,
      "公式アカウント",
      <>
        <h1>公式アカウント</h1>
        <p>
          公式アカウントは、起案 → 部等の長（情報管理者）の許可 → 総合政策部長の許可 → 取得・登録 →
          情報統括管理者への届出 の順に手続きします（第4-1(2)）。
        </p>
        <div class="actions">
          {divisionsForApply.length > 0 ? (
            <a class="button" href="/accounts/new">
              アカウントの取得を申請（起案）
            </a>
          ) : null}
          {allowed(actor, "account.register_existing") ? (
            <a class="button secondary" href="/accounts/existing/new">
              既存アカウントを登録
            </a>
          ) : null}
          <a class="button secondary" href={`/accounts/export.csv${exportQuery ? `?${exportQuery}` : ""}`}>
            CSVで書き出す
          </a>
        </div>
        <form method="get" action="/accounts" class="filters" aria-label="公式アカウントの絞り込み">
          <TextField name="q" label="アカウント名・通称・ユーザー名" type="search" value={q.q} />
          <SelectField
            name="department"
            label="部"
            options={departments
              .filter((d) => !isSetupDepartment(d))
              .map((d) => ({ value: String(d.id), label: d.name }))}
            blank="すべて"
            value={q.department}
          />
          <SelectField
            name="platform"
            label="サービス"
            options={platformOptions}
            blank="すべて"
            value={q.platform}
          />
          <SelectField
            name="status"
            label="状態"
            options={statusFilters.map((s) => ({ value: s.value, label: s.label }))}
            blank="すべて"
            value={q.status}
          />
          <button type="submit">絞り込む</button>
        </form>
        <div class="table-wrap">
          <table>
            <caption>{`公式アカウント（${accounts.length}件）`}</caption>
            <thead>
              <tr>
                <th scope="col">アカウント名（通称）</th>
                <th scope="col">サービス</th>
                <th scope="col">所管</th>
                <th scope="col">アカウント管理者</th>
                <th scope="col">状態</th>
                <th scope="col">URL</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr>
                  <td>
                    <a href={`/accounts/${a.id}`}>{a.name}</a>
                    {a.alias ? `（${a.alias}）` : ""}
                  </td>
                  <td>{platformLabel(a.platform)}</td>
                  <td>
                    {a.departmentName} {a.divisionName}
                  </td>
                  <td>{a.managerName ?? "（未定）"}</td>
                  <td>
                    <StatusBadges account={a} />
                  </td>
                  <td class="mono">{a.url || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {accounts.length === 0 ? <p>条件に合うアカウントはありません。</p> : null}
      </>,
    );
  });

  r.get("/accounts/export.csv", async (c) => {
    const file = await exportRegistry(c.var.app, {
      actor: actorOf(c),
      filter: registryFilter(c.req.query()),
    });
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header(
      "Content-Disposition",
      `attachment; filename="accounts.csv"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return c.body(Buffer.from(file.body));
  });

  const applicationForm = async (
    c: HttpContext,
    mode: { id?: number },
    state: FormState,
    status: 200 | 403 | 404 | 409 | 422 = 200,
  ) => {
    const actor = actorOf(c);
    const divisions = await applyDivisions(c, actor);
    const divisionId = Number(state.values.divisionId) || Number(divisions[0]?.value) || 0;
    // Candidates: staff of every division the person may apply for (usually just their own).
    const people = (await Promise.all(divisions.map((d) => divisionStaff(c, Number(d.value))))).flat();
    const ids = (name: string) =>
      (state.values[name] ?? "")
        .split(",")
        .map(Number)
        .filter((n) => n > 0);
    const editing = mode.id !== undefined;
    const title = editing ? "申請内容の修正" : "公式アカウントの取得申請（起案）";
    return render(
      c,
      title,
      <>
        <h1>{title}</h1>
        <p>
          アカウント管理者は所管課の課等の長です（第4-1(4)）。運用に携わる職員と、ID・パスワードを扱う職員をあらかじめ定めてください（第4-1(3)、第4-3(1)）。起案は、部等の長（情報管理者）の許可の後、総合政策部長の許可を得ます（第4-1(2)）。
        </p>
        <ErrorSummary state={state} />
        <form method="post" action={editing ? `/accounts/${mode.id}` : "/accounts"} class="stack" novalidate>
          <Csrf token={csrfOf(c)} />
          <SelectField
            name="divisionId"
            label="所管課"
            options={divisions}
            value={String(divisionId)}
            state={state}
            required
          />
          <SelectField
            name="platform"
            label="利用するソーシャルメディア"
            options={platformOptions}
            blank="選択してください"
            state={state}
            required
          />
          <TextField
            name="name"
            label="アカウント名（案）"
            state={state}
            required
            hint="例: いわき市広報広聴課"
          />
          <TextField
            name="alias"
            label="通称"
            state={state}
            hint="市ホームページに併記します（第4-4(2)②）。"
          />
          <TextField name="handle" label="ユーザー名（案）" state={state} hint="例: iwaki_city（@は不要）" />
          <TextArea name="purpose" label="利用目的" state={state} required rows={4} />
          <TextField
            name="homepageUrl"
            label="所管サイトのURL"
            type="url"
            state={state}
            hint="市公式ホームページ内で、このアカウントの運用を掲載するページ（第4-4(1)）。省略せずに入力します。"
          />
          <Checkbox
            name="isCharacter"
            label="業務として認められたキャラクターとして発信する（第5-3(1) ただし書）"
            checked={state.values.isCharacter === "on"}
          />
          <ApplicationFields state={state} />
          <StaffChecklist
            name="operatorIds"
            legend="運用に携わる職員（第4-1(3)）"
            hint="投稿できるのは、ここで定めた職員だけです（第3）。"
            people={people}
            checked={ids("operatorIds")}
          />
          <StaffChecklist
            name="holderIds"
            legend="ID・パスワードを扱う職員（第4-3(1)）"
            hint={`必要最小限にしてください（目安: ${guidelinePack().limits.maxCredentialHolders}人まで）。パスワードそのものはこのシステムに保存しません。`}
            people={people}
            checked={ids("holderIds")}
          />
          <div class="actions">
            <button type="submit">{editing ? "保存する" : "起案する"}</button>
            <a href={editing ? `/accounts/${mode.id}` : "/accounts"}>キャンセル</a>
          </div>
        </form>
      </>,
      status,
    );
  };

  r.route("/", filingRoutes());

  const existingForm = async (c: HttpContext, state: FormState, status: 200 | 409 | 422 = 200) => {
    const ctx = c.var.app;
    const [divisions, departments] = await Promise.all([listDivisions(ctx.db), listDepartments(ctx.db)]);
    const deptName = new Map(departments.map((d) => [d.id, d.name]));
    const divisionId = Number(state.values.divisionId) || 0;
    const people = divisionId ? await divisionStaff(c, divisionId) : [];
    return render(
      c,
      "既存アカウントの登録",
      <>
        <p class="breadcrumb">
          <a href="/accounts">公式アカウント</a> › 既存アカウントの登録
        </p>
        <h1>既存アカウントの登録</h1>
        <p>
          このシステムの導入前に、紙の起案で部等の長（情報管理者）と総合政策部長の許可を得ていたアカウントを登録します（第4-1(2)）。元の起案の文書番号と、紙で許可された日付を入力してください。登録は総合政策部長が確認してから有効になり、台帳と監査ログには「既存アカウントとして登録」と記録されます。
        </p>
        {divisionId ? null : (
          <form method="get" action="/accounts/existing/new" class="filters" aria-label="所管課の選択">
            <SelectField
              name="divisionId"
              label="所管課"
              options={divisions
                .filter((d) => d.active)
                .map((d) => ({
                  value: String(d.id),
                  label: `${deptName.get(d.departmentId) ?? ""} ${d.name}`,
                }))}
              blank="選択してください"
              hint="所管課を選ぶと、運用に携わる職員とID・パスワードを扱う職員の候補が表示されます。"
            />
            <button type="submit">所管課を選ぶ</button>
          </form>
        )}
        {divisionId ? (
          <ExistingForm
            csrf={csrfOf(c)}
            state={state}
            divisions={divisions
              .filter((d) => d.active)
              .map((d) => ({
                value: String(d.id),
                label: `${deptName.get(d.departmentId) ?? ""} ${d.name}`,
              }))}
            platforms={platformOptions}
            people={people.map((p) => ({ value: String(p.id), label: `${p.name}（${p.positionName}）` }))}
          />
        ) : null}
      </>,
      status,
    );
  };

  r.get("/accounts/existing/new", async (c) => {
    await authorizeExisting(c);
    return existingForm(c, emptyForm({ divisionId: c.req.query("divisionId") ?? "" }));
  });

  r.post("/accounts/existing", async (c) => {
    const values = await formBody(c);
    const operatorIds = await formAll(c, "operatorIds");
    const holderIds = await formAll(c, "holderIds");
    const input = {
      ...values,
      operatorIds,
      holderIds,
      isCharacter: values.isCharacter === "on",
      mfaEnabled: values.mfaEnabled === "on",
    };
    const state = { ...values, operatorIds: operatorIds.join(","), holderIds: holderIds.join(",") };
    const result = await submit(state, () => recordExistingAccount(c.var.app, { actor: actorOf(c), input }));
    if (!result.ok) return existingForm(c, result.state, result.status);
    return done(
      c,
      `/accounts/${result.result.id}`,
      "既存アカウントとして登録しました。総合政策部長の確認を待っています。",
    );
  });

  const documentPage = async (c: HttpContext, state?: FormState, status: 200 | 409 | 422 = 200) => {
    const id = intParam(c.req.param("id"));
    const doc = await applicationDocument(c.var.app, { actor: actorOf(c), id });
    return render(
      c,
      `起案書: ${doc.account.name}`,
      <>
        <p class="breadcrumb screen-only">
          <a href="/accounts">公式アカウント</a> › <a href={`/accounts/${id}`}>{doc.account.name}</a> › 起案書
        </p>
        <p class="screen-only">
          このページを印刷すると、起案書（A4）になります。文書管理システムで付いた文書番号と決裁日は、下の欄に記録してください。
          {doc.filings[0] ? (
            <>
              {" "}
              <a href={`/filings/${doc.filings[0].id}`}>情報統括管理者への届出を見る</a>
            </>
          ) : null}
        </p>
        <ApplicationDocumentView doc={doc} cityName={c.var.app.config.cityName} />
        <DocumentNumberPanel
          action={`/accounts/${id}/document`}
          csrf={csrfOf(c)}
          versions={doc.documents}
          canRecord={doc.canRecordDocument}
          state={state}
        />
      </>,
      status,
    );
  };

  r.get("/accounts/:id/document", (c) => documentPage(c));

  r.post("/accounts/:id/document", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      recordDocument(c.var.app, { actor: actorOf(c), subject: { type: "application", id }, input: values }),
    );
    if (!result.ok) return documentPage(c, result.state, result.status);
    return done(c, `/accounts/${id}/document`, "文書番号・決裁日を記録しました。");
  });

  r.get("/accounts/new", async (c) => {
    const q = c.req.query();
    return applicationForm(c, {}, emptyForm({ ...q, operatorIds: "", holderIds: "" }));
  });

  const readApplication = async (c: HttpContext) => {
    const values = await formBody(c);
    const operatorIds = await formAll(c, "operatorIds");
    const holderIds = await formAll(c, "holderIds");
    const input = {
      ...values,
      operatorIds,
      holderIds,
      isCharacter: values.isCharacter === "on",
      termsConfirmed: values.termsConfirmed === "on",
    };
    const state = { ...values, operatorIds: operatorIds.join(","), holderIds: holderIds.join(",") };
    return { input, state };
  };

  r.post("/accounts", async (c) => {
    const { input, state } = await readApplication(c);
    const result = await submit(state, () => draftApplication(c.var.app, { actor: actorOf(c), input }));
    if (!result.ok) return applicationForm(c, {}, result.state, result.status);
    return done(
      c,
      `/accounts/${result.result.id}`,
      "起案しました。内容を確認して「申請を提出」を押してください。",
    );
  });

  r.get("/accounts/:id/edit", async (c) => {
    const id = intParam(c.req.param("id"));
    const account = await getAccount(c.var.app, { actor: actorOf(c), id });
    const [operators, holders] = await Promise.all([
      listOperators(c.var.app.db, id),
      listHolders(c.var.app.db, id),
    ]);
    return applicationForm(
      c,
      { id },
      emptyForm({
        divisionId: String(account.divisionId),
        platform: account.platform,
        name: account.name,
        alias: account.alias,
        handle: account.handle,
        purpose: account.purpose,
        homepageUrl: account.homepageUrl,
        isCharacter: account.isCharacter ? "on" : "",
        plannedStartOn: account.plannedStartOn ?? "",
        policyDraft: account.policyDraft,
        termsConfirmed: account.termsConfirmed ? "on" : "",
        loginOwner: account.loginOwner,
        twoFactorPlan: account.twoFactorPlan,
        cost: account.cost,
        consultedDivisions: account.consultedDivisions,
        operatorIds: operators.map((o) => o.staffId).join(","),
        holderIds: holders.map((h) => h.staffId).join(","),
      }),
    );
  });

  r.post("/accounts/:id", async (c) => {
    const id = intParam(c.req.param("id"));
    const { input, state } = await readApplication(c);
    const result = await submit(state, () => updateApplication(c.var.app, { actor: actorOf(c), id, input }));
    if (!result.ok) return applicationForm(c, { id }, result.state, result.status);
    return done(c, `/accounts/${id}`, "申請内容を保存しました。");
  });

  const overview = async (
    c: HttpContext,
    forms: {
      decide?: FormState;
      register?: FormState;
      operators?: FormState;
      existing?: FormState;
      problems?: string[];
    } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const actor = actorOf(c);
    const ctx = c.var.app;
    const id = intParam(c.req.param("id"));
    const account = await getAccount(ctx, { actor, id });
    const [events, operators, holders, raw, filings, existing] = await Promise.all([
      listEvents(ctx.db, id),
      listOperators(ctx.db, id),
      listHolders(ctx.db, id),
      findAccount(ctx.db, id),
      listFilings(ctx.db, { accountId: id, kinds: ["acquisition"] }),
      findExisting(ctx.db, id),
    ]);
    const target = accountTarget(account);
    const canApply = allowed(actor, "account.apply", target);
    const canManage = allowed(actor, "account.manage", target);
    const filing = filings[0];
    const seesFiling = filing !== undefined && canSeeFiling(actor, filing);
    const seesLogin = canManage || allowed(actor, "account.read_all");
    const csrf = csrfOf(c);
    const editable = account.status === "draft" || account.status === "returned";
    const problems = editable && raw ? await submissionProblems(ctx.db, raw) : [];
    const readiness =
      account.status === "approved" && canManage && raw ? await activationProblems(ctx, raw) : [];
    const people = canManage ? await divisionStaff(c, account.divisionId) : [];
    const operatorIds = operators.map((o) => o.staffId);
    return render(
      c,
      account.name,
      <>
        <AccountHeader
          account={{
            id: account.id,
            name: account.name,
            platform: account.platform,
            divisionName: account.divisionName,
            statusLabel: accountStatusLabels[account.status],
          }}
          current=""
        />
        <p>
          <StatusBadges account={account} />
        </p>
        {forms.problems ? (
          <ErrorSummary
            state={{ values: {}, issues: forms.problems.map((message) => ({ field: "", message })) }}
          />
        ) : null}
        <dl class="facts">
          <dt>サービス</dt>
          <dd>{platformLabel(account.platform)}</dd>
          <dt>アカウント名</dt>
          <dd>
            {account.name}
            {account.alias ? `（通称: ${account.alias}）` : ""}
          </dd>
          <dt>ユーザー名</dt>
          <dd class="mono">{account.handle || "—"}</dd>
          <dt>URL</dt>
          <dd class="mono">{account.url || "（未登録）"}</dd>
          <dt>所管</dt>
          <dd>
            {account.departmentName} {account.divisionName}
          </dd>
          <dt>アカウント管理者</dt>
          <dd>{account.managerName ?? "（課長が未登録）"}</dd>
          <dt>利用目的</dt>
          <dd>{account.purpose}</dd>
          {account.plannedStartOn ? (
            <>
              <dt>運用開始の予定日</dt>
              <dd>
                <DateText date={account.plannedStartOn} />
              </dd>
            </>
          ) : null}
          {account.cost ? (
            <>
              <dt>費用</dt>
              <dd>{account.cost}</dd>
            </>
          ) : null}
          {account.consultedDivisions ? (
            <>
              <dt>合議先</dt>
              <dd>{account.consultedDivisions}</dd>
            </>
          ) : null}
          {account.loginOwner ? (
            <>
              <dt>ログイン用メールアドレス・電話番号の所有者</dt>
              <dd>{account.loginOwner}</dd>
            </>
          ) : null}
          {seesLogin && (account.loginEmail || account.loginPhone) ? (
            <>
              <dt>ログイン用メールアドレス・電話番号</dt>
              <dd class="mono">{[account.loginEmail, account.loginPhone].filter(Boolean).join(" ／ ")}</dd>
            </>
          ) : null}
          <dt>所管サイトのURL</dt>
          <dd class="mono">{account.homepageUrl || "（未登録）"}</dd>
          <dt>運用に携わる職員</dt>
          <dd>{operators.length ? operators.map((o) => o.name).join("、") : "（未定）"}</dd>
          <dt>ID・パスワードを扱う職員</dt>
          <dd>{holders.length ? holders.map((h) => h.name).join("、") : "（未定）"}</dd>
          {account.registeredAt ? (
            <>
              <dt>アカウント作成日</dt>
              <dd>{account.platformCreatedOn ? <DateText date={account.platformCreatedOn} /> : "—"}</dd>
              <dt>二段階認証</dt>
              <dd>
                {account.mfaEnabled ? "有効" : <Badge tone="warn">無効</Badge>}
                {account.twoFactorPlan ? `（${account.twoFactorPlan}）` : ""}
              </dd>
            </>
          ) : null}
          {account.closedOn ? (
            <>
              <dt>廃止日</dt>
              <dd>
                <DateText date={account.closedOn} />
              </dd>
            </>
          ) : null}
        </dl>
        <p>
          <a href={`/accounts/${id}/document`}>
            {existing
              ? "元の起案の記録（文書番号・許可日）を見る・印刷する"
              : "起案書を見る・印刷する（文書番号・決裁日の記録）"}
          </a>
        </p>

        {existing ? (
          <section aria-labelledby="existing-title">
            <h2 id="existing-title">{EXISTING_LABEL}</h2>
            <p>
              このアカウントは、このシステムの導入前に紙の起案で許可されたものです。元の起案の記録（
              部等の長（情報管理者）の許可 <DateText date={existing.departmentApprovedOn} />
              、総合政策部長の許可 <DateText date={existing.policyApprovedOn} />
              {existing.securityFiledOn
                ? `、情報統括管理者への届出 ${formatWarekiDate(existing.securityFiledOn)}`
                : ""}
              ）により登録しています。登録: {existing.recordedByName ?? "—"}{" "}
              <DateTime at={existing.recordedAt} />
              {existing.confirmedAt
                ? `、総合政策部長の確認: ${existing.confirmedByName ?? "—"} ${formatDateTime(existing.confirmedAt)}`
                : "、総合政策部長の確認待ち"}
            </p>
            {existing.note ? <p>備考: {existing.note}</p> : null}
            {account.status === "existing_pending" && allowed(actor, "account.confirm_existing", target) ? (
              <>
                <ErrorSummary state={forms.existing} />
                <form method="post" action={`/accounts/${id}/existing-decision`} class="stack" novalidate>
                  <Csrf token={csrf} />
                  <TextArea
                    name="comment"
                    label="コメント"
                    hint="登録しない場合は理由を必ず書いてください。"
                    rows={3}
                    state={forms.existing}
                  />
                  <div class="actions">
                    <button type="submit" name="decision" value="confirm">
                      記録を確認し、登録する
                    </button>
                    <button type="submit" name="decision" value="reject" class="danger">
                      登録しない
                    </button>
                  </div>
                </form>
              </>
            ) : null}
          </section>
        ) : null}

        {editable && canApply ? (
          <section aria-labelledby="submit-title">
            <h2 id="submit-title">申請の提出</h2>
            {problems.length > 0 ? (
              <div class="notice notice-warning">
                <p>提出する前に、次の点を整えてください。</p>
                <ul>
                  {problems.map((p) => (
                    <li>{p}</li>
                  ))}
                </ul>
              </div>
            ) : (
              <p>提出すると、部等の長（情報管理者）の許可を待つ状態になります。</p>
            )}
            <div class="actions">
              <a class="button secondary" href={`/accounts/${id}/edit`}>
                申請内容を修正
              </a>
              <form method="post" action={`/accounts/${id}/submit`}>
                <Csrf token={csrf} />
                <button type="submit">申請を提出</button>
              </form>
            </div>
          </section>
        ) : null}

        {mayDecide(actor, account) ? (
          <section aria-labelledby="decide-title">
            <h2 id="decide-title">
              {account.status === "pending_department_head"
                ? "部等の長（情報管理者）の許可"
                : "総合政策部長の許可"}
            </h2>
            <ErrorSummary state={forms.decide} />
            <form method="post" action={`/accounts/${id}/decide`} class="stack" novalidate>
              <Csrf token={csrf} />
              <input type="hidden" name="expected" value={account.status} />
              <TextArea
                name="comment"
                label="コメント"
                hint="差し戻し・却下のときは理由を必ず書いてください。"
                rows={3}
                state={forms.decide}
              />
              <div class="actions">
                <button type="submit" name="decision" value="approve">
                  許可する
                </button>
                <button type="submit" name="decision" value="return" class="secondary">
                  差し戻す
                </button>
                <button type="submit" name="decision" value="reject" class="danger">
                  却下する
                </button>
              </div>
            </form>
          </section>
        ) : null}

        {seesFiling && filing ? (
          <section aria-labelledby="filing-title">
            <h2 id="filing-title">情報統括管理者への届出（第4-1(2) 取得後）</h2>
            <p>
              <DateTime at={filing.sentAt} /> に{filing.round > 1 ? `第${filing.round}回の` : ""}
              届出を送りました（
              {filing.sentByName ?? "—"}）。状態: <FilingStatusBadge status={filing.status} />
              {filing.confirmedAt
                ? ` ${formatDateTime(filing.confirmedAt)} ${filing.confirmedByName ?? ""} が確認`
                : ""}
            </p>
            {filing.status === "questioned" ? (
              <div class="notice notice-warning">
                <p>
                  情報統括管理者からの質問: {filing.question}
                  {canManage ? "（回答して、届出を再送してください）" : ""}
                </p>
              </div>
            ) : null}
            <p>
              <a href={`/filings/${filing.id}`}>
                {filing.status === "sent" && allowed(actor, "account.confirm_notice", target)
                  ? "届出の内容を確認する"
                  : filing.status === "questioned" && canManage
                    ? "質問に回答して再送する"
                    : `届出を見る（${filingStatusLabels[filing.status]}）`}
              </a>
            </p>
          </section>
        ) : null}

        {(account.status === "approved" || account.status === "active") && canManage ? (
          <section aria-labelledby="register-title">
            <h2 id="register-title">取得したアカウントの登録</h2>
            <p>
              URLは省略せず、正式な形で登録します。市公式ホームページにそのまま掲載されます（第4-4(2)③）。登録すると、取得したアカウントの内容が情報統括管理者に届け出られます（第4-1(2)
              取得後）。登録内容を変えると、変更した内容で届出が再送されます。
            </p>
            <ErrorSummary state={forms.register} />
            <form method="post" action={`/accounts/${id}/register`} class="stack" novalidate>
              <Csrf token={csrf} />
              <TextField
                name="url"
                label="アカウントのURL"
                type="url"
                value={account.url}
                state={forms.register}
                required
                hint={`例: ${guidelinePack().platforms[platforms.find((p) => p === account.platform) ?? "other"].example}`}
              />
              <TextField
                name="platformCreatedOn"
                label="アカウントの作成日"
                type="date"
                value={account.platformCreatedOn ?? ""}
                state={forms.register}
                required
              />
              <TextField
                name="homepageUrl"
                label="所管サイトのURL"
                type="url"
                value={account.homepageUrl}
                state={forms.register}
              />
              <Checkbox
                name="mfaEnabled"
                label="アカウントに二段階認証を設定した（第4-3(3)）"
                checked={account.mfaEnabled}
              />
              <RegistrationFields
                state={forms.register}
                values={{
                  loginEmail: account.loginEmail,
                  loginPhone: account.loginPhone,
                  loginOwner: account.loginOwner,
                  twoFactorPlan: account.twoFactorPlan,
                }}
              />
              <div class="actions">
                <button type="submit">
                  {account.registeredAt ? "登録内容を保存する" : "登録して情報統括管理者へ届け出る"}
                </button>
              </div>
            </form>
          </section>
        ) : null}

        {account.status === "approved" && canManage ? (
          <section aria-labelledby="activate-title">
            <h2 id="activate-title">運用の開始</h2>
            {readiness.length > 0 ? (
              <div class="notice notice-warning">
                <p>運用を開始する前に、次の点を整えてください。</p>
                <ul>
                  {readiness.map((p) => (
                    <li>{p}</li>
                  ))}
                </ul>
                <p>
                  <a href={`/accounts/${id}/policy`}>メディアポリシーへ</a>
                </p>
              </div>
            ) : (
              <p>運用を開始すると、市の公開ページの公式アカウント一覧に掲載されます（第4-4(1)）。</p>
            )}
            <form method="post" action={`/accounts/${id}/activate`}>
              <Csrf token={csrf} />
              <button type="submit">運用を開始する</button>
            </form>
          </section>
        ) : null}

        {canManage && account.status !== "closed" && account.status !== "rejected" && !editable ? (
          <section aria-labelledby="operators-title">
            <h2 id="operators-title">運用に携わる職員</h2>
            <p>投稿できるのは、ここで定めた職員だけです（第3、第4-1(3)）。</p>
            <ErrorSummary state={forms.operators} />
            <form method="post" action={`/accounts/${id}/operators`} class="stack">
              <Csrf token={csrf} />
              <StaffChecklist
                name="staffIds"
                legend="運用に携わる職員"
                hint="異動した職員は外してください。"
                people={[
                  ...people,
                  ...operators
                    .filter((o) => !people.some((p) => p.id === o.staffId))
                    .map((o) => ({
                      id: o.staffId,
                      name: `${o.name}（他の課）`,
                      positionName: o.active ? "在職" : "無効",
                    })),
                ]}
                checked={operatorIds}
              />
              <div class="actions">
                <button type="submit">運用に携わる職員を保存</button>
              </div>
            </form>
          </section>
        ) : null}

        <section aria-labelledby="history-title">
          <h2 id="history-title">経過</h2>
          <ol class="timeline">
            {events.map((e) => (
              <li>
                <strong>{eventLabels[e.kind] ?? e.kind}</strong> — <DateTime at={e.at} />
                {e.actorName ? `（${e.actorName}）` : ""}
                {e.comment ? <p>{e.comment}</p> : null}
              </li>
            ))}
          </ol>
        </section>
      </>,
      status,
    );
  };

  r.get("/accounts/:id", (c) => overview(c));

  const step = (path: string, run: (c: HttpContext, id: number) => Promise<unknown>, message: string) =>
    r.post(`/accounts/:id/${path}`, async (c) => {
      const id = intParam(c.req.param("id"));
      const result = await submit({}, () => run(c, id));
      if (!result.ok)
        return overview(
          c,
          {
            problems: result.state.message
              ? [result.state.message]
              : result.state.issues.map((i) => i.message),
          },
          result.status,
        );
      return done(c, `/accounts/${id}`, message);
    });

  step(
    "submit",
    (c, id) => submitApplication(c.var.app, { actor: actorOf(c), id }),
    "申請を提出しました。部等の長（情報管理者）の許可を待っています。",
  );
  step(
    "security-confirm",
    (c, id) => confirmSecurityNotice(c.var.app, { actor: actorOf(c), id }),
    "届出を確認済みにしました。",
  );
  step(
    "activate",
    (c, id) => activateAccount(c.var.app, { actor: actorOf(c), id }),
    "運用を開始しました。公開ページに掲載されます。",
  );

  r.post("/accounts/:id/decide", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const decision =
      values.decision === "return" || values.decision === "reject" ? values.decision : "approve";
    const expected: AccountStatus =
      values.expected && isAccountStatus(values.expected) ? values.expected : "draft";
    const result = await submit(values, () =>
      decideApplication(c.var.app, { actor: actorOf(c), id, decision, comment: values.comment, expected }),
    );
    if (!result.ok) return overview(c, { decide: result.state }, result.status);
    const message =
      decision === "approve"
        ? "許可しました。"
        : decision === "return"
          ? "差し戻しました。"
          : "却下しました。";
    return done(c, `/accounts/${id}`, message);
  });

  r.post("/accounts/:id/existing-decision", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      decideExistingAccount(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!result.ok) return overview(c, { existing: result.state }, result.status);
    return done(
      c,
      `/accounts/${id}`,
      values.decision === "reject"
        ? "登録しないことにしました。"
        : "既存アカウントとして登録しました。情報統括管理者へ届出を送りました。",
    );
  });

  r.post("/accounts/:id/register", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const input = { ...values, mfaEnabled: values.mfaEnabled === "on" };
    const result = await submit(values, () => registerAccount(c.var.app, { actor: actorOf(c), id, input }));
    if (!result.ok) return overview(c, { register: result.state }, result.status);
    const filing = result.result.filing;
    return done(
      c,
      `/accounts/${id}`,
      filing === "sent"
        ? "アカウントを登録し、情報統括管理者へ届出を送りました（第4-1(2)）。"
        : filing === "questioned"
          ? "登録内容を保存しました。情報統括管理者からの質問に回答して、届出を再送してください。"
          : "登録内容を保存しました。",
    );
  });

  r.post("/accounts/:id/operators", async (c) => {
    const id = intParam(c.req.param("id"));
    const staffIds = await formAll(c, "staffIds");
    const result = await submit({}, () =>
      setAccountOperators(c.var.app, { actor: actorOf(c), id, input: { staffIds } }),
    );
    if (!result.ok) return overview(c, { operators: result.state }, result.status);
    return done(c, `/accounts/${id}`, "運用に携わる職員を保存しました。");
  });

  return r;
}

/** Japanese names of the steps in an account's history. */
export const eventLabels: Record<string, string> = {
  drafted: "起案",
  submitted: "申請を提出",
  approved_department_head: "部等の長（情報管理者）が許可",
  approved_policy_director: "総合政策部長が許可",
  returned: "差戻し",
  rejected: "却下",
  security_confirmed: "情報統括管理者が届出を確認",
  security_filed: "情報統括管理者へ届出（取得後）",
  security_refiled: "情報統括管理者へ届出を再送",
  filing_questioned: "届出に質問",
  existing_recorded: "既存アカウントとして登録（総合政策部長の確認待ち）",
  existing_confirmed: "総合政策部長が既存アカウントの登録を確認",
  existing_rejected: "既存アカウントの登録を取りやめ",
  policy_director_filed: "総合政策部長へ届出",
  policy_director_refiled: "総合政策部長へ届出を再送",
  policy_director_confirmed: "総合政策部長が届出を確認",
  security_director_filed: "情報統括管理者へ届出（周知後）",
  security_director_refiled: "情報統括管理者へ届出を再送",
  security_director_confirmed: "情報統括管理者が届出を確認",
  sns_announced: "アカウントで周知",
  sns_announced_late: "アカウントで周知（期限後）",
  change_notice_removed: "変更のお知らせの掲載を終了",
  registered: "アカウントを登録",
  activated: "運用を開始",
  operators_changed: "運用に携わる職員を変更",
  holder_added: "ID・パスワード管理者を追加",
  holder_removed: "ID・パスワード管理者を削除",
  password_changed: "パスワード変更を記録",
  manager_changed: "アカウント管理者が交代",
  manager_vacant: "アカウント管理者が不在",
  members_confirmed: "運用に携わる職員・ID管理者を確認",
  members_removed: "人事異動により一覧から外れた",
  policy_approved: "メディアポリシーを承認",
  policy_reviewed: "メディアポリシーを見直し",
  closed: "廃止",
  changed: "変更を実施",
  change_requested: "変更を申請",
  closure_requested: "廃止を申請",
  policy_director_notified: "総合政策部長へ届出（記録のみ）",
  announcement_scheduled: "周知日を設定",
  change_announced: "変更を周知",
  closure_announced: "廃止を周知",
  security_director_notified: "情報統括管理者へ届出",
  change_cancelled: "変更を取消",
  closure_cancelled: "廃止を取消",
};
