/**
 * 8.2 周知徹底: every member of staff in the scope the policy director sets (all active staff by
 * default, or the staff of divisions with accounts plus everyone holding a guideline role; the
 * setup department never counts) acknowledges the newest published version — shown what changed since the version they last acknowledged (or the whole text the
 * first time) — with 「確認しました」. The policy director and administrators see the rates by
 * department and who has not; those who have not are reminded after the pack's
 * `acknowledgementReminderDays` (default 14) by a task.
 */

import { z } from "zod";
import { getSetting, putSetting } from "../../db/repos/auth.ts";
import * as repo from "../../db/repos/guideline.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import {
  type AcknowledgementRates,
  type AckScope,
  acknowledgementRates,
  ackScopeLabels,
  ackScopes,
  defaultAckScope,
  isAckScope,
  type RequiredPerson,
  reminderDate,
} from "../../domain/guideline-ack.ts";
import { type ClauseChange, changedClauses, clauseDiff } from "../../domain/guideline-diff.ts";
import { conflict, notFound } from "../../errors.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { change } from "../audit/record.ts";
import { authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId, type StaffActor } from "../context.ts";
import type { Task } from "../feature.ts";
import { readMemo, readOnce } from "../read-once.ts";
import { idOf, parse } from "../validate.ts";
import { contentOf } from "./stored.ts";
import { ensureShippedVersion, versionTarget } from "./versions.ts";

/** What the acknowledgement page shows a person. */
export type AcknowledgementView = {
  version: repo.GuidelineVersionSummary;
  /** Whether the person holds a role that requires acknowledging (8.2). */
  required: boolean;
  /** When they acknowledged this version, or null. */
  acknowledgedAt: Date | null;
  /** The version they acknowledged before (the base of the changes), or null for a first reading. */
  base: { id: number; label: string; acknowledgedAt: Date } | null;
  /** With a base: the changed clauses. Without: every clause (the whole text). */
  clauses: ClauseChange[];
  /** The guideline's headings (section id → heading), shown apart from the clauses' text. */
  headings: Record<string, string>;
};

/** The settings key of the scope (8.2). */
export const ACK_SCOPE_SETTING = "guideline.ack_scope";

/** Who must acknowledge (8.2): the policy director's setting, or all staff until they choose. */
export async function acknowledgementScope(ctx: AppContext): Promise<AckScope> {
  return readOnce(ctx, scopeReads, "", async () => {
    const value = await getSetting(ctx.db, ACK_SCOPE_SETTING);
    return isAckScope(value) ? value : defaultAckScope;
  });
}

/** The scope and the reminder days, read once per page (the dashboard's tasks and rates). */
const scopeReads = readMemo<AckScope>();
const reminderReads = readMemo<number>();

const scopeInput = z.object({
  scope: z.enum(ackScopes, { error: "確認の対象とする職員の範囲を選んでください。" }),
});

/**
 * Sets who must acknowledge the guideline (8.2 周知徹底, the policy director's duty): all active
 * staff, or the staff of divisions with accounts plus role holders. Stored and audited with the
 * value before and after; the rates and reminders count the new scope at once.
 * @param props.input `{ scope }` — all_staff | account_divisions
 */
export async function setAcknowledgementScope(
  ctx: AppContext,
  props: { actor: Actor; input: unknown },
): Promise<AckScope> {
  await authorize(ctx, props.actor, "guideline.ack_scope");
  const input = parse(scopeInput, props.input);
  return change(ctx, props.actor, "guideline.ack_scope", async (tx, at) => {
    const before = await getSetting(tx, ACK_SCOPE_SETTING);
    const previous = isAckScope(before) ? before : defaultAckScope;
    if (previous === input.scope && before !== undefined)
      throw conflict(`確認の対象は、すでに「${ackScopeLabels[input.scope]}」です。`);
    await putSetting(tx, ACK_SCOPE_SETTING, input.scope, actorId(props.actor), at);
    return {
      result: input.scope,
      target: { type: "setting", id: ACK_SCOPE_SETTING },
      summary: { before: previous, after: input.scope },
    };
  });
}

const newestReads = readMemo<repo.GuidelineVersionSummary | undefined>();

