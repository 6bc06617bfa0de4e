/**
 * Organisation pages: departments (部), divisions (課), positions (職).
 */
import { Hono } from "hono";
import * as org from "../../app/org/units.ts";
import type { Department, Division, Position } from "../../db/repos/org.ts";
import { listDepartments } from "../../db/repos/org.ts";
import type { AppEnv } from "../env.ts";
import { Badge } from "../views/components.tsx";
import { crudRoutes } from "./crud.tsx";

const headOfLabels = {
  none: "なし",
  department: "部の長（情報管理者）",
  division: "課の長（アカウント管理者）",
} as const;

const OrgTabs = ({ current }: { current: string }) => (
  <nav aria-label="組織の種類">
    <ul class="tabs">
      {[
        ["/org/departments", "部"],
        ["/org/divisions", "課"],
        ["/org/positions", "職"],
      ].map(([href, label]) => (
        <li>
          <a href={href} aria-current={href === current ? "page" : undefined}>
            {label}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

const active = (value: boolean) => (value ? <Badge tone="ok">有効</Badge> : <Badge tone="muted">廃止</Badge>);

export function orgRoutes() {
  const r = new Hono<AppEnv>();

  r.route(
    "/",
    crudRoutes<Department>({
      base: "/org/departments",
      noun: "部",
      title: "部の一覧",
      subnav: <OrgTabs current="/org/departments" />,
      manage: "org.manage",
      fields: [
        {
          kind: "text",
          name: "code",
          label: "部コード",
          hint: "半角英数字（例: seisaku）。CSV取込みで使います。",
          required: true,
        },
        { kind: "text", name: "name", label: "部の名称", required: true },
        { kind: "text", name: "kana", label: "ふりがな" },
        { kind: "checkbox", name: "active", label: "有効（組織改編で廃止した部は外します）" },
      ],
      columns: [
        { label: "コード", value: (d) => <span class="mono">{d.code}</span> },
        { label: "名称", value: (d) => d.name },
        { label: "ふりがな", value: (d) => d.kana },
        { label: "状態", value: (d) => active(d.active) },
      ],
      list: (ctx, actor) => org.listDepartments(ctx, actor),
      toValues: (d) => ({ code: d.code, name: d.name, kana: d.kana, active: d.active ? "on" : "off" }),
      create: org.createDepartment,
      update: org.updateDepartment,
    }),
  );

  r.route(
    "/",
    crudRoutes<Division>({
      base: "/org/divisions",
      noun: "課",
      title: "課の一覧",
      subnav: <OrgTabs current="/org/divisions" />,
      intro: "課の長（課等の長）は、その課のアカウントのアカウント管理者です（第4-1(4)）。",
      manage: "org.manage",
      fields: [
        {
          kind: "select",
          name: "departmentId",
          label: "所属する部",
          required: true,
          options: async (ctx) =>
            (await listDepartments(ctx.db)).map((d) => ({ value: String(d.id), label: d.name })),
        },
        { kind: "text", name: "code", label: "課コード", hint: "半角英数字（例: kouhou）", required: true },
        { kind: "text", name: "name", label: "課の名称", required: true },
        { kind: "text", name: "kana", label: "ふりがな" },
        { kind: "checkbox", name: "active", label: "有効" },
      ],
      columns: [
        { label: "コード", value: (d) => <span class="mono">{d.code}</span> },
        { label: "名称", value: (d) => d.name },
        { label: "ふりがな", value: (d) => d.kana },
        { label: "状態", value: (d) => active(d.active) },
      ],
      list: (ctx, actor) => org.listDivisions(ctx, actor),
      toValues: (d) => ({
        departmentId: String(d.departmentId),
        code: d.code,
        name: d.name,
        kana: d.kana,
        active: d.active ? "on" : "off",
      }),
      create: org.createDivision,
      update: org.updateDivision,
    }),
  );

  r.route(
    "/",
    crudRoutes<Position>({
      base: "/org/positions",
      noun: "職",
      title: "職の一覧",
      subnav: <OrgTabs current="/org/positions" />,
      intro:
        "「長の区分」で、部の長（部等の長 = 情報管理者、第4-1(2)）と課の長（課等の長 = アカウント管理者、第4-1(4)）を示します。役割はこの区分から自動的に決まります。",
      manage: "org.manage",
      fields: [
        { kind: "text", name: "code", label: "職コード", hint: "半角英数字（例: kachou）", required: true },
        { kind: "text", name: "name", label: "職名", required: true },
        {
          kind: "text",
          name: "rank",
          label: "序列",
          hint: "小さいほど上位（例: 部長 10、課長 30、主事 70）",
          type: "number",
        },
        {
          kind: "select",
          name: "headOf",
          label: "長の区分",
          required: true,
          options: async () => Object.entries(headOfLabels).map(([value, label]) => ({ value, label })),
        },
      ],
      columns: [
        { label: "コード", value: (p) => <span class="mono">{p.code}</span> },
        { label: "職名", value: (p) => p.name },
        { label: "序列", value: (p) => String(p.rank), numeric: true },
        { label: "長の区分", value: (p) => headOfLabels[p.headOf] },
      ],
      list: (ctx, actor) => org.listPositions(ctx, actor),
      toValues: (p) => ({ code: p.code, name: p.name, rank: String(p.rank), headOf: p.headOf }),
      create: org.createPosition,
      update: org.updatePosition,
    }),
  );

  return r;
}
