/**
 * CSV import and export pages: upload a staff or organisation CSV (UTF-8 or Shift_JIS), see
 * every row it would create, change, move or reject and why, then apply it in one go; and the
 * staff CSV export that opens in Excel.
 */
import { Hono } from "hono";
import { authorize } from "../../app/authorize.ts";
import type { EncodingOption } from "../../app/csv.ts";
import { importOrg, type OrgImportPlan, orgKindLabels, orgOutcomeLabels } from "../../app/org-import.ts";
import { exportStaff } from "../../app/staff-export.ts";
import { importStaff, type StaffImportPlan, staffOutcomeLabels } from "../../app/staff-import.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, render } from "../render.tsx";
import {
  Badge,
  Checkbox,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  SelectField,
  TextField,
} from "../views/components.tsx";

type Kind = "staff" | "org";

const encodingOptions = [
  { value: "auto", label: "自動判定（UTF-8 / Shift_JIS）" },
  { value: "utf8", label: "UTF-8" },
  { value: "sjis", label: "Shift_JIS（Excelの「CSV（コンマ区切り）」）" },
];

const tone = (outcome: string) =>
  outcome === "reject" ? "error" : outcome === "unchanged" ? "muted" : outcome === "create" ? "ok" : "warn";

function toEncoding(value: string | undefined): EncodingOption {
  return value === "utf8" || value === "sjis" ? value : "auto";
}

function toKind(value: string | undefined): Kind {
  return value === "org" ? "org" : "staff";
}

/**
 * An error the uploaded file or the form caused (unreadable encoding, malformed CSV, a bad 発令日,
 * a row that failed while applying): shown above the upload form rather than as an error page.
 */
function isFileProblem(error: unknown): error is AppError {
  return error instanceof AppError && ["bad_request", "validation", "conflict"].includes(error.code);
}

function problemStatus(error: AppError): 400 | 409 | 422 {
  return error.code === "validation" ? 422 : error.code === "conflict" ? 409 : 400;
}

const UploadForm = (props: { csrf: string; state: FormState; today: string }) => (
  <>
    <h1>CSVの取込み</h1>
    <p>
      人事・組織のCSVをそのまま取り込めます（UTF-8 または
      Shift_JIS、1行目は見出し、日本語・英語どちらの見出しも可）。まず内容を確認する画面が表示され、「取り込む」を押すまで何も変更されません。
    </p>
    <div class="notice notice-info">
      <p>
        初めて取り込むときは、先に「組織（部・課・職）」のCSVを取り込んでから「職員」のCSVを取り込んでください。職員のCSVに書かれた部・課・職が登録されていないと、その行は取り込めません。
      </p>
    </div>
    <ErrorSummary state={props.state} />
    <form method="post" action="/staff/import" enctype="multipart/form-data" class="stack" novalidate>
      <Csrf token={props.csrf} />
      <SelectField
        name="kind"
        label="取り込む内容"
        options={[
          { value: "staff", label: "職員" },
          { value: "org", label: "組織（部・課・職）" },
        ]}
        state={props.state}
        required
      />
      <div class="field">
        <label for="f-file">
          CSVファイル<span class="required">必須</span>
        </label>
        <input type="file" id="f-file" name="file" accept=".csv,text/csv" required />
      </div>
      <SelectField
        name="encoding"
        label="文字コード"
        options={encodingOptions}
        value="auto"
        state={props.state}
      />
      <TextField
        name="effectiveDate"
        label="発令日（職員の所属・職が変わる行に使います）"
        type="date"
        value={props.today}
        hint="所属や職が変わる職員は人事異動として記録され、パスワード変更タスクなどが自動で始まります（第4-3(2)）。"
        state={props.state}
      />
      <div class="actions">
        <button type="submit">内容を確認する</button>
        <a href="/staff">キャンセル</a>
      </div>
    </form>
  </>
);

