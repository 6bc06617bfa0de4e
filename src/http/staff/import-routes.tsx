/**
 * CSV import and export pages: upload a staff or organisation CSV (UTF-8 or Shift_JIS), see
 * every row it would create, change, move or reject and why, then apply it in one go; and the
 * staff CSV export that opens in Excel.
 */
import { Hono } from "hono";
import { authorize } from "../../app/authorize.ts";
import type { EncodingOption } from "../../app/csv.ts";
import { importOrg, type OrgImportPlan, orgKindLabels, orgOutcomeLabels } from "../../app/org/import.ts";
import { exportStaff } from "../../app/staff/export.ts";
import { importStaff, type StaffImportPlan, staffOutcomeLabels } from "../../app/staff/import.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
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
  issueFor,
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

/** A file that cannot be read or a bad 発令日 is 422; a row that clashed while applying is 409. */
function problemStatus(error: AppError): 409 | 422 {
  return error.code === "conflict" ? 409 : 422;
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
      <FileField error={issueFor(props.state, "file")} />
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

/** The file chooser, with the problem of the file last chosen (a browser never keeps the file). */
const FileField = ({ error }: { error: string | undefined }) => (
  <div class="field">
    <label for="f-file">
      CSVファイル<span class="required">必須</span>
    </label>
    {error ? (
      <>
        <span class="error" id="f-file-error">
          <span class="visually-hidden">エラー: </span>
          {error}
        </span>
        <span class="hint" id="f-file-hint">
          ほかの入力内容はそのままです。ファイルだけ選び直してください。
        </span>
      </>
    ) : null}
    <input
      type="file"
      id="f-file"
      name="file"
      accept=".csv,text/csv"
      required
      aria-invalid={error ? "true" : undefined}
      aria-describedby={error ? "f-file-error f-file-hint" : undefined}
    />
  </div>
);

/** Staff rows name departments, divisions and posts, so the organisation file comes first. */
const OrgMissing = () => (
  <div class="notice notice-error" role="alert" aria-labelledby="org-missing-title">
    <h2 id="org-missing-title">先に組織のCSVを取り込んでください</h2>
    <p>
      部・課・職がまだ登録されていないため、職員の行はすべて取込不可になります。職員のCSVに書かれた部・課・職を先に登録する必要があります。
    </p>
    <p>
      <a href="/staff/import?kind=org">組織（部・課・職）のCSVを取り込む</a>
      か、<a href="/org/departments">組織の画面</a>
      で部・課・職を登録してから、このファイルを取り込み直してください。
    </p>
  </div>
);

const FileProblems = (props: { fileErrors: string[]; warnings: string[] }) => (
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
    {props.warnings.length > 0 ? (
      <div class="notice notice-warning">
        <h2>確認してください</h2>
        <ul>
          {props.warnings.map((w) => (
            <li>{w}</li>
          ))}
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
                  <li>{`人事異動として記録（発令日 ${formatDate(row.transfer.effectiveDate)}${row.transfer.scheduled ? "、発令予定" : ""}）`}</li>
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

/** The sentence above a plan: the encoding read and what each outcome counts, one 「。」 each. */
function summaryText(encoding: string, counts: string, extra?: string): string {
  return [`文字コード: ${encoding === "shift_jis" ? "Shift_JIS" : "UTF-8"}`, counts, extra ?? ""]
    .filter((part) => part !== "")
    .map((part) => `${part}。`)
    .join("");
}

/** What the upload form sent, kept to re-show it and to carry it to the confirmation step. */
type Upload = { kind: Kind; encoding: EncodingOption; effectiveDate: string; bytes: Uint8Array };

async function readUpload(c: HttpContext) {
  const body = await c.req.parseBody();
  const file = body.file;
  const text = (name: string) => {
    const value = body[name];
    return typeof value === "string" ? value : undefined;
  };
  return { file: file instanceof File ? file : undefined, data: text("data"), text };
}

/**
 * The upload form again, with the problem at the top and next to its field (422): the 発令日's
 * when the refusal names it, otherwise the file's.
 */
function uploadProblem(
  c: HttpContext,
  upload: Omit<Upload, "bytes">,
  message: string,
  status: 400 | 409 | 422,
  error?: AppError,
) {
  const field = error?.fields.some((f) => f.field === "effectiveDate") ? "effectiveDate" : "file";
  const state: FormState = {
    values: { kind: upload.kind, encoding: upload.encoding, effectiveDate: upload.effectiveDate },
    issues: [{ field, message }],
  };
  const today = tokyoDate(c.var.app.clock.now());
  return render(c, "CSVの取込み", <UploadForm csrf={csrfOf(c)} state={state} today={today} />, status);
}

/**
 * The confirmation page of an upload: what each row would do, and the form that applies it.
 * `problem` is why a press of 取り込む did nothing (shown at the top, status 422).
 */
async function previewPage(
  c: HttpContext,
  actor: ReturnType<typeof actorOf>,
  upload: Upload,
  problem?: string,
): Promise<Response> {
  const { kind, encoding, effectiveDate, bytes } = upload;
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
        <a href={`/staff/import${kind === "org" ? "?kind=org" : ""}`}>やり直す</a>
      </div>
    </form>
  );
  const status = problem ? 422 : 200;
  const problemBox = problem ? (
    <div class="notice notice-error" role="alert" aria-labelledby="apply-problem-title">
      <h2 id="apply-problem-title">まだ何も取り込んでいません</h2>
      <p>{problem}</p>
    </div>
  ) : null;
  if (kind === "org") {
    const { plan } = await importOrg(c.var.app, { actor, data: bytes, encoding, dryRun: true });
    return render(
      c,
      "取込内容の確認",
      <>
        <h1>取込内容の確認（組織）</h1>
        {problemBox}
        <p>{summaryText(plan.encoding, countsText(plan.counts, orgOutcomeLabels))}</p>
        <FileProblems fileErrors={plan.fileErrors} warnings={plan.warnings} />
        <OrgPlanTable plan={plan} />
        {plan.fileErrors.length === 0 ? confirm(plan.canApply, plan.counts.reject) : null}
      </>,
      status,
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
      {problemBox}
      {plan.orgMissing ? <OrgMissing /> : null}
      <p>
        {summaryText(
          plan.encoding,
          countsText(plan.counts, staffOutcomeLabels),
          plan.fileErrors.length === 0 ? `ファイルにない職員（${plan.notInFile}人）はそのままです` : "",
        )}
      </p>
      <FileProblems fileErrors={plan.fileErrors} warnings={plan.warnings} />
      <StaffPlanTable plan={plan} />
      {plan.fileErrors.length === 0 ? confirm(plan.canApply, plan.counts.reject) : null}
    </>,
    status,
  );
}

/** Why applying did nothing although the file was readable, and what to do next. */
function notAppliedReason(counts: Record<string, number>, fileErrors: number): string {
  if (fileErrors > 0)
    return "このファイルには取り込めない問題があります。下の内容を確認し、ファイルを直してから選び直してください。";
  const rejects = counts.reject ?? 0;
  const usable = Object.entries(counts)
    .filter(([k]) => k !== "reject")
    .reduce((sum, [, n]) => sum + n, 0);
  if (usable === 0)
    return `すべての行（${rejects}行）が取込不可のため、取り込める行がありません。下の理由を見てファイルを直し、「やり直す」から選び直してください。`;
  return `取込不可の行が${rejects}行あるため、ファイル全体を取り込んでいません（取り込める行は${usable}行あります）。その${usable}行だけを取り込むには、「取込不可の${rejects}行を除いて、残りを取り込む」にチェックを入れてから「取り込む」を押してください。すべての行を取り込むには、ファイルを直して「やり直す」から選び直してください。`;
}

/** Applies a confirmed upload (the file comes back from the confirmation page as base64). */
async function applyUpload(
  c: HttpContext,
  actor: ReturnType<typeof actorOf>,
  upload: Upload,
  skipRejected: boolean,
) {
  const { kind, encoding, bytes } = upload;
  if (kind === "org") {
    const result = await importOrg(c.var.app, { actor, data: bytes, encoding, skipRejected });
    if (!result.applied)
      return previewPage(
        c,
        actor,
        upload,
        notAppliedReason(result.plan.counts, result.plan.fileErrors.length),
      );
    return done(c, "/org/departments", appliedText("組織", result.plan.counts, orgOutcomeLabels));
  }
  const result = await importStaff(c.var.app, {
    actor,
    data: bytes,
    encoding,
    effectiveDate: upload.effectiveDate || undefined,
    skipRejected,
  });
  if (!result.applied)
    return previewPage(c, actor, upload, notAppliedReason(result.plan.counts, result.plan.fileErrors.length));
  return done(c, "/staff", appliedText("職員", result.plan.counts, staffOutcomeLabels));
}

/** The message after applying: what changed, and plainly when nothing did. */
function appliedText(what: string, counts: Record<string, number>, labels: Record<string, string>): string {
  const changed = Object.entries(counts)
    .filter(([k]) => k !== "reject" && k !== "unchanged")
    .reduce((sum, [, n]) => sum + n, 0);
  const detail = countsText(counts, labels);
  if (changed === 0) return `${what}のCSVの内容はすでに登録済みのため、何も変更していません（${detail}）。`;
  return `${what}のCSVを取り込みました（${detail}）。${(counts.reject ?? 0) > 0 ? `取込不可の${counts.reject}行は取り込んでいません。` : ""}`;
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
    const form = await readUpload(c);
    const sent = {
      kind: toKind(form.text("kind")),
      encoding: toEncoding(form.text("encoding")),
      effectiveDate: form.text("effectiveDate") || tokyoDate(c.var.app.clock.now()),
    };
    if (!form.file || form.file.size === 0) {
      // Refused before anything is read: authorise first so a non-administrator gets the 403.
      await authorize(c.var.app, actor, sent.kind === "org" ? "org.manage" : "staff.manage");
      return uploadProblem(c, sent, "CSVファイルを選択してください。", 422);
    }
    const bytes = new Uint8Array(await form.file.arrayBuffer());
    try {
      return await previewPage(c, actor, { ...sent, bytes });
    } catch (error) {
      if (!isFileProblem(error)) throw error;
      return uploadProblem(c, sent, error.message, problemStatus(error), error);
    }
  });

  r.post("/staff/import/apply", async (c) => {
    const actor = actorOf(c);
    const form = await readUpload(c);
    const upload: Upload = {
      kind: toKind(form.text("kind")),
      encoding: toEncoding(form.text("encoding")),
      effectiveDate: form.text("effectiveDate") ?? "",
      bytes: new Uint8Array(Buffer.from(form.data ?? "", "base64")),
    };
    try {
      return await applyUpload(c, actor, upload, form.text("skipRejected") === "on");
    } catch (error) {
      if (!isFileProblem(error)) throw error;
      return uploadProblem(c, upload, error.message, problemStatus(error), error);
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
