/**
 * Malformed input never breaks the server. The walk is driven by the OpenAPI document the app
 * serves (/api/v1/openapi.json): every operation gets malformed bodies (empty, `null`, truncated
 * JSON, 10,000-deep nesting, invalid UTF-8, the wrong Content-Type, wrong types per schema field,
 * NUL, lone surrogates, 1 MB strings, out-of-range numbers), odd path ids and odd query values, as
 * an administrator, an operator, an account manager, nobody, and a signed-in page session that
 * sends no CSRF token. Then the staff pages: every GET with odd ids and `q=%00`, every form POST
 * with NUL bytes and broken bodies, and the CSV import with a NUL. No answer may be a 5xx, show a
 * stack trace or an English internal message, and every API refusal is the Japanese
 * `{"error":{"code","message"}}` body.
 *
 * The fixed walk plus two bounded random parts (fast-check: one field, id or query value broken at
 * a time; whole bodies of each operation's own shape with random contents) run in `npm test`;
 * `npm run fuzz` runs the random parts many more times (SNSGOV_FUZZ_RUNS).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { seedKouhouAccount } from "../support/accounts.ts";
import { apiTestApp, type HttpApp } from "../support/api.ts";
import type { TestApp } from "../support/context.ts";
import { type Browser, givePassword, signIn } from "../support/http.ts";
import type { TestOrg } from "../support/org.ts";
import { seedPost } from "../support/posts.ts";

const ORIGIN = "http://localhost:3000";
const runs = Number(process.env.SNSGOV_FUZZ_RUNS ?? "") || 150;

type Role = "admin" | "operator" | "manager" | "anonymous" | "cookieWithoutCsrf";
const roles: readonly Role[] = ["admin", "operator", "manager", "anonymous", "cookieWithoutCsrf"];

type Operation = {
  method: string;
  /** The path template as documented, e.g. `/staff/{id}`. */
  path: string;
  /** Where the path is served: `/api/v1` or the site root (public feeds). */
  base: string;
  pathParams: string[];
  queryParams: Array<{ name: string; schema: unknown }>;
  body: { mediaType: string; schema: unknown } | undefined;
};

type Sent = { label: string; method: string; url: string; headers: Record<string, string>; body?: BodyInit };

let app: TestApp;
let org: TestOrg;
let http: HttpApp;
let tokens: Map<"admin" | "kouhouStaff" | "kouhouManager", string>;
let adminPage: Browser;
let cookie = "";
let openapi: Record<string, unknown> = {};
let operations: Operation[] = [];
let sent = 0;

before(async () => {
  ({ app, org, http, tokens } = await apiTestApp(["admin", "kouhouStaff", "kouhouManager"], {}, "fuzz"));
  const account = await seedKouhouAccount(app.ctx, org);
  await seedPost(app.ctx, { accountId: account.id, authorId: org.staff.kouhouStaff.id, status: "draft" });
  await givePassword(app, org.staff.admin.id);
  adminPage = await signIn(http, org.staff.admin.employeeNo);
  cookie = [...adminPage.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await http.request("/api/v1/openapi.json");
  assert.equal(res.status, 200);
  openapi = record(await res.json()) ?? {};
  operations = readOperations(openapi);
});
after(() => app.close());

// --- reading the OpenAPI document -------------------------------------------------------------

function record(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A schema with `$ref`s to components resolved (one level at a time). */
function resolve(schema: unknown): Record<string, unknown> {
  const s = record(schema) ?? {};
  const ref = s.$ref;
  if (typeof ref !== "string") return s;
  const name = ref.replace("#/components/schemas/", "");
  return resolve(record(record(record(openapi.components)?.schemas)?.[name]));
}

function readOperations(doc: Record<string, unknown>): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(record(doc.paths) ?? {})) {
    for (const [method, raw] of Object.entries(record(item) ?? {})) {
      const op = record(raw) ?? {};
      const params = list(op.parameters).map((p) => record(p) ?? {});
      const content = record(record(op.requestBody)?.content) ?? {};
      const [mediaType] = Object.keys(content);
      const servers = list(op.servers).map((s) => record(s)?.url);
      out.push({
        method: method.toUpperCase(),
        path,
        base: servers.includes("/") ? "" : "/api/v1",
        pathParams: params.filter((p) => p.in === "path").map((p) => String(p.name)),
        queryParams: params
          .filter((p) => p.in === "query")
          .map((p) => ({ name: String(p.name), schema: p.schema })),
        body: mediaType ? { mediaType, schema: record(content[mediaType])?.schema } : undefined,
      });
    }
  }
  return out;
}

