/**
 * The demo municipality (`npm run demo`): departments, divisions and about 30 staff with every
 * guideline role filled (the directors by their posts, 総合政策部長 and 総務部長, 4.1.2), all with the password 「demo-password」, so a newcomer can sign in as
 * each role and look around. Features add their demo records afterwards (Feature.demo).
 */

import { updateCredentials } from "../db/repos/auth.ts";
import { insertDepartment, insertDivision, insertPosition } from "../db/repos/org.ts";
import { countStaff, insertAssignment, insertStaff } from "../db/repos/staff.ts";
import { addDays, tokyoDate } from "../domain/dates.ts";
import type { Role } from "../domain/roles.ts";
import { isOversightRole, roleLabels } from "../domain/roles.ts";
import { change } from "./audit/record.ts";
import { hashPassword } from "./auth/passwords.ts";
import { type AppContext, systemActor } from "./context.ts";
import { features } from "./features.ts";
import { offices } from "./staff/role-grants.ts";

export const DEMO_PASSWORD = "demo-password";

/** The demo's administrator and policy director (by post: 総合政策部の部長), by employee number. */
const DEMO_ADMIN = "D0028";
const DEMO_POLICY_DIRECTOR = "D0001";

export type DemoLogin = { login: string; name: string; unit: string; roles: string };

type DemoPerson = {
  no: string;
  name: string;
  kana: string;
  dept: string;
  div: string | null;
  pos: string;
  roles?: Array<{ role: Role; scope: "global" | "department" | "division" }>;
};

const positions = [
  { code: "buchou", name: "部長", rank: 10, headOf: "department" as const },
  { code: "jichou", name: "次長", rank: 20, headOf: "none" as const },
  { code: "kachou", name: "課長", rank: 30, headOf: "division" as const },
  { code: "kachou-hosa", name: "課長補佐", rank: 40, headOf: "none" as const },
  { code: "kakarichou", name: "係長", rank: 50, headOf: "none" as const },
  { code: "shunin", name: "主任", rank: 60, headOf: "none" as const },
  { code: "shuji", name: "主事", rank: 70, headOf: "none" as const },
];

const departments = [
  {
    code: "seisaku",
    name: "総合政策部",
    kana: "そうごうせいさくぶ",
    divisions: [
      ["kouhou", "広報広聴課", "こうほうこうちょうか"],
      ["furusato", "ふるさと発信課", "ふるさとはっしんか"],
      ["seisaku-kikaku", "政策企画課", "せいさくきかくか"],
    ],
  },
  {
    code: "soumu",
    name: "総務部",
    kana: "そうむぶ",
    divisions: [
      ["soumuka", "総務課", "そうむか"],
      ["jouhou", "情報政策課", "じょうほうせいさくか"],
    ],
  },
  {
    code: "shimin",
    name: "市民生活部",
    kana: "しみんせいかつぶ",
    divisions: [
      ["shiminka", "市民課", "しみんか"],
      ["kankyou", "環境企画課", "かんきょうきかくか"],
    ],
  },
  {
    code: "fukushi",
    name: "保健福祉部",
    kana: "ほけんふくしぶ",
    divisions: [["kenkou", "健康づくり推進課", "けんこうづくりすいしんか"]],
  },
  {
    code: "shoukou",
    name: "産業振興部",
    kana: "さんぎょうしんこうぶ",
    divisions: [["kankou", "観光振興課", "かんこうしんこうか"]],
  },
  {
    code: "kikikanri",
    name: "危機管理部",
    kana: "ききかんりぶ",
    divisions: [["bousai", "危機管理課", "ききかんりか"]],
  },
] as const;

