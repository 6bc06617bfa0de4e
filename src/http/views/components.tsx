/**
 * Reusable pieces of server-rendered pages: messages, the error summary (error-summary.tsx), labelled form fields
 * (each with its hint and error tied by aria-describedby), the CSRF field, pagination.
 */
import type { Child, FC } from "hono/jsx";
import type { FieldIssue } from "../../errors.ts";
import { fieldElementId } from "./error-summary.tsx";

export type FlashMessage = { kind: "success" | "error" | "warning" | "info"; text: string };

export const Flash: FC<{ message?: FlashMessage | undefined }> = ({ message }) => {
  if (!message) return null;
  const role = message.kind === "error" ? "alert" : "status";
  return (
    <div class={`notice notice-${message.kind}`} role={role}>
      <p>{message.text}</p>
    </div>
  );
};

/** Form values as typed by the user (re-shown after an error; nothing is lost). */
export type FormValues = Record<string, string | undefined>;
export type FormState = { values: FormValues; issues: FieldIssue[]; message?: string | undefined };

export const emptyForm = (values: FormValues = {}): FormState => ({ values, issues: [] });

const fieldId = (name: string) => fieldElementId(name);

export function issueFor(state: FormState | undefined, name: string): string | undefined {
  return state?.issues.find((i) => i.field === name)?.message;
}

/** The error summary (shown once at the top of the page; see error-summary.tsx). */
export { ErrorSummary, refusal } from "./error-summary.tsx";

/**
 * The message of a field group (a fieldset of checkboxes) beside its legend; the fieldset names it
 * in aria-describedby with `fieldErrorId(name)`, and the error summary links to `#f-<name>`.
 */
export const FieldError: FC<{ name: string; state?: FormState | undefined }> = ({ name, state }) => {
  const error = issueFor(state, name);
  if (!error) return null;
  return (
    <span class="error" id={fieldErrorId(name)}>
      <span class="visually-hidden">エラー: </span>
      {error}
    </span>
  );
};

/** The id of a field's error message (for aria-describedby). */
export function fieldErrorId(name: string): string {
  return `${fieldId(name)}-error`;
}

export const Csrf: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

type FieldBase = {
  name: string;
  label: string;
  state?: FormState | undefined;
  hint?: string;
  required?: boolean;
};

const Described: FC<{ name: string; hint?: string | undefined; error?: string | undefined }> = ({
  name,
  hint,
  error,
}) => (
  <>
    {hint ? (
      <span class="hint" id={`${fieldId(name)}-hint`}>
        {hint}
      </span>
    ) : null}
    {error ? (
      <span class="error" id={`${fieldId(name)}-error`}>
        <span class="visually-hidden">エラー: </span>
        {error}
      </span>
    ) : null}
  </>
);

function describedBy(name: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : "", error ? `${fieldId(name)}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

const Label: FC<{ name: string; label: string; required?: boolean | undefined }> = ({
  name,
  label,
  required,
}) => (
  <label for={fieldId(name)}>
    {label}
    {required ? <span class="required">必須</span> : null}
  </label>
);

export const TextField: FC<
  FieldBase & {
    type?: "text" | "email" | "password" | "date" | "search" | "number" | "url" | "datetime-local";
    value?: string | undefined;
    autocomplete?: string;
    inputmode?: "numeric" | "text" | "email" | "url";
    maxlength?: number;
  }
> = (p) => {
  const error = issueFor(p.state, p.name);
  const value = p.type === "password" ? undefined : (p.state?.values[p.name] ?? p.value);
  return (
    <div class="field">
      <Label name={p.name} label={p.label} required={p.required} />
      <Described name={p.name} hint={p.hint} error={error} />
      <input
        type={p.type ?? "text"}
        id={fieldId(p.name)}
        name={p.name}
        value={value}
        required={p.required}
        autocomplete={p.autocomplete}
        inputmode={p.inputmode}
        maxlength={p.maxlength}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(p.name, p.hint, error)}
      />
    </div>
  );
};

export const TextArea: FC<FieldBase & { value?: string | undefined; rows?: number }> = (p) => {
  const error = issueFor(p.state, p.name);
  return (
    <div class="field">
      <Label name={p.name} label={p.label} required={p.required} />
      <Described name={p.name} hint={p.hint} error={error} />
      <textarea
        id={fieldId(p.name)}
        name={p.name}
        rows={p.rows ?? 5}
        required={p.required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(p.name, p.hint, error)}
      >
        {p.state?.values[p.name] ?? p.value ?? ""}
      </textarea>
    </div>
  );
};

export type Option = { value: string; label: string };

export const SelectField: FC<
  FieldBase & { options: Option[]; value?: string | undefined; blank?: string }
> = (p) => {
  const error = issueFor(p.state, p.name);
  const selected = p.state?.values[p.name] ?? p.value ?? "";
  return (
    <div class="field">
      <Label name={p.name} label={p.label} required={p.required} />
      <Described name={p.name} hint={p.hint} error={error} />
      <select
        id={fieldId(p.name)}
        name={p.name}
        required={p.required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(p.name, p.hint, error)}
      >
        {p.blank !== undefined ? <option value="">{p.blank}</option> : null}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === selected}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
};

export const Checkbox: FC<{
  name: string;
  label: string;
  checked: boolean;
  hint?: string;
  value?: string;
}> = (p) => (
  <div class="field">
    <div class="checkbox">
      <input
        type="checkbox"
        id={fieldId(`${p.name}-${p.value ?? "on"}`)}
        name={p.name}
        value={p.value ?? "on"}
        checked={p.checked}
        aria-describedby={p.hint ? `${fieldId(`${p.name}-${p.value ?? "on"}`)}-hint` : undefined}
      />
      <label for={fieldId(`${p.name}-${p.value ?? "on"}`)}>{p.label}</label>
    </div>
    {p.hint ? (
      <span class="hint" id={`${fieldId(`${p.name}-${p.value ?? "on"}`)}-hint`}>
        {p.hint}
      </span>
    ) : null}
  </div>
);

export const Badge: FC<{ tone: "ok" | "warn" | "error" | "muted"; children?: Child }> = ({
  tone,
  children,
}) => <span class={`badge badge-${tone}`}>{children}</span>;

/** Previous/next links keeping the current filters. */
export const Pagination: FC<{
  basePath: string;
  query: Record<string, string | undefined>;
  page: number;
  pageSize: number;
  total: number;
}> = ({ basePath, query, page, pageSize, total }) => {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
    params.set("page", String(p));
    return `${basePath}?${params.toString()}`;
  };
  return (
    <nav class="pagination" aria-label="ページ送り">
      {page > 1 ? <a href={href(page - 1)}>前のページ</a> : null}
      <span>
        {page} / {pages} ページ（全{total}件）
      </span>
      {page < pages ? <a href={href(page + 1)}>次のページ</a> : null}
    </nav>
  );
};