function typeOf(schema: Record<string, unknown>): string | undefined {
  const t = schema.type;
  if (typeof t === "string") return t;
  const first = list(t).find((x) => x !== "null");
  if (typeof first === "string") return first;
  const variant = [...list(schema.anyOf), ...list(schema.oneOf), ...list(schema.allOf)]
    .map(resolve)
    .find((v) => typeOf(v) !== undefined && typeOf(v) !== "null");
  return variant ? typeOf(variant) : undefined;
}

/** A plausible value for a schema (examples and enums first), used as the base to break. */
function sample(schema: unknown, depth = 0): unknown {
  const s = resolve(schema);
  if (depth > 6) return null;
  if ("example" in s) return s.example;
  if ("default" in s) return s.default;
  const options = list(s.enum);
  if (options.length > 0) return options[0];
  const variant = [...list(s.anyOf), ...list(s.oneOf)].map(resolve).find((v) => typeOf(v) !== "null");
  if (variant) return sample(variant, depth + 1);
  switch (typeOf(s)) {
    case "object":
      return Object.fromEntries(
        Object.entries(record(s.properties) ?? {}).map(([k, v]) => [k, sample(v, depth + 1)]),
      );
    case "array":
      return [sample(s.items, depth + 1)];
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return true;
    case "string":
      return s.format === "date"
        ? "2027-04-01"
        : s.format === "date-time"
          ? "2027-04-01T00:00:00Z"
          : "テスト";
    default:
      return null;
  }
}

type FieldPath = Array<string | number>;

/** Paths to every field of a sample value (objects and the first item of arrays). */
function fieldPaths(value: unknown, prefix: FieldPath = []): FieldPath[] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [] : [[...prefix, 0], ...fieldPaths(value[0], [...prefix, 0])];
  }
  const r = record(value);
  if (!r) return [];
  return Object.entries(r).flatMap(([k, v]) => [[...prefix, k], ...fieldPaths(v, [...prefix, k])]);
}

/** A deep copy of `value` with the field at `path` replaced. */
function replaced(value: unknown, path: FieldPath, by: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return by;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, by) : v));
  const r = record(value) ?? {};
  return { ...r, [String(head)]: replaced(r[String(head)], rest, by) };
}

/** Maps every leaf of `value` (strings, numbers, booleans) through `f`. */
function mapLeaves(value: unknown, f: (leaf: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, f));
  const r = record(value);
  if (r) return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, mapLeaves(v, f)]));
  return f(value);
}

/** The field of `value` at `path`. */
function valueAt(value: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>((v, k) => (typeof k === "number" ? list(v)[k] : record(v)?.[k]), value);
}

/** `value` with its first string field replaced by `by`. */
function firstString(value: unknown, by: string): unknown {
  const path = fieldPaths(value).find((p) => typeof valueAt(value, p) === "string");
  return path ? replaced(value, path, by) : value;
}

// --- malformed values --------------------------------------------------------------------------

/** A JSON token written into the text as is (numbers JSON.stringify cannot produce). */
const RAW = "\u0001raw:";
const raw = (token: string) => `${RAW}${token}`;
const toJson = (value: unknown) =>
  JSON.stringify(value).replace(new RegExp(`"${RAW}([^"]*)"`, "g"), (_, token: string) => token);

const aMegabyte = "あ".repeat(350_000);
const badValues: unknown[] = [
  "a\u0000b",
  "\u0000",
  "\ud800",
  "x\udc00y",
  "",
  "   ",
  "abc",
  "-1",
  "NaN",
  "2026-02-30",
  123,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  raw("99999999999999999999"),
  raw("1e400"),
  raw("-0"),
  true,
  null,
  [],
  {},
  [null],
  { "\u0000": 1 },
];
const wrongType = (leaf: unknown): unknown =>
  typeof leaf === "string" ? 123 : typeof leaf === "number" ? "abc" : typeof leaf === "boolean" ? "yes" : {};

