/**
 * SQL for the council (6): the divisions with their accounts, 課等の長 and named member (the
 * roster), meetings with agenda and minutes, their attachments (bytes read only for a
 * download), and the versions of the council's rules (規約, 6.3).
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { RosterInput } from "../../domain/council.ts";
import type { Db } from "../client.ts";
import {
  councilAttachments,
  councilMeetings,
  councilMembers,
  councilRules,
  departments,
  divisions,
  positions,
  staff,
} from "../schema.ts";

/**
 * Every division with its accounts (held or applied for: any status but rejected or closed), its
 * 課等の長 (the first active head by position rank) and the person it named, ordered by department
 * and division code; inactive divisions only when they still have accounts or a named person.
 */
export async function rosterInputs(db: Db): Promise<RosterInput[]> {
  const memberStaff = alias(staff, "member_staff");
  const memberDivision = alias(divisions, "member_division");
  const memberPosition = alias(positions, "member_position");
  const rows = await db
    .select({
      divisionId: divisions.id,
      divisionName: divisions.name,
      divisionActive: divisions.active,
      departmentId: departments.id,
      departmentName: departments.name,
      accounts: sql<number>`(select count(*)::int from accounts a where a.division_id = ${divisions.id} and a.status not in ('rejected', 'closed'))`,
      headId: sql<number | null>`(
        select s.id from staff s join positions p on p.id = s.position_id
        where s.division_id = ${divisions.id} and s.active and p.head_of = 'division'
        order by p.rank, s.id limit 1)`,
      staffId: councilMembers.staffId,
      designatedAt: councilMembers.designatedAt,
      name: memberStaff.name,
      active: memberStaff.active,
      memberDivisionId: memberStaff.divisionId,
      memberDivisionName: memberDivision.name,
      positionName: memberPosition.name,
    })
    .from(divisions)
    .innerJoin(departments, eq(departments.id, divisions.departmentId))
    .leftJoin(councilMembers, eq(councilMembers.divisionId, divisions.id))
    .leftJoin(memberStaff, eq(memberStaff.id, councilMembers.staffId))
    .leftJoin(memberDivision, eq(memberDivision.id, memberStaff.divisionId))
    .leftJoin(memberPosition, eq(memberPosition.id, memberStaff.positionId))
    .orderBy(asc(departments.code), asc(divisions.code));
  const headIds = rows.flatMap((r) => (r.headId === null ? [] : [r.headId]));
  const heads =
    headIds.length === 0
      ? []
      : await db
          .select({
            id: staff.id,
            name: staff.name,
            active: staff.active,
            divisionId: staff.divisionId,
            divisionName: divisions.name,
            positionName: positions.name,
          })
          .from(staff)
          .leftJoin(divisions, eq(divisions.id, staff.divisionId))
          .innerJoin(positions, eq(positions.id, staff.positionId))
          .where(inArray(staff.id, headIds));
  const headById = new Map(heads.map((h) => [h.id, h]));
  return rows
    .filter((r) => r.divisionActive || r.accounts > 0 || r.staffId !== null)
    .map((r) => {
      const head = r.headId === null ? undefined : headById.get(r.headId);
      return {
        divisionId: r.divisionId,
        divisionName: r.divisionName,
        departmentId: r.departmentId,
        departmentName: r.departmentName,
        accounts: r.accounts,
        head: head
          ? {
              staffId: head.id,
              name: head.name,
              active: head.active,
              divisionId: head.divisionId,
              divisionName: head.divisionName,
              positionName: head.positionName,
            }
          : null,
        member:
          r.staffId !== null && r.designatedAt !== null
            ? {
                staffId: r.staffId,
                name: r.name ?? "",
                active: r.active ?? false,
                divisionId: r.memberDivisionId,
                divisionName: r.memberDivisionName,
                positionName: r.positionName ?? "",
                designatedAt: r.designatedAt,
              }
            : null,
      };
    });
}

export type CouncilMember = typeof councilMembers.$inferSelect;

/** The person a division named to sit on the council. */
export async function findMember(db: Db, divisionId: number): Promise<CouncilMember | undefined> {
  const [row] = await db.select().from(councilMembers).where(eq(councilMembers.divisionId, divisionId));
  return row;
}

/** Names (or replaces) the person who sits for a division. */
export async function setMember(
  db: Db,
  values: {
    departmentId: number;
    divisionId: number;
    staffId: number;
    designatedAt: Date;
    designatedBy: number | null;
  },
): Promise<void> {
  await db
    .insert(councilMembers)
    .values(values)
    .onConflictDoUpdate({
      target: councilMembers.divisionId,
      set: {
        departmentId: values.departmentId,
        staffId: values.staffId,
        designatedAt: values.designatedAt,
        designatedBy: values.designatedBy,
      },
    });
}

export async function removeMember(db: Db, divisionId: number): Promise<void> {
  await db.delete(councilMembers).where(eq(councilMembers.divisionId, divisionId));
}

/**
 * Whether the person sits on the council (6.2): named for a division, or the 課等の長 of a
 * division that holds or applies for an account.
 */
export async function isDesignatedMember(db: Db, staffId: number): Promise<boolean> {
  const rows = await db.execute(sql`
    select 1 from council_members cm where cm.staff_id = ${staffId} and cm.division_id is not null
    union all
    select 1 from staff s join positions p on p.id = s.position_id
    where s.id = ${staffId} and s.active and p.head_of = 'division' and exists (
      select 1 from accounts a where a.division_id = s.division_id and a.status not in ('rejected', 'closed'))
    limit 1`);
  return rows.rows.length > 0;
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
