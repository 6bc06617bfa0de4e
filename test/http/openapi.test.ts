/**
 * The OpenAPI document (/api/v1/openapi.json) as an integrator uses it: every operation has a
 * unique camelCase operationId and a Japanese summary, and declares the error responses it can
 * give with the error body. A typed client is generated from the document with openapi-typescript
 * (which lints it with Redocly's minimal rules first, so an invalid document fails here), and a
 * small script that signs in with a personal API token, drafts a post and submits it type-checks
 * against it; the same script then runs against this server. A script that sends a wrong body
 * must not type-check, so the check has teeth.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { z } from "zod";
import { seedKouhouAccount } from "../support/accounts.ts";
import { apiTestApp, type HttpApp } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import type { TestOrg } from "../support/org.ts";

const operationSchema = z.object({
  operationId: z.string().optional(),
  summary: z.string().optional(),
  security: z.array(z.unknown()).optional(),
  requestBody: z.unknown().optional(),
  parameters: z.array(z.object({ in: z.string() })).optional(),
  responses: z.record(z.string(), z.object({ content: z.record(z.string(), z.unknown()).optional() })),
});
const documentSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});
const methods = ["get", "post", "put", "patch", "delete"] as const;

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let token: string;
let accountId: number;
let document: unknown;
let operations: Array<{ where: string; method: string; op: z.infer<typeof operationSchema> }>;
const dir = mkdtempSync(join(tmpdir(), "snsgov-openapi-"));

before(async () => {
  const setup = await apiTestApp(["kouhouStaff"], { start: "2026-11-24T00:00:00Z" });
  ({ app, org, http } = setup);
  token = setup.tokens.get("kouhouStaff") ?? "";
  accountId = (await seedKouhouAccount(app.ctx, org)).id;
  const res = await http.request("/api/v1/openapi.json");
  assert.equal(res.status, 200);
  document = await res.json();
  const doc = documentSchema.parse(document);
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    methods.flatMap((method) =>
      item[method] === undefined
        ? []
        : [{ where: `${method.toUpperCase()} ${path}`, method, op: operationSchema.parse(item[method]) }],
    ),
  );
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await app.close();
});

test("every operation has a unique camelCase operationId and a Japanese summary", () => {
  assert.ok(operations.length > 150, `${operations.length} operations`);
  const seen = new Map<string, string>();
  for (const { where, op } of operations) {
    assert.match(op.operationId ?? "", /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$/, `${where} operationId`);
    const id = op.operationId ?? "";
    assert.equal(seen.get(id), undefined, `${where} repeats the operationId ${id} of ${seen.get(id)}`);
    seen.set(id, where);
    assert.match(op.summary ?? "", /[\u3040-\u30ff\u4e00-\u9fff]/, `${where} summary in Japanese`);
  }
});

test("operations declare the errors they can give, with the error body", () => {
  for (const { where, method, op } of operations) {
    if (op.security?.length === 0) continue; // the public feeds: no token, their own answers
    const statuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
    const takesInput = op.requestBody !== undefined || (op.parameters ?? []).length > 0;
    const expected = [
      ...(op.requestBody === undefined ? [] : ["400"]),
      "401",
      "403",
      "404",
      ...(method === "get" ? [] : ["409"]),
      ...(op.requestBody === undefined ? [] : ["413", "415"]),
      ...(takesInput ? ["422"] : []),
    ];
    assert.deepEqual(statuses, expected, where);
    for (const status of statuses) {
      assert.deepEqual(
        op.responses[status]?.content?.["application/json"],
        { schema: { $ref: "#/components/schemas/Error" } },
        `${where} ${status} has the error body`,
      );
    }
  }
  const approve = operations.find((o) => o.op.operationId === "approvePost");
  assert.equal(approve?.where, "POST /posts/{id}/approve");
});

/** A tiny typed fetch wrapper and a script using it, as an integrator would write them. */
const clientSource = `
import type { components, paths } from "./snsgov-api.ts";

type Method = "get" | "post" | "put" | "patch" | "delete";
type Operation<P extends keyof paths, M extends Method> = Exclude<paths[P][M], undefined>;
type Body<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : never;
type Params<O> = O extends { parameters: { path: infer A } } ? A : never;
type Success<O> = O extends { responses: { 200: { content: { "application/json": infer R } } } }
  ? R
  : O extends { responses: { 201: { content: { "application/json": infer R } } } }
    ? R
    : never;
type ApiError = components["schemas"]["Error"];

/** What the script needs of fetch (the global fetch fits). */
export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; json(): Promise<unknown> }>;

/** A client that calls the API with a personal API token. */
export function snsgov(baseUrl: string, token: string, fetcher: Fetch) {
  return async function call<P extends keyof paths, M extends Method>(
    method: M,
    path: P,
    options: { params?: Params<Operation<P, M>>; body?: Body<Operation<P, M>> } = {},
  ): Promise<Success<Operation<P, M>>> {
    const params: Record<string, unknown> = { ...options.params };
    const url = String(path).replace(/\\{(\\w+)\\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
    const res = await fetcher(baseUrl + url, {
      method: method.toUpperCase(),
      headers: { authorization: "Bearer " + token, "content-type": "application/json" },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const data = await res.json();
    if (res.status >= 400) throw new Error((data as ApiError).error.message);
    return data as Success<Operation<P, M>>; // the documented answer; the test runs this against the server
  };
}

/** Signs in with the token, drafts a post for one account and submits it for approval. */
export async function draftAndSubmit(baseUrl: string, token: string, accountId: number, fetcher: Fetch) {
  const call = snsgov(baseUrl, token, fetcher);
  const me = await call("get", "/me");
  const drafted = await call("post", "/posts", { body: { accounts: [{ accountId, text: TEXT }] } });
  const post = drafted.items[0];
  if (!post) throw new Error("no post drafted");
  const submitted = await call("post", "/posts/{id}/submit", {
    params: { id: post.id },
    body: { version: post.version },
  });
  const status: string = submitted.item.status;
  return { name: me.staff.name, id: post.id, status };
}

const TEXT = "【サンプル】市役所本庁舎の窓口は、本日17時15分まで開いています。";
`;