/** Odd path ids and query values: the first few in the fixed walk, all in the random part. */
const oddIds = [
  "99999999",
  "2147483648",
  "-1",
  "99999999999999999999",
  "%00",
  "9".repeat(3000),
  "0",
  "abc",
  "1.5",
  "1e3",
  "%FF",
  "%ED%A0%80",
];
const oddQueryValues = [
  "%00",
  "-1",
  "99999999999999999999",
  "x".repeat(3000),
  "2026-13-45",
  "",
  "abc",
  "NaN",
  "%FF",
];

const deepObject = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;

function pathFor(op: Operation, id: string): string {
  return op.base + op.path.replace(/\{[^}]+\}/g, id);
}

function queryFor(op: Operation, value: string): string {
  if (op.queryParams.length === 0) return "";
  return `?${op.queryParams.map((p) => `${encodeURIComponent(p.name)}=${value}`).join("&")}`;
}

/** The ways one operation's body is broken (JSON, CSV or binary bodies). */
function brokenBodies(op: Operation): Array<{ label: string; type: string | undefined; body: BodyInit }> {
  const json = "application/json";
  if (!op.body) return [{ label: "garbage json", type: json, body: '{"a":' }];
  if (op.body.mediaType !== json) {
    return [
      { label: "empty", type: op.body.mediaType, body: "" },
      { label: "nul bytes", type: op.body.mediaType, body: "職員番号,氏名,メール\nA\u00001,\u0000,\u0000\n" },
      {
        label: "invalid utf-8",
        type: op.body.mediaType,
        body: new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28]),
      },
      { label: "json instead", type: json, body: '{"a":1}' },
      { label: "no content-type", type: undefined, body: "a,b\n" },
    ];
  }
  const base = sample(op.body.schema);
  const text = toJson(base);
  const out: Array<{ label: string; type: string | undefined; body: BodyInit }> = [
    { label: "empty", type: json, body: "" },
    { label: "null", type: json, body: "null" },
    { label: "truncated", type: json, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) },
    { label: "deep object", type: json, body: deepObject },
    {
      label: "invalid utf-8",
      type: json,
      body: new Uint8Array([
        ...Buffer.from('{"a":"'),
        0xff,
        0xc0,
        0x80,
        0xed,
        0xa0,
        0x80,
        ...Buffer.from('"}'),
      ]),
    },
    { label: "raw nul", type: json, body: '{"a":"\u0000"}' },
    { label: "text/plain", type: "text/plain", body: text },
    { label: "no content-type", type: undefined, body: text },
    { label: "broken multipart", type: "multipart/form-data; boundary=zz", body: "--zz\r\nbroken" },
    {
      label: "every string NUL",
      type: json,
      body: toJson(mapLeaves(base, (l) => (typeof l === "string" ? `${l}\u0000` : l))),
    },
    {
      label: "every string lone surrogate",
      type: json,
      body: toJson(mapLeaves(base, (l) => (typeof l === "string" ? `${l}\ud800` : l))),
    },
    { label: "every field the wrong type", type: json, body: toJson(mapLeaves(base, wrongType)) },
    { label: "a 1 MB string", type: json, body: toJson(firstString(base, aMegabyte)) },
    {
      label: "every number negative",
      type: json,
      body: toJson(mapLeaves(base, (l) => (typeof l === "number" ? -1 : l))),
    },
    {
      label: "every number huge",
      type: json,
      body: toJson(mapLeaves(base, (l) => (typeof l === "number" ? raw("99999999999999999999") : l))),
    },
    {
      label: "every number 1e400",
      type: json,
      body: toJson(mapLeaves(base, (l) => (typeof l === "number" ? raw("1e400") : l))),
    },
  ];
  // A variant that changed nothing (no numbers to break, say) would be a valid request.
  return out.filter((b) => b.body !== text);
}

// --- sending and judging -----------------------------------------------------------------------

function authHeaders(role: Role): Record<string, string> {
  switch (role) {
    case "admin":
      return { authorization: `Bearer ${tokens.get("admin")}` };
    case "operator":
      return { authorization: `Bearer ${tokens.get("kouhouStaff")}` };
    case "manager":
      return { authorization: `Bearer ${tokens.get("kouhouManager")}` };
    case "anonymous":
      return {};
    case "cookieWithoutCsrf":
      return { cookie, origin: ORIGIN };
  }
}

