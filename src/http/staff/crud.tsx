/**
 * List / create / edit pages for simple records (departments, divisions, positions), built
 * from a description of their fields and columns so each gets the same accessible forms.
 */
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { Actor, AppContext } from "../../app/context.ts";
import { type Action, can } from "../../domain/policy.ts";
import { notFound } from "../../errors.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import {
  Checkbox,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  type FormValues,
  type Option,
  SelectField,
  TextField,
} from "../views/components.tsx";

export type FieldDef =
  | { kind: "text"; name: string; label: string; hint?: string; required?: boolean; type?: "text" | "number" }
  | {
      kind: "select";
      name: string;
      label: string;
      hint?: string;
      required?: boolean;
      options: (ctx: AppContext) => Promise<Option[]>;
    }
  | { kind: "checkbox"; name: string; label: string; hint?: string };

export type Column<Row> = { label: string; value: (row: Row) => Child; numeric?: boolean };

export type CrudSpec<Row extends { id: number }> = {
  base: string;
  /** 「部」: used in headings and messages. */
  noun: string;
  title: string;
  intro?: string;
  manage: Action;
  fields: FieldDef[];
  columns: Column<Row>[];
  list(ctx: AppContext, actor: Actor): Promise<Row[]>;
  toValues(row: Row): FormValues;
  create(ctx: AppContext, props: { actor: Actor; input: unknown }): Promise<unknown>;
  update(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }): Promise<unknown>;
  /** Tabs or links shown above the list (e.g. between 部・課・職). */
  subnav?: Child;
};

async function fieldsView(ctx: AppContext, fields: FieldDef[], state: FormState) {
  const out: Child[] = [];
  for (const f of fields) {
    if (f.kind === "text") {
      out.push(
        <TextField
          name={f.name}
          label={f.label}
          hint={f.hint}
          required={f.required}
          type={f.type}
          state={state}
        />,
      );
    } else if (f.kind === "select") {
      out.push(
        <SelectField
          name={f.name}
          label={f.label}
          hint={f.hint}
          required={f.required}
          options={await f.options(ctx)}
          blank="選択してください"
          state={state}
        />,
      );
    } else {
      out.push(
        <Checkbox name={f.name} label={f.label} hint={f.hint} checked={state.values[f.name] === "on"} />,
      );
    }
  }
  return out;
}

/** Builds the routes for one kind of record. */
export function crudRoutes<Row extends { id: number }>(spec: CrudSpec<Row>) {
  const r = new Hono<AppEnv>();

  const formPage = async (
    c: HttpContext,
    mode: { id?: number },
    state: FormState,
    status: 200 | 409 | 422 = 200,
  ) => {
    const editing = mode.id !== undefined;
    const heading = editing ? `${spec.noun}の編集` : `${spec.noun}の追加`;
    const action = editing ? `${spec.base}/${mode.id}` : spec.base;
    return render(
      c,
      heading,
      <>
        <h1>{heading}</h1>
        <ErrorSummary state={state} />
        <form method="post" action={action} class="stack" novalidate>
          <Csrf token={csrfOf(c)} />
          {await fieldsView(c.var.app, spec.fields, state)}
          <div class="actions">
            <button type="submit">{editing ? "保存する" : "追加する"}</button>
            <a href={spec.base}>キャンセル</a>
          </div>
        </form>
      </>,
      status,
    );
  };

  /** Checkboxes are absent from a form body when unchecked. */
  const withCheckboxes = (values: FormValues): FormValues => {
    const out = { ...values };
    for (const f of spec.fields)
      if (f.kind === "checkbox") out[f.name] = values[f.name] === "on" ? "on" : "off";
    return out;
  };

  r.get(spec.base, async (c) => {
    const actor = actorOf(c);
    const rows = await spec.list(c.var.app, actor);
    const manage = can(actor, spec.manage);
    return render(
      c,
      spec.title,
      <>
        <h1>{spec.title}</h1>
        {spec.subnav}
        {spec.intro ? <p>{spec.intro}</p> : null}
        {manage ? (
          <p class="actions">
            <a class="button" href={`${spec.base}/new`}>
              {spec.noun}を追加
            </a>
          </p>
        ) : null}
        <div class="table-wrap">
          <table>
            <caption>{`${spec.title}（${rows.length}件）`}</caption>
            <thead>
              <tr>
                {spec.columns.map((col) => (
                  <th scope="col" class={col.numeric ? "num" : undefined}>
                    {col.label}
                  </th>
                ))}
                {manage ? <th scope="col">操作</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  {spec.columns.map((col) => (
                    <td class={col.numeric ? "num" : undefined}>{col.value(row)}</td>
                  ))}
                  {manage ? (
                    <td>
                      <a href={`${spec.base}/${row.id}/edit`}>編集</a>
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

  r.get(`${spec.base}/new`, (c) => {
    if (!can(actorOf(c), spec.manage)) return formPageDenied(c);
    const defaults: FormValues = {};
    for (const f of spec.fields) if (f.kind === "checkbox") defaults[f.name] = "on";
    return formPage(c, {}, emptyForm(defaults));
  });

  r.post(spec.base, async (c) => {
    const values = withCheckboxes(await formBody(c));
    const result = await submit(values, () => spec.create(c.var.app, { actor: actorOf(c), input: values }));
    if (!result.ok) return formPage(c, {}, result.state, result.status);
    return done(c, spec.base, `${spec.noun}を追加しました。`);
  });

  r.get(`${spec.base}/:id/edit`, async (c) => {
    const actor = actorOf(c);
    if (!can(actor, spec.manage)) return formPageDenied(c);
    const id = intParam(c.req.param("id"));
    const row = (await spec.list(c.var.app, actor)).find((x) => x.id === id);
    if (!row) throw notFound(spec.noun);
    return formPage(c, { id }, emptyForm(spec.toValues(row)));
  });

  r.post(`${spec.base}/:id`, async (c) => {
    const id = intParam(c.req.param("id"));
    const values = withCheckboxes(await formBody(c));
    const result = await submit(values, () =>
      spec.update(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!result.ok) return formPage(c, { id }, result.state, result.status);
    return done(c, spec.base, `${spec.noun}を更新しました。`);
  });

  const formPageDenied = (c: HttpContext) =>
    render(
      c,
      "権限がありません",
      <>
        <h1>権限がありません</h1>
        <p>この操作を行う権限がありません。必要な場合はシステム管理者にお問い合わせください。</p>
      </>,
      403,
    );

  return r;
}