/** The same call with a wrong body: `version` must be a number. */
const wrongSource = `
import { snsgov } from "./client.ts";
export async function wrong() {
  const call = snsgov("/api/v1", "sgv_x", async () => ({ status: 200, json: async () => ({}) }));
  await call("post", "/posts/{id}/submit", { params: { id: 1 }, body: { version: "1" } });
}
`;

/** Type errors of `files` under a strict tsconfig like the project's (no DOM, no node types). */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

test("a typed client generated from the document drafts and submits a post", async () => {
  const ast = await openapiTS(JSON.stringify(document), { silent: true });
  writeFileSync(join(dir, "snsgov-api.ts"), astToString(ast));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(dir, "client.ts"), clientSource);
  writeFileSync(join(dir, "wrong.ts"), wrongSource);

  // One program for both files: the client must check clean, the wrong call must not.
  const errors = typeErrors([join(dir, "client.ts"), join(dir, "wrong.ts")]);
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0] ?? "", /wrong\.ts: .*'string' is not assignable to type 'number'/s);

  const client: unknown = await import(pathToFileURL(join(dir, "client.ts")).href);
  const fetcher = z.custom<(url: string, init: RequestInit) => Promise<Response>>();
  const run = z
    .object({
      draftAndSubmit: z.function({
        input: [z.string(), z.string(), z.number(), fetcher],
        output: z.promise(z.object({ name: z.string(), id: z.number(), status: z.string() })),
      }),
    })
    .parse(client).draftAndSubmit;
  const result = await run("/api/v1", token, accountId, async (url, init) => http.request(url, init));
  assert.equal(result.name, org.staff.kouhouStaff.name);
  assert.equal(result.status, "pending");
});