const stackTrace = /\n\s+at \S+ \(?\S+:\d+:\d+\)?|\bat (?:async )?\S+ \(\S+:\d+:\d+\)/;
const englishInternals =
  /\b(?:TypeError|SyntaxError|RangeError|ReferenceError|AggregateError|DrizzleQueryError|ZodError|HTTPException)\b|Malformed|Unsupported Media Type|Unexpected (?:token|end)|Internal Server Error|Payload Too Large|Bad Request|node_modules|\.tsx?:\d+|SQLSTATE|invalid (?:input|byte sequence)|violates|syntax error|Failed query/i;
const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** What is wrong with one answer (nothing, for a good one). */
async function judge(s: Sent, res: Response): Promise<string[]> {
  sent++;
  const text = await res.text();
  const where = `${s.label}: ${s.method} ${s.url.slice(0, 160)} → ${res.status} ${text.slice(0, 240)}`;
  const wrong: string[] = [];
  if (res.status >= 500) wrong.push(`5xx ${where}`);
  if (stackTrace.test(text)) wrong.push(`stack trace ${where}`);
  if (res.status < 400) return wrong;
  if (englishInternals.test(text)) wrong.push(`English internals ${where}`);
  if (!japanese.test(text)) wrong.push(`no Japanese ${where}`);
  if (!new URL(s.url, ORIGIN).pathname.startsWith("/api/")) return wrong;
  if (!/application\/json/.test(res.headers.get("content-type") ?? "")) wrong.push(`not JSON ${where}`);
  let body: Record<string, unknown> | undefined;
  try {
    body = record(JSON.parse(text));
  } catch {
    body = undefined;
  }
  const error = record(body?.error);
  if (typeof error?.code !== "string" || !japanese.test(String(error?.message)))
    wrong.push(`no {"error":{"code","message"}} ${where}`);
  return wrong;
}

/** Problems found by the walk so far (each test reports and clears them). */
const problems: string[] = [];

function noProblems(): void {
  const found = problems.splice(0);
  assert.equal(found.length, 0, `${found.length} bad answers, e.g.:\n${found.slice(0, 40).join("\n")}`);
}

async function send(s: Sent): Promise<Response> {
  const res = await http.request(s.url, {
    method: s.method,
    headers: s.headers,
    ...(s.body === undefined || s.method === "GET" || s.method === "HEAD" ? {} : { body: s.body }),
  });
  problems.push(...(await judge(s, res.clone())));
  return res;
}

function request(
  op: Operation,
  role: Role,
  label: string,
  url: string,
  body?: { type: string | undefined; body: BodyInit },
): Sent {
  return {
    label: `${role} ${label}`,
    method: op.method,
    url,
    headers: { ...authHeaders(role), ...(body?.type ? { "content-type": body.type } : {}) },
    ...(body ? { body: body.body } : {}),
  };
}

/** The fixed walk of one operation as one person: broken bodies, odd ids, odd query values. */
async function walk(op: Operation, role: Role, thorough: boolean): Promise<void> {
  const bodies = brokenBodies(op);
  // A broken body goes to an id that may exist (1), where the body is what is under test; an
  // operation without a body gets its garbage at an id that does not exist.
  const bodyPath = pathFor(op, op.body ? "1" : "99999999");
  for (const b of thorough ? bodies : bodies.slice(0, 1)) {
    await send(request(op, role, `body ${b.label}`, bodyPath, b));
  }
  if (op.pathParams.length > 0) {
    for (const id of thorough ? oddIds.slice(0, 6) : oddIds.slice(0, 1)) {
      await send(request(op, role, `id ${id.slice(0, 20)}`, pathFor(op, id), bodies[0]));
    }
  }
  if (op.queryParams.length > 0) {
    for (const value of thorough ? oddQueryValues.slice(0, 5) : oddQueryValues.slice(0, 1)) {
      await send(
        request(op, role, `query ${value.slice(0, 20)}`, pathFor(op, "99999999") + queryFor(op, value)),
      );
    }
  }
}

// --- the tests ---------------------------------------------------------------------------------

test("the OpenAPI document lists the operations the walk covers", () => {
  assert.ok(operations.length > 150, `only ${operations.length} operations`);
  assert.ok(operations.filter((o) => o.body).length > 80);
});