/** The newest published version, read once per page (the dashboard's tasks and rates). */
function newestPublished(ctx: AppContext): Promise<repo.GuidelineVersionSummary | undefined> {
  return readOnce(ctx, newestReads, "", () => repo.newestPublished(ctx.db));
}

async function currentVersion(ctx: AppContext): Promise<repo.GuidelineVersionSummary> {
  await ensureShippedVersion(ctx);
  // None read earlier in the request: the shipped version may have been recorded just now.
  const version = (await newestPublished(ctx)) ?? (await repo.newestPublished(ctx.db));
  if (!version) throw notFound("ガイドラインの版");
  return version;
}

/** The page a person reads before pressing 「確認しました」. */
export async function acknowledgementView(
  ctx: AppContext,
  props: { actor: StaffActor },
): Promise<AcknowledgementView> {
  await authorize(ctx, props.actor, "guideline.read");
  const summary = await currentVersion(ctx);
  const staffId = props.actor.staffId;
  const [row, mine, earlier, required] = await Promise.all([
    repo.findVersion(ctx.db, summary.id),
    repo.acknowledgementOf(ctx.db, summary.id, staffId),
    // The base: the newest version acknowledged before this one (none for a first reading).
    repo.lastAcknowledgedVersion(ctx.db, staffId, { exceptVersionId: summary.id }),
    repo.requiredPeople(ctx.db, { staffId, scope: await acknowledgementScope(ctx) }),
  ]);
  if (!row) throw notFound("ガイドラインの版");
  const content = await contentOf(row);
  const baseClauses = earlier ? (await contentOf(earlier)).clauses : undefined;
  return {
    version: summary,
    required: required.length > 0,
    acknowledgedAt: mine?.at ?? null,
    base: earlier ? { id: earlier.id, label: earlier.label, acknowledgedAt: earlier.acknowledgedAt } : null,
    headings: content.guideline.headings,
    clauses: baseClauses
      ? changedClauses(baseClauses, content.clauses)
      : clauseDiff(undefined, content.clauses),
  };
}

const acknowledgeInput = z.object({ versionId: idOf("ガイドラインの版") });

/**
 * Records 「確認しました」 for the newest published version (8.2) and closes the person's
 * reminder tasks. Refused when a newer version was published meanwhile (they must read that one).
 */
export async function acknowledgeGuideline(ctx: AppContext, props: { actor: StaffActor; input: unknown }) {
  await authorize(ctx, props.actor, "guideline.read");
  const input = parse(acknowledgeInput, props.input);
  const current = await currentVersion(ctx);
  if (current.id !== input.versionId) {
    throw conflict(
      `新しい版（${current.label}）が公開されています。ページを開き直し、新しい版の内容を確認してください。`,
    );
  }
  return change(ctx, props.actor, "guideline.acknowledge", async (tx, at) => {
    const added = await repo.insertAcknowledgement(tx, {
      versionId: current.id,
      staffId: props.actor.staffId,
      at,
    });
    if (!added) throw conflict("この版はすでに確認済みです。");
    const closed = await repo.closeAckTasks(tx, props.actor.staffId, at);
    return {
      result: { versionId: current.id, at },
      target: versionTarget(current.id),
      summary: { label: current.label, closedTasks: closed },
    };
  });
}

/** Acknowledgement of a version by department, for the policy director and administrators. */
export type AcknowledgementStatus = AcknowledgementRates & {
  /** Who must acknowledge (8.2), as the policy director set it. */
  scope: AckScope;
  version: repo.GuidelineVersionSummary;
  /** The day those who have not are (or were) reminded. */
  remindOn: string;
  reminderDays: number;
};

/** The version's `acknowledgementReminderDays` (the shipped pack's for a shipped version). */
async function reminderDaysOf(ctx: AppContext, versionId: number): Promise<number> {
  return readOnce(ctx, reminderReads, String(versionId), async () => {
    const setting = await repo.reminderSetting(ctx.db, versionId);
    if (setting?.source === "shipped" || !setting?.days)
      return guidelinePack().deadlines.acknowledgementReminderDays;
    return setting.days;
  });
}

function publishedOn(version: repo.GuidelineVersionSummary): string {
  return version.publishedAt ? tokyoDate(version.publishedAt) : version.effectiveDate;
}

