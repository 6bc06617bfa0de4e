/**
 * A small organisation for tests: two departments with divisions, the usual positions, and staff
 * holding each guideline role. Returns ids and ready-made actors.
 */
import { loadActor } from "../../src/app/actors.ts";
import { type Actor, type AppContext, type StaffActor, systemActor } from "../../src/app/context.ts";
import * as orgRepo from "../../src/db/repos/org.ts";
import * as staffRepo from "../../src/db/repos/staff.ts";
import type { Role } from "../../src/domain/roles.ts";

export type TestOrg = Awaited<ReturnType<typeof seedOrg>>;

async function actor(ctx: AppContext, staffId: number): Promise<StaffActor> {
  const a = await loadActor(ctx.db, staffId, "session", ctx.clock.now());
  if (!a) throw new Error(`no actor for staff ${staffId}`);
  return a;
}

/** Seeds the organisation straight through the repositories (no audit entries). */
export async function seedOrg(ctx: AppContext) {
  const db = ctx.db;
  const buchou = await orgRepo.insertPosition(db, {
    code: "buchou",
    name: "部長",
    rank: 10,
    headOf: "department",
  });
  const kachou = await orgRepo.insertPosition(db, {
    code: "kachou",
    name: "課長",
    rank: 30,
    headOf: "division",
  });
  const kakarichou = await orgRepo.insertPosition(db, {
    code: "kakarichou",
    name: "係長",
    rank: 50,
    headOf: "none",
  });
  const shuji = await orgRepo.insertPosition(db, { code: "shuji", name: "主事", rank: 70, headOf: "none" });

  const seisaku = await orgRepo.insertDepartment(db, {
    code: "seisaku",
    name: "総合政策部",
    kana: "そうごうせいさくぶ",
  });
  const soumu = await orgRepo.insertDepartment(db, { code: "soumu", name: "総務部", kana: "そうむぶ" });
  const kouhou = await orgRepo.insertDivision(db, {
    departmentId: seisaku.id,
    code: "kouhou",
    name: "広報広聴課",
    kana: "こうほうこうちょうか",
  });
  const furusato = await orgRepo.insertDivision(db, {
    departmentId: seisaku.id,
    code: "furusato",
    name: "ふるさと発信課",
    kana: "ふるさとはっしんか",
  });
  const soumuka = await orgRepo.insertDivision(db, {
    departmentId: soumu.id,
    code: "soumuka",
    name: "総務課",
    kana: "そうむか",
  });

  let n = 0;
  const person = async (
    name: string,
    departmentId: number,
    divisionId: number | null,
    positionId: number,
    assigned: Role[] = [],
  ) => {
    n++;
    const row = await staffRepo.insertStaff(db, {
      employeeNo: `T${String(n).padStart(4, "0")}`,
      name,
      kana: "",
      email: `t${n}@city.example.lg.jp`,
      departmentId,
      divisionId,
      positionId,
      active: true,
    });
    for (const role of assigned) {
      await staffRepo.insertAssignment(db, {
        staffId: row.id,
        role,
        scopeType: "global",
        scopeId: null,
        assignedBy: null,
      });
    }
    return row;
  };

  const staff = {
    admin: await person("管理 太郎", soumu.id, soumuka.id, shuji.id, ["admin"]),
    // 4.1.2: the directors are the 部長 of 総合政策部 and of 総務部 (the pack's offices).
    policyDirector: await person("政策 部長", seisaku.id, null, buchou.id),
    securityDirector: await person("総務 部長", soumu.id, null, buchou.id),
    auditor: await person("監査 花子", soumu.id, soumuka.id, kakarichou.id),
    kouhouManager: await person("広報 課長", seisaku.id, kouhou.id, kachou.id),
    kouhouStaff: await person("広報 主事", seisaku.id, kouhou.id, shuji.id),
    soumuManager: await person("総務 課長", soumu.id, soumuka.id, kachou.id),
    soumuStaff: await person("総務 主事", soumu.id, soumuka.id, shuji.id),
    desk: await person("発信 課長", seisaku.id, furusato.id, kachou.id, ["consultation_desk"]),
  };

  // 9: the auditor was proposed by the administrator and approved by the policy director.
  await staffRepo.insertAssignment(db, {
    staffId: staff.auditor.id,
    role: "auditor",
    scopeType: "global",
    scopeId: null,
    assignedBy: staff.admin.id,
    status: "active",
    validUntil: "2099-12-31",
    approvedBy: staff.policyDirector.id,
    approvedAt: new Date("2026-01-05T00:00:00Z"),
  });

  const actors: Record<keyof typeof staff, StaffActor> & { system: Actor } = {
    admin: await actor(ctx, staff.admin.id),
    policyDirector: await actor(ctx, staff.policyDirector.id),
    securityDirector: await actor(ctx, staff.securityDirector.id),
    auditor: await actor(ctx, staff.auditor.id),
    kouhouManager: await actor(ctx, staff.kouhouManager.id),
    kouhouStaff: await actor(ctx, staff.kouhouStaff.id),
    soumuManager: await actor(ctx, staff.soumuManager.id),
    soumuStaff: await actor(ctx, staff.soumuStaff.id),
    desk: await actor(ctx, staff.desk.id),
    system: systemActor("test"),
  };

  return {
    positions: { buchou, kachou, kakarichou, shuji },
    departments: { seisaku, soumu },
    divisions: { kouhou, furusato, soumuka },
    staff,
    actors,
  };
}

/** A second member of 広報広聴課, a 係長 (T0100, 「広報 係長」), signed in by session. */
export async function seedKouhouKakarichou(ctx: AppContext, org: TestOrg): Promise<StaffActor> {
  const person = await staffRepo.insertStaff(ctx.db, {
    employeeNo: "T0100",
    name: "広報 係長",
    kana: "",
    email: "t100@city.example.lg.jp",
    departmentId: org.departments.seisaku.id,
    divisionId: org.divisions.kouhou.id,
    positionId: org.positions.kakarichou.id,
    active: true,
  });
  return actor(ctx, person.id);
}

/**
 * Records, straight in the table, that `staffId` stands in (職務代理) for the post holder
 * `absentStaffId` from 2026-01-01 to 2099-12-31: they hold the post's roles meanwhile.
 */
export async function standIn(ctx: AppContext, staffId: number, absentStaffId: number) {
  const absent = await staffRepo.findStaff(ctx.db, absentStaffId);
  if (!absent) throw new Error(`no staff ${absentStaffId}`);
  const post = await staffRepo.placementOf(ctx.db, absent);
  if (post.headOf === "none") throw new Error(`staff ${absentStaffId} holds no post`);
  return staffRepo.insertActing(ctx.db, {
    staffId,
    absentStaffId,
    kind: "deputy",
    headOf: post.headOf,
    departmentId: post.departmentId,
    divisionId: post.headOf === "division" ? post.divisionId : null,
    positionId: absent.positionId,
    fromDate: "2026-01-01",
    untilDate: "2099-12-31",
    reason: "テスト",
  });
}