test("every operation, as an administrator: broken bodies, odd ids and odd queries give no 5xx", async () => {
  for (const op of operations) await walk(op, "admin", true);
  noProblems();
});

test("every operation as an operator, an account manager, nobody and a cookie session without CSRF", async () => {
  for (const role of roles.filter((r) => r !== "admin")) {
    for (const op of operations) await walk(op, role, false);
  }
  noProblems();
});

test("a cookie-authenticated API call without the CSRF token is refused with a Japanese 403", async () => {
  for (const op of operations.filter((o) => o.method !== "GET" && o.base === "/api/v1")) {
    const res = await send(
      request(op, "cookieWithoutCsrf", "no csrf", pathFor(op, "1"), { type: "application/json", body: "{}" }),
    );
    if (res.status !== 403) problems.push(`not 403: ${op.method} ${op.path} → ${res.status}`);
  }
  noProblems();
});

/**
 * Operations the random parts leave out: a valid body there would change how everyone after it
 * signs in (two-factor sign-in required of the administrator's role).
 */
const settingsThatLockOut = new Set(["/settings/two-factor-roles"]);

/** Random ids: odd ones, random text, and a well-formed id that matches no record. */
const randomId = fc.oneof(
  fc.constantFrom(...oddIds),
  fc.string().map(encodeURIComponent),
  fc.constant("99999999"),
);
const randomQueryValue = fc.oneof(fc.constantFrom(...oddQueryValues), fc.string().map(encodeURIComponent));

test("random breakage of one field, one id or one query value (fast-check)", async () => {
  const jsonOps = operations.filter(
    (o) => o.body?.mediaType === "application/json" && !settingsThatLockOut.has(o.path),
  );
  const value = fc.oneof(
    fc.constantFrom(...badValues),
    fc.string({ unit: "binary" }),
    fc.string().map((s) => `${s}\u0000${s}`),
    fc.double().map((d) => (Number.isFinite(d) ? d : raw(String(d)))),
    fc.bigInt().map((n) => raw(String(n))),
    fc.jsonValue({ maxDepth: 4 }),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...jsonOps),
      fc.constantFrom(...roles),
      fc.nat(),
      value,
      randomId,
      randomQueryValue,
      async (op, role, pick, bad, id, queryValue) => {
        const base = sample(op.body?.schema);
        const paths = fieldPaths(base);
        const path = paths[pick % Math.max(1, paths.length)] ?? [];
        const body = { type: "application/json", body: toJson(replaced(base, path, bad)) };
        await send(
          request(op, role, `field ${path.join(".")}`, pathFor(op, id) + queryFor(op, queryValue), body),
        );
        noProblems();
      },
    ),
    { numRuns: runs },
  );
});