/** Rates by department and who has not acknowledged the newest published version. */
export async function acknowledgementStatus(
  ctx: AppContext,
  props: { actor: Actor },
): Promise<AcknowledgementStatus> {
  await authorize(ctx, props.actor, "guideline.ack_status");
  const version = await currentVersion(ctx);
  const scope = await acknowledgementScope(ctx);
  const [people, acknowledged, reminderDays] = await Promise.all([
    repo.requiredPeople(ctx.db, { scope }),
    repo.acknowledgedStaffIds(ctx.db, version.id),
    reminderDaysOf(ctx, version.id),
  ]);
  return {
    ...acknowledgementRates(people, acknowledged),
    scope,
    version,
    reminderDays,
    remindOn: reminderDate(publishedOn(version), version.effectiveDate, reminderDays),
  };
}

/**
 * Reminds those who have not acknowledged the newest version once its reminder day has come
 * (8.2): one `guideline_ack` task each (once per version), in one change. Safe from several
 * instances. Returns how many were reminded.
 */
export async function sendAcknowledgementReminders(ctx: AppContext, actor: Actor): Promise<number> {
  await ensureShippedVersion(ctx);
  const version = await repo.newestPublished(ctx.db);
  if (!version) return 0;
  const days = await reminderDaysOf(ctx, version.id);
  const remindOn = reminderDate(publishedOn(version), version.effectiveDate, days);
  const today = tokyoDate(ctx.clock.now());
  if (today < remindOn) return 0;
  const scope = await acknowledgementScope(ctx);
  const pending = async (db: typeof ctx.db): Promise<RequiredPerson[]> => {
    // One after the other: also run inside the transaction below, whose client runs one query at a time.
    const people = await repo.requiredPeople(db, { scope });
    const acknowledged = await repo.acknowledgedStaffIds(db, version.id);
    const reminded = await repo.remindedStaffIds(db, version.id);
    return people.filter((p) => !acknowledged.has(p.staffId) && !reminded.has(p.staffId));
  };
  if ((await pending(ctx.db)).length === 0) return 0;
  return change(ctx, actor, "guideline.ack_reminder", async (tx, at) => {
    await repo.lockGuideline(tx);
    const people = await pending(tx);
    const opened = await repo.openAckTasks(tx, {
      staffIds: people.map((p) => p.staffId),
      versionId: version.id,
      title: `ガイドライン（${version.label}）の内容を確認し、「確認しました」を押してください`,
      dueDate: remindOn,
      at,
    });
    return {
      result: opened,
      target: versionTarget(version.id),
      summary: { label: version.label, reminded: people.map((p) => p.staffId), remindOn },
    };
  });
}

/**
 * "My tasks": the guideline was updated (or never acknowledged) — please confirm; for everyone
 * who must acknowledge and has not, unless a reminder task (listed by the tasks board) is open.
 */
export async function acknowledgementTasks(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const [version, required] = await Promise.all([
    newestPublished(ctx),
    acknowledgementScope(ctx).then((scope) => repo.requiredPeople(ctx.db, { staffId: actor.staffId, scope })),
  ]);
  if (required.length === 0) return [];
  if (!version) {
    // Nothing recorded yet: the shipped version applies and is recorded when the page is opened.
    return [
      {
        kind: repo.ACK_TASK_KIND,
        title: `ガイドライン（${guidelinePack().versionLabel}）の内容を確認してください`,
        href: "/guideline/acknowledge",
        due: null,
        overdue: false,
        clause: "8.2",
      },
    ];
  }
  const [mine, openTask, earlier] = await Promise.all([
    repo.acknowledgementOf(ctx.db, version.id, actor.staffId),
    repo.hasOpenAckTask(ctx.db, actor.staffId),
    repo.hasAcknowledgedAny(ctx.db, actor.staffId),
  ]);
  if (mine || openTask) return [];
  const days = await reminderDaysOf(ctx, version.id);
  const due = reminderDate(publishedOn(version), version.effectiveDate, days);
  const today = tokyoDate(ctx.clock.now());
  return [
    {
      kind: repo.ACK_TASK_KIND,
      title: earlier
        ? `ガイドラインが改正されました（${version.label}、${formatDate(version.effectiveDate)}施行）。変更点を確認してください`
        : `ガイドライン（${version.label}）の内容を確認してください`,
      href: "/guideline/acknowledge",
      due,
      overdue: due < today,
      clause: "8.2",
    },
  ];
}
