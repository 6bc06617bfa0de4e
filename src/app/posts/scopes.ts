/**
 * 予め範囲を決めた許可 (5.1.4 ただし書): the account manager approves, in advance, a named kind
 * of post for an account — a template with {field} placeholders, what each field may hold, the
 * categories allowed, links to the city's own sites only, valid until a date. A post made from
 * it that still fits and has no checker error is approved at once (submit.ts).
 */
import type { AccountView } from "../../db/repos/accounts.ts";
import { findScope, insertScope, listScopes, type PostScope, updateScope } from "../../db/repos/posts.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import { isPostCategory, type PostCategory, type ScopeField, type ScopeSpec } from "../../domain/posts.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { getAccount } from "../accounts/read.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId } from "../context.ts";
import { parse } from "../validate.ts";
import { accountTargetFor } from "./access.ts";
import { type ScopeInput, scopeInput } from "./input.ts";

/** The scope as the domain rules read it (jsonb columns narrowed). */
export function scopeSpec(scope: PostScope): ScopeSpec {
  return {
    template: scope.template,
    fields: scopeFields(scope.fields),
    categories: scopeCategories(scope.categories),
    cityLinksOnly: scope.cityLinksOnly,
    validUntil: scope.validUntil,
    active: scope.active,
  };
}

/** The fields of a scope as stored. */
export function scopeFields(value: unknown): ScopeField[] {
  if (!Array.isArray(value)) return [];
  const out: ScopeField[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null) continue;
    const name: unknown = Reflect.get(item, "name");
    const label: unknown = Reflect.get(item, "label");
    const pattern: unknown = Reflect.get(item, "pattern");
    const maxLength: unknown = Reflect.get(item, "maxLength");
    if (typeof name !== "string" || typeof label !== "string") continue;
    out.push({
      name,
      label,
      ...(typeof pattern === "string" && pattern !== "" ? { pattern } : {}),
      ...(typeof maxLength === "number" ? { maxLength } : {}),
    });
  }
  return out;
}

/** The categories of a scope as stored. */
export function scopeCategories(value: unknown): PostCategory[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string").filter(isPostCategory)
    : [];
}

/** Placeholders ({name}) used in a template. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? ""))];
}

/** The account's scopes, and what the person may do with them. */
export type ScopeList = {
  account: AccountView;
  scopes: PostScope[];
  today: string;
  canManage: boolean;
  canDraft: boolean;
};

/** An account's scopes (seen by those who see its posts, its operators and the deputy). */
export async function accountScopes(
  ctx: AppContext,
  props: { actor: Actor; accountId: number },
): Promise<ScopeList> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  const target = await accountTargetFor(ctx, props.actor, {
    accountId: account.id,
    divisionId: account.divisionId,
    departmentId: account.departmentId,
  });
  const canManage = allowed(props.actor, "post.scope_manage", target);
  const canDraft = allowed(props.actor, "post.draft", target);
  if (!canManage && !canDraft && !target.deputyOf) await authorize(ctx, props.actor, "post.read", target);
  return {
    account,
    scopes: await listScopes(ctx.db, account.id),
    today: tokyoDate(ctx.clock.now()),
    canManage,
    canDraft,
  };
}

/** One scope an operator may start a post from (active and in force today). */
export async function scopeForDrafting(
  ctx: AppContext,
  props: { actor: Actor; scopeId: number },
): Promise<{ scope: PostScope; account: AccountView; fields: ScopeField[] }> {
  const scope = await findScope(ctx.db, props.scopeId);
  if (!scope) throw notFound("範囲の許可");
  const list = await accountScopes(ctx, { actor: props.actor, accountId: scope.accountId });
  if (!list.canDraft) throw notFound("範囲の許可");
  if (!scope.active) throw conflict(`範囲の許可「${scope.name}」は取り消されています。`);
  if (scope.validUntil < list.today)
    throw conflict(`範囲の許可「${scope.name}」は${formatDate(scope.validUntil)}で有効期限が切れています。`);
  return { scope, account: list.account, fields: scopeFields(scope.fields) };
}