const FileProblems = (props: { fileErrors: string[]; warnings: string[]; unknownHeaders: string[] }) => (
  <>
    {props.fileErrors.length > 0 ? (
      <div class="notice notice-error" role="alert">
        <h2>このファイルは取り込めません</h2>
        <ul>
          {props.fileErrors.map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      </div>
    ) : null}
    {props.warnings.length > 0 || props.unknownHeaders.length > 0 ? (
      <div class="notice notice-warning">
        <h2>確認してください</h2>
        <ul>
          {props.warnings.map((w) => (
            <li>{w}</li>
          ))}
          {props.unknownHeaders.length > 0 ? <li>使われない列: {props.unknownHeaders.join("、")}</li> : null}
        </ul>
      </div>
    ) : null}
  </>
);

const StaffPlanTable = ({ plan }: { plan: StaffImportPlan }) => (
  <div class="table-wrap">
    <table>
      <caption>{`行ごとの結果（${plan.rows.length}行）`}</caption>
      <thead>
        <tr>
          <th scope="col" class="num">
            行
          </th>
          <th scope="col">結果</th>
          <th scope="col">職員番号</th>
          <th scope="col">氏名</th>
          <th scope="col">所属・職</th>
          <th scope="col">内容・理由</th>
        </tr>
      </thead>
      <tbody>
        {plan.rows.map((row) => (
          <tr>
            <td class="num">{row.line}</td>
            <td>
              <Badge tone={tone(row.outcome)}>{staffOutcomeLabels[row.outcome]}</Badge>
            </td>
            <td class="mono">{row.employeeNo}</td>
            <td>{row.name}</td>
            <td>{row.placement}</td>
            <td>
              <ul>
                {row.reasons.map((r) => (
                  <li>{r}</li>
                ))}
                {row.changes.map((ch) => (
                  <li>
                    {ch.label}: {ch.before || "（空）"} → {ch.after || "（空）"}
                  </li>
                ))}
                {row.transfer ? (
                  <li>{`人事異動として記録（発令日 ${row.transfer.effectiveDate}${row.transfer.scheduled ? "、発令予定" : ""}）`}</li>
                ) : null}
                {row.notes.map((n) => (
                  <li>{n}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

const OrgPlanTable = ({ plan }: { plan: OrgImportPlan }) => (
  <div class="table-wrap">
    <table>
      <caption>{`項目ごとの結果（${plan.entries.length}件）`}</caption>
      <thead>
        <tr>
          <th scope="col" class="num">
            行
          </th>
          <th scope="col">種類</th>
          <th scope="col">結果</th>
          <th scope="col">コード</th>
          <th scope="col">名称</th>
          <th scope="col">内容・理由</th>
        </tr>
      </thead>
      <tbody>
        {plan.entries.map((e) => (
          <tr>
            <td class="num">{e.line}</td>
            <td>{orgKindLabels[e.kind]}</td>
            <td>
              <Badge tone={tone(e.outcome)}>{orgOutcomeLabels[e.outcome]}</Badge>
            </td>
            <td class="mono">{e.code}</td>
            <td>{e.name}</td>
            <td>
              <ul>
                {e.reasons.map((r) => (
                  <li>{r}</li>
                ))}
                {e.changes.map((ch) => (
                  <li>
                    {ch.label}: {ch.before || "（空）"} → {ch.after || "（空）"}
                  </li>
                ))}
                {e.notes.map((n) => (
                  <li>{n}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

function countsText(counts: Record<string, number>, labels: Record<string, string>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${labels[k] ?? k} ${n}件`)
    .join("、");
}

async function readUpload(c: HttpContext) {
  const body = await c.req.parseBody();
  const file = body.file;
  const text = (name: string) => {
    const value = body[name];
    return typeof value === "string" ? value : undefined;
  };
  return { file: file instanceof File ? file : undefined, data: text("data"), text };
}

/** Applies a confirmed upload (the file comes back from the confirmation page as base64). */
async function applyUpload(
  c: HttpContext,
  actor: ReturnType<typeof actorOf>,
  upload: Awaited<ReturnType<typeof readUpload>>,
  kind: Kind,
) {
  const encoding = toEncoding(upload.text("encoding"));
  const bytes = new Uint8Array(Buffer.from(upload.data ?? "", "base64"));
  const skipRejected = upload.text("skipRejected") === "on";
  if (kind === "org") {
    const result = await importOrg(c.var.app, { actor, data: bytes, encoding, skipRejected });
    if (!result.applied)
      return done(c, "/staff/import?kind=org", "取り込める内容がなかったため、何も変更していません。");
    return done(
      c,
      "/org/departments",
      `組織のCSVを取り込みました（${countsText(result.plan.counts, orgOutcomeLabels)}）。`,
    );
  }
  const effectiveDate = upload.text("effectiveDate") || undefined;
  const result = await importStaff(c.var.app, {
    actor,
    data: bytes,
    encoding,
    effectiveDate,
    skipRejected,
  });
  if (!result.applied)
    return done(c, "/staff/import", "取り込める内容がなかったため、何も変更していません。");
  return done(
    c,
    "/staff",
    `職員のCSVを取り込みました（${countsText(result.plan.counts, staffOutcomeLabels)}）。`,
  );
}

export function importRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/staff/import", async (c) => {
    const kind = toKind(c.req.query("kind"));
    // Only those who may import see the form; a refusal is a 403 with its audit entry.
    await authorize(c.var.app, actorOf(c), kind === "org" ? "org.manage" : "staff.manage");
    return render(
      c,
      "CSVの取込み",
      <UploadForm csrf={csrfOf(c)} state={emptyForm({ kind })} today={tokyoDate(c.var.app.clock.now())} />,
    );
  });

  r.post("/staff/import", async (c) => {
    const actor = actorOf(c);
    const upload = await readUpload(c);
    const kind = toKind(upload.text("kind"));
    const encoding = toEncoding(upload.text("encoding"));
    const effectiveDate = upload.text("effectiveDate") || tokyoDate(c.var.app.clock.now());
    const today = tokyoDate(c.var.app.clock.now());
    if (!upload.file || upload.file.size === 0) {
      const state: FormState = {
        values: { kind },
        issues: [{ field: "file", message: "CSVファイルを選択してください。" }],
      };
      return render(c, "CSVの取込み", <UploadForm csrf={csrfOf(c)} state={state} today={today} />, 422);
    }
    const bytes = new Uint8Array(await upload.file.arrayBuffer());
    const data = Buffer.from(bytes).toString("base64");
    const confirm = (canApply: boolean, rejects: number) => (
      <form method="post" action="/staff/import/apply" class="stack">
        <Csrf token={csrfOf(c)} />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="encoding" value={encoding} />
        <input type="hidden" name="effectiveDate" value={effectiveDate} />
        <input type="hidden" name="data" value={data} />
        {!canApply && rejects > 0 ? (
          <Checkbox
            name="skipRejected"
            label={`取込不可の${rejects}行を除いて、残りを取り込む`}
            checked={false}
          />
        ) : null}
        <div class="actions">
          <button type="submit">取り込む</button>
          <a href="/staff/import">やり直す</a>
        </div>
      </form>
    );
    try {
      if (kind === "org") {
        const { plan } = await importOrg(c.var.app, { actor, data: bytes, encoding, dryRun: true });
        return render(
          c,
          "取込内容の確認",
          <>
            <h1>取込内容の確認（組織）</h1>
            <p>
              文字コード: {plan.encoding === "shift_jis" ? "Shift_JIS" : "UTF-8"}。
              {countsText(plan.counts, orgOutcomeLabels)}
            </p>
            <FileProblems
              fileErrors={plan.fileErrors}
              warnings={plan.warnings}
              unknownHeaders={plan.unknownHeaders}
            />
            <OrgPlanTable plan={plan} />
            {plan.fileErrors.length === 0 ? confirm(plan.canApply, plan.counts.reject) : null}
          </>,
        );
      }
      const { plan } = await importStaff(c.var.app, {
        actor,
        data: bytes,
        encoding,
        effectiveDate,
        dryRun: true,
      });
      return render(
        c,
        "取込内容の確認",
        <>
          <h1>取込内容の確認（職員）</h1>
          <p>
            文字コード: {plan.encoding === "shift_jis" ? "Shift_JIS" : "UTF-8"}。
            {countsText(plan.counts, staffOutcomeLabels)}
            。ファイルにない職員（{plan.notInFile}人）はそのままです。
          </p>
          <FileProblems
            fileErrors={plan.fileErrors}
            warnings={plan.warnings}
            unknownHeaders={plan.unknownHeaders}
          />
          <StaffPlanTable plan={plan} />
          {plan.fileErrors.length === 0 ? confirm(plan.canApply, plan.counts.reject) : null}
        </>,
      );
    } catch (error) {
      if (!isFileProblem(error)) throw error;
      const state: FormState = { values: { kind }, issues: [], message: error.message };
      return render(
        c,
        "CSVの取込み",
        <UploadForm csrf={csrfOf(c)} state={state} today={today} />,
        problemStatus(error),
      );
    }
  });

  r.post("/staff/import/apply", async (c) => {
    const actor = actorOf(c);
    const upload = await readUpload(c);
    const kind = toKind(upload.text("kind"));
    try {
      return await applyUpload(c, actor, upload, kind);
    } catch (error) {
      if (!isFileProblem(error)) throw error;
      const state: FormState = { values: { kind }, issues: [], message: error.message };
      const today = tokyoDate(c.var.app.clock.now());
      return render(
        c,
        "CSVの取込み",
        <UploadForm csrf={csrfOf(c)} state={state} today={today} />,
        problemStatus(error),
      );
    }
  });

  r.get("/staff/export.csv", async (c) => {
    const file = await exportStaff(c.var.app, { actor: actorOf(c) });
    c.header("Content-Type", file.contentType);
    c.header(
      "Content-Disposition",
      `attachment; filename="staff.csv"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return c.body(Buffer.from(file.body));
  });

  return r;
}
