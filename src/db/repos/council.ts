/**
 * SQL for the council (6): the departments with their accounts and designated member (the
 * roster), meetings with agenda and minutes, their attachments (bytes read only for a
 * download), and the versions of the council's rules (規約, 6.3).
 */
import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import type { RosterInput } from "../../domain/council.ts";
import type { Db } from "../client.ts";
import {
  accounts,
  councilAttachments,
  councilMeetings,
  councilMembers,
  councilRules,
  departments,
  divisions,
  positions,
  staff,
} from "../schema.ts";

/** Every active department with its accounts (held or applied for: any status but rejected) and its member. */
export async function rosterInputs(db: Db): Promise<RosterInput[]> {
  const accountCounts = db.$with("account_counts").as(
    db
      .select({
        departmentId: divisions.departmentId,
        n: sql<number>`count(*)::int`.as("n"),
      })
      .from(divisions)
      .innerJoin(accounts, and(eq(accounts.divisionId, divisions.id), ne(accounts.status, "rejected")))
      .groupBy(divisions.departmentId),
  );
  const rows = await db
    .with(accountCounts)
    .select({
      departmentId: departments.id,
      departmentName: departments.name,
      departmentActive: departments.active,
      accounts: sql<number>`coalesce(${accountCounts.n}, 0)::int`,
      staffId: councilMembers.staffId,
      designatedAt: councilMembers.designatedAt,
      name: staff.name,
      active: staff.active,
      memberDepartmentId: staff.departmentId,
      divisionName: divisions.name,
      positionName: positions.name,
    })
    .from(departments)
    .leftJoin(accountCounts, eq(accountCounts.departmentId, departments.id))
    .leftJoin(councilMembers, eq(councilMembers.departmentId, departments.id))
    .leftJoin(staff, eq(staff.id, councilMembers.staffId))
    .leftJoin(divisions, eq(divisions.id, staff.divisionId))
    .leftJoin(positions, eq(positions.id, staff.positionId))
    .orderBy(asc(departments.code));
  return rows
    .filter((r) => r.departmentActive || r.accounts > 0 || r.staffId !== null)
    .map((r) => ({
      departmentId: r.departmentId,
      departmentName: r.departmentName,
      accounts: r.accounts,
      member:
        r.staffId !== null && r.designatedAt !== null
          ? {
              staffId: r.staffId,
              name: r.name ?? "",
              active: r.active ?? false,
              departmentId: r.memberDepartmentId ?? 0,
              divisionName: r.divisionName,
              positionName: r.positionName ?? "",
              designatedAt: r.designatedAt,
            }
          : null,
    }));
}

export type CouncilMember = typeof councilMembers.$inferSelect;

export async function findMember(db: Db, departmentId: number): Promise<CouncilMember | undefined> {
  const [row] = await db.select().from(councilMembers).where(eq(councilMembers.departmentId, departmentId));
  return row;
}

/** Names (or replaces) a department's member. */
export async function setMember(
  db: Db,
  values: { departmentId: number; staffId: number; designatedAt: Date; designatedBy: number | null },
): Promise<void> {
  await db
    .insert(councilMembers)
    .values(values)
    .onConflictDoUpdate({
      target: councilMembers.departmentId,
      set: { staffId: values.staffId, designatedAt: values.designatedAt, designatedBy: values.designatedBy },
    });
}

export async function removeMember(db: Db, departmentId: number): Promise<void> {
  await db.delete(councilMembers).where(eq(councilMembers.departmentId, departmentId));
}

/** Whether the person is a department's designated member. */
export async function isDesignatedMember(db: Db, staffId: number): Promise<boolean> {
  const rows = await db
    .select({ d: councilMembers.departmentId })
    .from(councilMembers)
    .where(eq(councilMembers.staffId, staffId))
    .limit(1);
  return rows.length > 0;
}

// Meetings

export type CouncilMeeting = typeof councilMeetings.$inferSelect;
export type MeetingListItem = CouncilMeeting & { attachments: number; createdByName: string | null };

export async function listMeetings(db: Db): Promise<MeetingListItem[]> {
  return db
    .select({
      id: councilMeetings.id,
      heldOn: councilMeetings.heldOn,
      title: councilMeetings.title,
      agenda: councilMeetings.agenda,
      minutes: councilMeetings.minutes,
      createdBy: councilMeetings.createdBy,
      createdAt: councilMeetings.createdAt,
      updatedAt: councilMeetings.updatedAt,
      createdByName: staff.name,
      attachments: sql<number>`(select count(*)::int from council_attachments ca where ca.meeting_id = ${councilMeetings.id})`,
    })
    .from(councilMeetings)
    .leftJoin(staff, eq(staff.id, councilMeetings.createdBy))
    .orderBy(desc(councilMeetings.heldOn), desc(councilMeetings.id));
}

export async function findMeeting(db: Db, id: number): Promise<CouncilMeeting | undefined> {
  const [row] = await db.select().from(councilMeetings).where(eq(councilMeetings.id, id));
  return row;
}