const people: DemoPerson[] = [
  {
    no: "D0001",
    name: "磐城 太郎",
    kana: "いわき たろう",
    dept: "seisaku",
    div: null,
    pos: "buchou",
  },
  {
    no: "D0002",
    name: "平 花子",
    kana: "たいら はなこ",
    dept: "soumu",
    div: null,
    pos: "buchou",
  },
  { no: "D0003", name: "小名浜 一郎", kana: "おなはま いちろう", dept: "shimin", div: null, pos: "buchou" },
  { no: "D0004", name: "勿来 恵子", kana: "なこそ けいこ", dept: "fukushi", div: null, pos: "buchou" },
  { no: "D0005", name: "常磐 誠", kana: "じょうばん まこと", dept: "shoukou", div: null, pos: "buchou" },
  { no: "D0006", name: "内郷 修", kana: "うちごう おさむ", dept: "kikikanri", div: null, pos: "buchou" },
  { no: "D0010", name: "四倉 由美", kana: "よつくら ゆみ", dept: "seisaku", div: "kouhou", pos: "kachou" },
  {
    no: "D0011",
    name: "久之浜 健",
    kana: "ひさのはま けん",
    dept: "seisaku",
    div: "furusato",
    pos: "kachou",
    roles: [{ role: "consultation_desk", scope: "global" }],
  },
  {
    no: "D0012",
    name: "田人 明",
    kana: "たびと あきら",
    dept: "seisaku",
    div: "seisaku-kikaku",
    pos: "kachou",
  },
  { no: "D0013", name: "三和 直子", kana: "みわ なおこ", dept: "soumu", div: "soumuka", pos: "kachou" },
  { no: "D0014", name: "川前 浩", kana: "かわまえ ひろし", dept: "soumu", div: "jouhou", pos: "kachou" },
  { no: "D0015", name: "遠野 美咲", kana: "とおの みさき", dept: "shimin", div: "shiminka", pos: "kachou" },
  { no: "D0016", name: "好間 大輔", kana: "よしま だいすけ", dept: "shimin", div: "kankyou", pos: "kachou" },
  { no: "D0017", name: "錦 さくら", kana: "にしき さくら", dept: "fukushi", div: "kenkou", pos: "kachou" },
  { no: "D0018", name: "泉 拓也", kana: "いずみ たくや", dept: "shoukou", div: "kankou", pos: "kachou" },
  { no: "D0019", name: "植田 聡", kana: "うえだ さとし", dept: "kikikanri", div: "bousai", pos: "kachou" },
  {
    no: "D0020",
    name: "湯本 彩",
    kana: "ゆもと あや",
    dept: "seisaku",
    div: "kouhou",
    pos: "shunin",
    roles: [
      { role: "operator", scope: "division" },
      { role: "council_member", scope: "department" },
    ],
  },
  {
    no: "D0021",
    name: "赤井 翔",
    kana: "あかい しょう",
    dept: "seisaku",
    div: "kouhou",
    pos: "shuji",
    roles: [{ role: "operator", scope: "division" }],
  },
  {
    no: "D0022",
    name: "草野 麻衣",
    kana: "くさの まい",
    dept: "seisaku",
    div: "furusato",
    pos: "shuji",
    roles: [{ role: "operator", scope: "division" }],
  },
  {
    no: "D0023",
    name: "中央台 亮",
    kana: "ちゅうおうだい りょう",
    dept: "shoukou",
    div: "kankou",
    pos: "kakarichou",
    roles: [
      { role: "operator", scope: "division" },
      { role: "council_member", scope: "department" },
    ],
  },
  {
    no: "D0024",
    name: "高久 優奈",
    kana: "たかく ゆうな",
    dept: "shoukou",
    div: "kankou",
    pos: "shuji",
    roles: [{ role: "operator", scope: "division" }],
  },
  {
    no: "D0025",
    name: "鹿島 隼人",
    kana: "かしま はやと",
    dept: "kikikanri",
    div: "bousai",
    pos: "shunin",
    roles: [
      { role: "operator", scope: "division" },
      { role: "council_member", scope: "department" },
    ],
  },
  {
    no: "D0026",
    name: "渡辺 千尋",
    kana: "わたなべ ちひろ",
    dept: "fukushi",
    div: "kenkou",
    pos: "shuji",
    roles: [
      { role: "operator", scope: "division" },
      { role: "council_member", scope: "department" },
    ],
  },
  {
    no: "D0027",
    name: "藤原 陽菜",
    kana: "ふじわら ひな",
    dept: "shimin",
    div: "shiminka",
    pos: "shuji",
    roles: [
      { role: "operator", scope: "division" },
      { role: "council_member", scope: "department" },
    ],
  },
  {
    no: "D0028",
    name: "沼部 健太",
    kana: "ぬまべ けんた",
    dept: "soumu",
    div: "jouhou",
    pos: "kakarichou",
    roles: [{ role: "admin", scope: "global" }],
  },
  {
    no: "D0029",
    name: "上荒川 玲子",
    kana: "かみあらかわ れいこ",
    dept: "soumu",
    div: "soumuka",
    pos: "kakarichou",
    roles: [{ role: "auditor", scope: "global" }],
  },
  { no: "D0030", name: "新川 悠", kana: "あらかわ ゆう", dept: "soumu", div: "soumuka", pos: "shuji" },
  {
    no: "D0031",
    name: "小川 美和",
    kana: "おがわ みわ",
    dept: "seisaku",
    div: "seisaku-kikaku",
    pos: "shuji",
  },
  { no: "D0032", name: "大久 光", kana: "おおひさ ひかる", dept: "shimin", div: "kankyou", pos: "shuji" },
  { no: "D0033", name: "折木 陸", kana: "おりき りく", dept: "fukushi", div: "kenkou", pos: "shunin" },
];

