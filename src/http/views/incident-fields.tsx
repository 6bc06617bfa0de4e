/**
 * Form fields for the incident page, where many small forms share one page: each field's id
 * carries its form's prefix (`f-step12-note`), so ids stay unique and each form's error summary
 * links to its own fields. Labels, hints and errors are tied by aria-describedby as elsewhere.
 */
import type { Child, FC } from "hono/jsx";
import { type FormState, issueFor, type Option } from "./components.tsx";
import { ErrorSummary, fieldElementId } from "./error-summary.tsx";

const idOf = (prefix: string, name: string) => fieldElementId(name, prefix);

type Base = {
  prefix: string;
  name: string;
  label: string;
  state?: FormState | undefined;
  hint?: string | undefined;
  required?: boolean;
};

function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

const Described: FC<{ id: string; hint?: string | undefined; error?: string | undefined }> = ({
  id,
  hint,
  error,
}) => (
  <>
    {hint ? (
      <span class="hint" id={`${id}-hint`}>
        {hint}
      </span>
    ) : null}
    {error ? (
      <span class="error" id={`${id}-error`}>
        <span class="visually-hidden">エラー: </span>
        {error}
      </span>
    ) : null}
  </>
);

const Label: FC<{ id: string; label: string; required?: boolean | undefined }> = ({
  id,
  label,
  required,
}) => (
  <label for={id}>
    {label}
    {required ? <span class="required">必須</span> : null}
  </label>
);

/** A one-line input. */
export const PInput: FC<
  Base & { type?: "text" | "url" | "datetime-local" | "date"; value?: string | undefined; maxlength?: number }
> = (p) => {
  const id = idOf(p.prefix, p.name);
  const error = issueFor(p.state, p.name);
  return (
    <div class="field">
      <Label id={id} label={p.label} required={p.required} />
      <Described id={id} hint={p.hint} error={error} />
      <input
        type={p.type ?? "text"}
        id={id}
        name={p.name}
        value={p.state?.values[p.name] ?? p.value}
        required={p.required}
        maxlength={p.maxlength}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, p.hint, error)}
      />
    </div>
  );
};

/** A text area. */
export const PTextArea: FC<Base & { value?: string | undefined; rows?: number }> = (p) => {
  const id = idOf(p.prefix, p.name);
  const error = issueFor(p.state, p.name);
  return (
    <div class="field">
      <Label id={id} label={p.label} required={p.required} />
      <Described id={id} hint={p.hint} error={error} />
      <textarea
        id={id}
        name={p.name}
        rows={p.rows ?? 3}
        required={p.required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, p.hint, error)}
      >
        {p.state?.values[p.name] ?? p.value ?? ""}
      </textarea>
    </div>
  );
};

/** A select. */
export const PSelect: FC<Base & { options: Option[]; value?: string | undefined; blank?: string }> = (p) => {
  const id = idOf(p.prefix, p.name);
  const error = issueFor(p.state, p.name);
  const selected = p.state?.values[p.name] ?? p.value ?? "";
  return (
    <div class="field">
      <Label id={id} label={p.label} required={p.required} />
      <Described id={id} hint={p.hint} error={error} />
      <select
        id={id}
        name={p.name}
        required={p.required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, p.hint, error)}
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

/** A checkbox. */
export const PCheckbox: FC<{
  prefix: string;
  name: string;
  label: string;
  checked: boolean;
  hint?: string;
}> = (p) => {
  const id = idOf(p.prefix, p.name);
  return (
    <div class="field">
      <div class="checkbox">
        <input
          type="checkbox"
          id={id}
          name={p.name}
          value="on"
          checked={p.checked}
          aria-describedby={p.hint ? `${id}-hint` : undefined}
        />
        <label for={id}>{p.label}</label>
      </div>
      {p.hint ? (
        <span class="hint" id={`${id}-hint`}>
          {p.hint}
        </span>
      ) : null}
    </div>
  );
};

/** A file input (PNG, JPEG or PDF). */
export const PFile: FC<{
  prefix: string;
  name: string;
  label: string;
  state?: FormState | undefined;
  hint?: string;
}> = (p) => {
  const id = idOf(p.prefix, p.name);
  const error = issueFor(p.state, p.name);
  return (
    <div class="field">
      <Label id={id} label={p.label} />
      <Described id={id} hint={p.hint} error={error} />
      <input
        type="file"
        id={id}
        name={p.name}
        accept=".png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf"
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, p.hint, error)}
      />
    </div>
  );
};

/**
 * The error summary of one form, with its fields' prefix: shown in the page's one summary at the
 * top (error-summary.tsx). `level` is kept for callers; the summary's heading is the page's h2.
 */
export const PErrorSummary: FC<{
  prefix: string;
  state?: FormState | undefined;
  title?: string;
  level?: 2 | 3;
}> = ({ prefix, state, title }) => <ErrorSummary state={state} prefix={prefix} title={title} />;

/** A radio group in a fieldset, each choice with an optional hint. */
export const PRadios: FC<{
  prefix: string;
  name: string;
  legend: string;
  options: Array<Option & { hint?: string }>;
  value?: string | undefined;
  state?: FormState | undefined;
  required?: boolean;
}> = (p) => {
  const error = issueFor(p.state, p.name);
  const selected = p.state?.values[p.name] ?? p.value ?? "";
  const groupId = idOf(p.prefix, p.name);
  return (
    <fieldset class="field" id={groupId} aria-describedby={error ? `${groupId}-error` : undefined}>
      <legend>
        {p.legend}
        {p.required ? <span class="required">必須</span> : null}
      </legend>
      {error ? (
        <span class="error" id={`${groupId}-error`}>
          <span class="visually-hidden">エラー: </span>
          {error}
        </span>
      ) : null}
      {p.options.map((o) => {
        const id = `${groupId}-${o.value}`;
        return (
          <div class="checkbox">
            <input
              type="radio"
              id={id}
              name={p.name}
              value={o.value}
              checked={o.value === selected}
              required={p.required}
              aria-describedby={o.hint ? `${id}-hint` : undefined}
            />
            <label for={id}>{o.label}</label>
            {o.hint ? (
              <span class="hint" id={`${id}-hint`}>
                {o.hint}
              </span>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
};

/** A small form posting to `action` with the CSRF token. */
export const PForm: FC<{
  action: string;
  csrf: string;
  multipart?: boolean;
  label?: string;
  children?: Child;
}> = ({ action, csrf, multipart, label, children }) => (
  <form
    method="post"
    action={action}
    class="stack"
    novalidate
    enctype={multipart ? "multipart/form-data" : undefined}
    aria-label={label}
  >
    <input type="hidden" name="_csrf" value={csrf} />
    {children}
  </form>
);