/** Values of a schema's shape with random contents (which often pass validation). */
function arbitraryFor(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const options = list(s.enum);
  if (options.length > 0) return fc.constantFrom(...options);
  const variants = [...list(s.anyOf), ...list(s.oneOf)];
  if (variants.length > 0 && depth < 4) return fc.oneof(...variants.map((v) => arbitraryFor(v, depth + 1)));
  const nullable = list(s.type).includes("null");
  const base = ((): fc.Arbitrary<unknown> => {
    switch (typeOf(s)) {
      case "object": {
        if (depth >= 4) return fc.constant({});
        const props = Object.entries(record(s.properties) ?? {});
        return fc.record(Object.fromEntries(props.map(([k, v]) => [k, arbitraryFor(v, depth + 1)])), {
          requiredKeys: [],
        });
      }
      case "array":
        return depth >= 4 ? fc.constant([]) : fc.array(arbitraryFor(s.items, depth + 1), { maxLength: 3 });
      case "integer":
        return fc.oneof(
          fc.integer({ min: -2, max: 5 }),
          fc.constantFrom(2147483648, Number.MAX_SAFE_INTEGER),
        );
      case "number":
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "string":
        return fc.oneof(
          fc.constant(sample(s)),
          fc.string({ maxLength: 40 }),
          fc.string({ unit: "grapheme", maxLength: 40 }),
          fc
            .date({ noInvalidDate: true })
            .map((d) => d.toISOString().slice(0, s.format === "date-time" ? 24 : 10)),
        );
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return nullable ? fc.option(base) : base;
}

test("random bodies of each operation's own shape, as every role (fast-check)", async () => {
  const jsonOps = operations.filter(
    (o) => o.body?.mediaType === "application/json" && !settingsThatLockOut.has(o.path),
  );
  const cases = fc.constantFrom(...jsonOps).chain((op) =>
    fc.record({
      op: fc.constant(op),
      body: arbitraryFor(op.body?.schema),
      role: fc.constantFrom(...roles),
      id: randomId,
    }),
  );
  await fc.assert(
    fc.asyncProperty(cases, async ({ op, body, role, id }) => {
      // Path ids never name an existing record: a valid body may not change one (the
      // administrator's own staff record, say).
      const sentBody = { type: "application/json", body: toJson(body) };
      await send(request(op, role, "shaped body", pathFor(op, id), sentBody));
      noProblems();
    }),
    { numRuns: runs },
  );
});

// --- staff pages -------------------------------------------------------------------------------

const skippedPages = /^\/(?:login|logout|password)/;
const formFields = [
  "name",
  "title",
  "text",
  "body",
  "note",
  "q",
  "code",
  "kana",
  "email",
  "employeeNo",
  "reason",
  "summary",
  "answer",
  "question",
  "tags",
  "url",
  "handle",
  "purpose",
  "status",
  "version",
  "kind",
  "effectiveDate",
  "login",
  "password",
];

function pageRoutes(method: string): string[] {
  const seen = new Set<string>();
  for (const r of http.routes) {
    if (r.method !== method || r.path.startsWith("/api/") || r.path.includes("*")) continue;
    if (skippedPages.test(r.path)) continue;
    seen.add(r.path);
  }
  return [...seen];
}

const fill = (path: string, id: string) => path.replace(/:[A-Za-z]+/g, id);

test("every staff page answers odd ids, odd queries and a NUL in the search box without a 5xx", async () => {
  const cookies = () => [...adminPage.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const odd = `?q=${"x".repeat(3000)}&status=zzz&page=-1&kind=%FF&accountId=abc&from=2026-13-45&to=-1`;
  for (const path of pageRoutes("GET")) {
    const urls = [
      `${fill(path, "1")}?q=%00`,
      `${fill(path, "1")}${odd}`,
      ...(path.includes(":") ? [fill(path, "2147483648")] : []),
    ];
    for (const url of urls) await send({ label: "page", method: "GET", url, headers: { cookie: cookies() } });
  }
  noProblems();
});

test("every staff form takes NUL bytes and broken bodies without a 5xx", async () => {
  const csrf = await adminPage.csrf();
  const cookies = () => [...adminPage.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const nul = new URLSearchParams([
    ["_csrf", csrf],
    ...formFields.map((f): [string, string] => [f, `x\u0000y`]),
  ]);
  const multipartNul = new FormData();
  multipartNul.set("_csrf", csrf);
  for (const f of formFields) multipartNul.set(f, "x\u0000y");
  multipartNul.set(
    "file",
    new File([Buffer.from("a,b\n\u0000,\u0000\n")], "x\u0000.csv", { type: "text/csv" }),
  );
  for (const path of pageRoutes("POST")) {
    // Forms that may pass go to records that do not exist (no deactivating the administrator).
    const url = fill(path, "99999999");
    const headers = { cookie: cookies(), origin: ORIGIN };
    const bodies: Array<{ label: string; type?: string; body: BodyInit }> = [
      { label: "form with NUL", type: "application/x-www-form-urlencoded", body: nul },
      { label: "multipart with NUL", body: multipartNul },
      { label: "broken multipart", type: "multipart/form-data; boundary=zz", body: "--zz\r\nbroken" },
      { label: "json", type: "application/json", body: '{"a":' },
      { label: "empty form", type: "application/x-www-form-urlencoded", body: `_csrf=${csrf}` },
    ];
    for (const b of bodies) {
      await send({
        label: `form ${b.label}`,
        method: "POST",
        url,
        headers: { ...headers, ...(b.type ? { "content-type": b.type } : {}) },
        body: b.body,
      });
    }
  }
  noProblems();
});

test("the walk sent thousands of requests and the administrator's token still works", async () => {
  assert.ok(sent > 2000, `only ${sent} requests`);
  const res = await http.request("/api/v1/me", { headers: authHeaders("admin") });
  assert.equal(res.status, 200);
});