export async function lockMeeting(db: Db, id: number): Promise<CouncilMeeting | undefined> {
  const [row] = await db.select().from(councilMeetings).where(eq(councilMeetings.id, id)).for("update");
  return row;
}

export async function insertMeeting(
  db: Db,
  values: {
    heldOn: string;
    title: string;
    agenda: string;
    minutes: string;
    createdBy: number | null;
    at: Date;
  },
): Promise<CouncilMeeting> {
  const { at, ...rest } = values;
  const [row] = await db
    .insert(councilMeetings)
    .values({ ...rest, createdAt: at, updatedAt: at })
    .returning();
  if (!row) throw new Error("insert council meeting returned nothing");
  return row;
}

export async function updateMeeting(
  db: Db,
  id: number,
  values: { heldOn: string; title: string; agenda: string; minutes: string },
  at: Date,
): Promise<CouncilMeeting | undefined> {
  const [row] = await db
    .update(councilMeetings)
    .set({ ...values, updatedAt: at })
    .where(eq(councilMeetings.id, id))
    .returning();
  return row;
}

// Attachments

export type AttachmentInfo = Omit<typeof councilAttachments.$inferSelect, "bytes"> & {
  uploadedByName: string | null;
};

const attachmentInfo = {
  id: councilAttachments.id,
  meetingId: councilAttachments.meetingId,
  filename: councilAttachments.filename,
  contentType: councilAttachments.contentType,
  size: councilAttachments.size,
  uploadedBy: councilAttachments.uploadedBy,
  createdAt: councilAttachments.createdAt,
  uploadedByName: staff.name,
};

export async function listAttachments(db: Db, meetingId: number): Promise<AttachmentInfo[]> {
  return db
    .select(attachmentInfo)
    .from(councilAttachments)
    .leftJoin(staff, eq(staff.id, councilAttachments.uploadedBy))
    .where(eq(councilAttachments.meetingId, meetingId))
    .orderBy(asc(councilAttachments.id));
}

export async function findAttachment(
  db: Db,
  meetingId: number,
  id: number,
): Promise<typeof councilAttachments.$inferSelect | undefined> {
  const [row] = await db
    .select()
    .from(councilAttachments)
    .where(and(eq(councilAttachments.meetingId, meetingId), eq(councilAttachments.id, id)));
  return row;
}

export async function insertAttachment(
  db: Db,
  values: {
    meetingId: number;
    filename: string;
    contentType: string;
    bytes: Uint8Array;
    uploadedBy: number | null;
    at: Date;
  },
): Promise<AttachmentInfo> {
  const { at, ...rest } = values;
  const [row] = await db
    .insert(councilAttachments)
    .values({ ...rest, size: values.bytes.length, createdAt: at })
    .returning({ id: councilAttachments.id });
  if (!row) throw new Error("insert council attachment returned nothing");
  const [info] = await db
    .select(attachmentInfo)
    .from(councilAttachments)
    .leftJoin(staff, eq(staff.id, councilAttachments.uploadedBy))
    .where(eq(councilAttachments.id, row.id));
  if (!info) throw new Error("council attachment vanished");
  return info;
}

export async function deleteAttachment(db: Db, meetingId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(councilAttachments)
    .where(and(eq(councilAttachments.meetingId, meetingId), eq(councilAttachments.id, id)))
    .returning({ id: councilAttachments.id });
  return rows.length > 0;
}

// Rules (規約, 6.3)

export type CouncilRulesVersion = typeof councilRules.$inferSelect & { createdByName: string | null };

const rulesColumns = {
  id: councilRules.id,
  version: councilRules.version,
  text: councilRules.text,
  adoptedOn: councilRules.adoptedOn,
  changeSummary: councilRules.changeSummary,
  createdBy: councilRules.createdBy,
  createdAt: councilRules.createdAt,
  createdByName: staff.name,
};

/** Every version of the rules, newest first. */
export async function listRules(db: Db): Promise<CouncilRulesVersion[]> {
  return db
    .select(rulesColumns)
    .from(councilRules)
    .leftJoin(staff, eq(staff.id, councilRules.createdBy))
    .orderBy(desc(councilRules.version));
}

export async function findRules(db: Db, version: number): Promise<CouncilRulesVersion | undefined> {
  const [row] = await db
    .select(rulesColumns)
    .from(councilRules)
    .leftJoin(staff, eq(staff.id, councilRules.createdBy))
    .where(eq(councilRules.version, version));
  return row;
}

/** Adds the next version (the unique version index refuses a second one made at the same moment). */
export async function insertRules(
  db: Db,
  values: { text: string; adoptedOn: string; changeSummary: string; createdBy: number | null; at: Date },
): Promise<typeof councilRules.$inferSelect> {
  const [last] = await db
    .select({ v: councilRules.version })
    .from(councilRules)
    .orderBy(desc(councilRules.version))
    .limit(1);
  const { at, ...rest } = values;
  const [row] = await db
    .insert(councilRules)
    .values({ ...rest, version: (last?.v ?? 0) + 1, createdAt: at })
    .returning();
  if (!row) throw new Error("insert council rules returned nothing");
  return row;
}
