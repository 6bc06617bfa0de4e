/**
 * Input validation shared by pages, the API and the CLI. Field builders carry natural Japanese
 * messages (「氏名を入力してください。」); `parse` turns problems into one AppError with a
 * message per field, so a form can show each next to its field and keep what was typed.
 */
import { z } from "zod";
import { AppError, type FieldIssue } from "../errors.ts";

z.config(z.locales.ja());

/** Half of a surrogate pair: not Unicode, and stored as U+FFFD if let through. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when `value` can be stored as text as it is: no NUL character (which PostgreSQL cannot
 * store in text) and no lone surrogate. No field accepts either.
 */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !loneSurrogate.test(value);
}

/** The message for text that cannot be stored, naming the field when there is a label. */
export function unstorableMessage(label?: string): string {
  return `${label ? `${label}に` : ""}使用できない文字（NUL文字や不完全なサロゲート文字）が含まれています。入力し直してください。`;
}

/** Any string a field can hold (no NUL, no lone surrogate); the base of every text field. */
export const storableString = (label?: string, required?: string) =>
  z
    .string(required ? { error: required } : undefined)
    .refine(isStorableText, { error: unstorableMessage(label), abort: true });

/** Required single-line text, trimmed. */
export const text = (label: string, max = 200) =>
  storableString(label, `${label}を入力してください。`)
    .trim()
    .min(1, { error: `${label}を入力してください。` })
    .max(max, { error: `${label}は${max}文字以内で入力してください。` });

/** Optional text: empty becomes "". */
export const optionalText = (label: string, max = 2000) =>
  storableString(label)
    .trim()
    .max(max, { error: `${label}は${max}文字以内で入力してください。` })
    .optional()
    .transform((v) => v ?? "");

export const email = (label = "メールアドレス") =>
  storableString(label, `${label}を入力してください。`)
    .trim()
    .min(1, { error: `${label}を入力してください。` })
    .pipe(z.email({ error: `${label}の形式が正しくありません（例: taro@city.example.lg.jp）。` }));

/** A positive integer id, accepting form strings. */
export const idOf = (label: string) =>
  z.coerce
    .number({ error: `${label}を選択してください。` })
    .int({ error: `${label}を選択してください。` })
    .positive({ error: `${label}を選択してください。` });

/** An optional id: "" or missing becomes null. */
export const optionalIdOf = (label: string) =>
  z.preprocess((v) => (v === "" || v === undefined ? null : v), idOf(label).nullable());

/** A calendar date YYYY-MM-DD. */
export const plainDate = (label: string) =>
  z
    .string({ error: `${label}を入力してください。` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${label}は「2026-04-01」の形式で入力してください。` })
    .refine(
      (v) =>
        !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      {
        error: `${label}に存在しない日付が入力されています。`,
      },
    );

/** Checkbox / boolean from a form ("on", "true", "1") or JSON. */
export const flag = () =>
  z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

/**
 * Parses `data` with `schema`.
 * @throws AppError("validation") with one Japanese message per field
 */
export function parse<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const fields: FieldIssue[] = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const first = fields[0]?.message ?? "入力内容を確認してください。";
  throw new AppError(
    "validation",
    fields.length > 1 ? "入力内容に誤りがあります。各項目を確認してください。" : first,
    {
      fields,
    },
  );
}