async function managedAccount(ctx: AppContext, actor: Actor, accountId: number): Promise<AccountView> {
  const account = await getAccount(ctx, { actor, id: accountId });
  const target = await accountTargetFor(ctx, actor, {
    accountId: account.id,
    divisionId: account.divisionId,
    departmentId: account.departmentId,
  });
  await authorize(ctx, actor, "post.scope_manage", target);
  return account;
}

/** Checks a scope's definition beyond its shape: placeholders and fields agree, patterns compile. */
function assertSound(input: ScopeInput, today: string): void {
  const used = placeholders(input.template);
  const names = input.fields.map((f) => f.name);
  const issues: Array<{ field: string; message: string }> = [];
  for (const name of used) {
    if (!names.includes(name))
      issues.push({
        field: "template",
        message: `テンプレートの {${name}} に対応する項目を定めてください。`,
      });
  }
  input.fields.forEach((f, i) => {
    if (!used.includes(f.name))
      issues.push({
        field: `fields.${i}.name`,
        message: `項目 ${f.name} はテンプレートで使われていません。`,
      });
    if (names.indexOf(f.name) !== i)
      issues.push({ field: `fields.${i}.name`, message: `項目の記号 ${f.name} が重複しています。` });
    if (f.pattern) {
      try {
        new RegExp(f.pattern, "u");
      } catch {
        issues.push({
          field: `fields.${i}.pattern`,
          message: `「${f.label}」の入力パターンが正しくありません。`,
        });
      }
    }
  });
  if (input.validUntil < today)
    issues.push({ field: "validUntil", message: "有効期限には今日以降の日付を指定してください。" });
  if (issues.length > 0) {
    throw validation(
      issues.length === 1
        ? (issues[0]?.message ?? "")
        : "入力内容に誤りがあります。各項目を確認してください。",
      issues,
    );
  }
}

/**
 * Defines a scope for an account.
 * @param props.actor the account manager (post.scope_manage)
 * @param props.input see `scopeInput`
 */
export async function createScope(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; input: unknown },
): Promise<PostScope> {
  const account = await managedAccount(ctx, props.actor, props.accountId);
  const input = parse(scopeInput, props.input);
  assertSound(input, tokyoDate(ctx.clock.now()));
  return change(ctx, props.actor, "post.scope_create", async (tx, at) => {
    const scope = await insertScope(tx, {
      accountId: account.id,
      name: input.name,
      template: input.template,
      fields: input.fields.map((f) => ({
        name: f.name,
        label: f.label,
        ...(f.pattern ? { pattern: f.pattern } : {}),
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
      })),
      categories: input.categories,
      cityLinksOnly: input.cityLinksOnly,
      validUntil: input.validUntil,
      createdBy: actorId(props.actor),
      active: true,
      createdAt: at,
      updatedAt: at,
    });
    return {
      result: scope,
      target: { type: "account", id: account.id },
      summary: {
        scopeId: scope.id,
        name: scope.name,
        template: scope.template,
        fields: scope.fields,
        categories: scope.categories,
        cityLinksOnly: scope.cityLinksOnly,
        validUntil: scope.validUntil,
      },
    };
  });
}

/** Revokes a scope: posts can no longer be started from it or approved under it. */
export async function revokeScope(
  ctx: AppContext,
  props: { actor: Actor; scopeId: number; accountId?: number },
): Promise<PostScope> {
  const scope = await findScope(ctx.db, props.scopeId);
  if (!scope || (props.accountId !== undefined && scope.accountId !== props.accountId))
    throw notFound("範囲の許可");
  const account = await managedAccount(ctx, props.actor, scope.accountId);
  if (!scope.active) throw conflict(`範囲の許可「${scope.name}」はすでに取り消されています。`);
  return change(ctx, props.actor, "post.scope_revoke", async (tx, at) => {
    const updated = await updateScope(tx, scope.id, { active: false }, at);
    if (!updated) throw notFound("範囲の許可");
    return {
      result: updated,
      target: { type: "account", id: account.id },
      summary: { scopeId: scope.id, name: scope.name },
    };
  });
}
