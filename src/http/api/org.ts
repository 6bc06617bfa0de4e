/**
 * /departments, /divisions, /positions: list, create, update.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { JSONValue } from "hono/utils/types";
import type { Actor, AppContext } from "../../app/context.ts";
import * as org from "../../app/org/units.ts";
import type { AppEnv } from "../env.ts";
import { apiActor, created, idParam, jsonBody, ok } from "./helpers.ts";
import {
  departmentDto,
  departmentSchema,
  divisionDto,
  divisionSchema,
  positionDto,
  positionSchema,
} from "./schemas.ts";

type Spec<Row> = {
  path: string;
  tag: string;
  noun: string;
  /** The operationIds of list, create and update (camelCase, stable: clients are generated from them). */
  operationIds: { list: string; create: string; update: string };
  schema: z.ZodType;
  input: z.ZodType;
  list(ctx: AppContext, actor: Actor): Promise<Row[]>;
  create(ctx: AppContext, props: { actor: Actor; input: unknown }): Promise<Row>;
  update(ctx: AppContext, props: { actor: Actor; id: number; input: unknown }): Promise<Row | undefined>;
  dto(row: Row): JSONValue;
};

function resource<Row>(r: OpenAPIHono<AppEnv>, spec: Spec<Row>) {
  const item = z.object({ item: spec.schema });
  r.openapi(
    createRoute({
      method: "get",
      path: spec.path,
      operationId: spec.operationIds.list,
      tags: [spec.tag],
      summary: `${spec.noun}の一覧`,
      responses: ok(z.object({ items: z.array(spec.schema) }), "一覧"),
    }),
    async (c) => c.json({ items: (await spec.list(c.var.app, apiActor(c))).map(spec.dto) }, 200),
  );
  r.openapi(
    createRoute({
      method: "post",
      path: spec.path,
      operationId: spec.operationIds.create,
      tags: [spec.tag],
      summary: `${spec.noun}を追加`,
      request: jsonBody(spec.input),
      responses: created(item, "追加した"),
    }),
    async (c) =>
      c.json(
        { item: spec.dto(await spec.create(c.var.app, { actor: apiActor(c), input: c.req.valid("json") })) },
        201,
      ),
  );
  r.openapi(
    createRoute({
      method: "put",
      path: `${spec.path}/{id}`,
      operationId: spec.operationIds.update,
      tags: [spec.tag],
      summary: `${spec.noun}を更新`,
      request: { params: idParam, ...jsonBody(spec.input) },
      responses: ok(z.object({ item: spec.schema.nullable() }), "更新した"),
    }),
    async (c) => {
      const row = await spec.update(c.var.app, {
        actor: apiActor(c),
        id: c.req.valid("param").id,
        input: c.req.valid("json"),
      });
      return c.json({ item: row === undefined ? null : spec.dto(row) }, 200);
    },
  );
}

export function orgApi() {
  const r = new OpenAPIHono<AppEnv>();
  resource(r, {
    path: "/departments",
    operationIds: { list: "listDepartments", create: "createDepartment", update: "updateDepartment" },
    tag: "organisation",
    noun: "部",
    schema: departmentSchema,
    input: org.departmentInput,
    list: org.listDepartments,
    create: org.createDepartment,
    update: org.updateDepartment,
    dto: departmentDto,
  });
  resource(r, {
    path: "/divisions",
    operationIds: { list: "listDivisions", create: "createDivision", update: "updateDivision" },
    tag: "organisation",
    noun: "課",
    schema: divisionSchema,
    input: org.divisionInput,
    list: org.listDivisions,
    create: org.createDivision,
    update: org.updateDivision,
    dto: divisionDto,
  });
  resource(r, {
    path: "/positions",
    operationIds: { list: "listPositions", create: "createPosition", update: "updatePosition" },
    tag: "organisation",
    noun: "職",
    schema: positionSchema,
    input: org.positionInput,
    list: org.listPositions,
    create: org.createPosition,
    update: org.updatePosition,
    dto: positionDto,
  });
  return r;
}