/** What a demo person does, from their post (4.1.2, 4.1.4) and the roles they are given. */
function describe(person: DemoPerson): string {
  const pack = offices();
  const deptName = departments.find((d) => d.code === person.dept)?.name ?? "";
  const parts: string[] = [];
  if (person.pos === "buchou") {
    if (deptName === pack.policyDirector.department) parts.push(roleLabels.policy_director);
    if (deptName === pack.securityDirector.department) parts.push(roleLabels.security_director);
    parts.push(roleLabels.department_head);
  }
  if (person.pos === "kachou") parts.push(roleLabels.account_manager);
  for (const grant of person.roles ?? []) parts.push(roleLabels[grant.role]);
  return parts.length > 0 ? parts.join("・") : "一般職員（役割なし）";
}

/** Where a demo person works: 「総合政策部 広報広聴課」. */
function unitOf(person: DemoPerson): string {
  const dept = departments.find((d) => d.code === person.dept);
  const division = dept?.divisions.find(([code]) => code === person.div);
  return [dept?.name ?? "", division?.[1] ?? ""].filter((x) => x !== "").join(" ");
}

/**
 * Every demo login with where the person works and what they do, so that whoever walks an
 * application through finds the next person to sign in as (the 部長 of its department, 4.1.2).
 */
export function demoLogins(): DemoLogin[] {
  return people.map((p) => ({ login: p.no, name: p.name, unit: unitOf(p), roles: describe(p) }));
}

/** Seeds the demo municipality into an empty database; returns false when it has data already. */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  if ((await countStaff(ctx.db)) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await change(ctx, systemActor("demo"), "system.setup", async (tx, at) => {
    const positionIds = new Map<string, number>();
    for (const p of positions) positionIds.set(p.code, (await insertPosition(tx, p)).id);
    const deptIds = new Map<string, number>();
    const divIds = new Map<string, number>();
    for (const d of departments) {
      const dept = await insertDepartment(tx, { code: d.code, name: d.name, kana: d.kana });
      deptIds.set(d.code, dept.id);
      for (const [code, name, kana] of d.divisions) {
        divIds.set(code, (await insertDivision(tx, { departmentId: dept.id, code, name, kana })).id);
      }
    }
    const staffIds = new Map<string, number>();
    for (const person of people) {
      const departmentId = deptIds.get(person.dept);
      const positionId = positionIds.get(person.pos);
      if (departmentId === undefined || positionId === undefined)
        throw new Error(`demo data error for ${person.no}`);
      const divisionId = person.div ? (divIds.get(person.div) ?? null) : null;
      const row = await insertStaff(tx, {
        employeeNo: person.no,
        name: person.name,
        kana: person.kana,
        email: `${person.no.toLowerCase()}@city.example.lg.jp`,
        departmentId,
        divisionId,
        positionId,
        active: true,
      });
      staffIds.set(person.no, row.id);
      await updateCredentials(tx, row.id, { passwordHash, passwordChangedAt: at }, at);
      for (const grant of person.roles ?? []) {
        const scopeId =
          grant.scope === "department" ? departmentId : grant.scope === "division" ? divisionId : null;
        // 9: the auditor was proposed by the administrator and approved by the policy director
        // (D0001, 総合政策部長 by post), for a year.
        const oversight = isOversightRole(grant.role);
        await insertAssignment(tx, {
          staffId: row.id,
          role: grant.role,
          scopeType: grant.scope,
          scopeId,
          assignedBy: oversight ? (staffIds.get(DEMO_ADMIN) ?? null) : null,
          ...(oversight
            ? {
                status: "active" as const,
                validUntil: addDays(tokyoDate(at), 365),
                approvedBy: staffIds.get(DEMO_POLICY_DIRECTOR) ?? null,
                approvedAt: at,
              }
            : {}),
        });
      }
    }
    return {
      result: null,
      target: { type: "system", id: "demo" },
      summary: { created: "demo municipality", staff: people.length },
    };
  });
  for (const feature of features()) await feature.demo?.(ctx);
  return true;
}
