/**
 * Reading incidents (7) with the visibility the guideline implies: the list (open ones first,
 * filtered), one incident with its playbook checklist (owners, due times, overdue steps), its
 * timeline, files, type panels (fake accounts, contacts, the hijacked account, the false claim
 * and notice, drafted posts) and what the person may do; the open incidents at the top of the dashboard; the
 * incidents recorded on a post (for the post page); and what the report form offers.
 */
import { type AccountView, findAccount, findAccountView, listAccounts } from "../../db/repos/accounts.ts";
import { activeStaffOf } from "../../db/repos/credentials.ts";
import {
  type AccountHijack,
  type AttachmentInfo,
  findHijack,
  type Impersonation,
  type IncidentContact,
  type IncidentEvent,
  type IncidentStepView,
  type IncidentView,
  type LinkedPost,
  listAttachments,
  listContacts,
  listImpersonations,
  listIncidentEvents,
  listIncidentViews,
  listLinkedPosts,
  listSteps,
  openIncidentTasks,
} from "../../db/repos/incidents.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { publicStatuses } from "../../domain/accounts.ts";
import {
  type DirectorReportState,
  directorReportState,
  type HijackState,
  hijackNoticeText,
  hijackState,
  type RecoveryProblem,
  recoveryProblems,
} from "../../domain/hijack.ts";
import {
  type DraftKind,
  draftsOf,
  expectsStatement,
  type IncidentSeverity,
  type IncidentStatus,
  type IncidentType,
  isOpenIncident,
  isStepOverdue,
  statementDueAt,
  stepSpec,
  type WarningState,
  warningState,
} from "../../domain/incidents.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { canSeeAccount } from "../accounts/read.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext, StaffActor } from "../context.ts";
import { getPost } from "../posts/access.ts";
import { postableAccounts } from "../posts/read.ts";
import { holdersOf } from "../staff/role-grants.ts";
import { closeTarget, isResponder, mayInform, visibilityOf, visibleIncident } from "./access.ts";
import { currentNotice, type IncidentNotice, type RecordedClaim, recordedClaim } from "./notices.ts";
import { INCIDENT_REPORT_TASK } from "./record.ts";

/** One checklist item as the page shows it. */
export type StepItem = IncidentStepView & {
  overdue: boolean;
  optional: boolean;
  detail: string;
  /** Completing it records the incident's post as deleted (7.1). */
  deletesPost: boolean;
  /** The person may complete or reopen it: a responder, or its owner adding what they found (7). */
  actionable: boolean;
};

/** A fake account with where its public warning stands (7.3.1) and who confirmed it. */
export type ImpersonationItem = Impersonation & {
  /** On the public pages now. */
  warningShown: boolean;
  warningState: WarningState;
  warningPublishedByName: string | null;
};

/** The post the incident is about, when the person may see it. */
export type IncidentPost = {
  id: number;
  text: string;
  status: string;
  accountName: string;
  publishedAt: Date | null;
  publishedUrl: string | null;
};

/** One incident with everything its page shows. */
export type IncidentDetail = {
  incident: IncidentView;
  steps: StepItem[];
  events: IncidentEvent[];
  attachments: AttachmentInfo[];
  impersonations: ImpersonationItem[];
  contacts: IncidentContact[];
  linkedPosts: LinkedPost[];
  claim: RecordedClaim | null;
  notice: IncidentNotice | null;
  post: IncidentPost | null;
  /** 7.2.3: when the first public statement is due, and when it was made. */
  statement: { expected: boolean; dueAt: Date; madeAt: Date | null; overdue: boolean };
  /** 7.1: the city's 情報流出事案対応マニュアル, when configured. */
  leakManualUrl: string | undefined;
  /** The manager has not yet recorded receiving the report. */
  awaitingAcknowledgement: boolean;
  /**
   * respond: act for the incident (7: receive the report, give steps, severity, status, public
   * texts); inform: add information (a responder, or the reporter: another fake account, the
   * false claim); note: notes and files; close: close with the review.
   */
  can: { respond: boolean; inform: boolean; note: boolean; close: boolean };
  /** Posts the person may draft from the incident, and from which accounts (3: operators only). */
  drafts: { kinds: DraftKind[]; accounts: Array<{ id: number; name: string; platform: string }> };
  /** People a step can be given to. */
  staffChoices: Array<{ id: number; name: string }>;
  /** 乗っ取り (7.3(1)): the hijacked account's marking, the director's report, recovery. */
  hijack: HijackItem | null;
  now: Date;
};

/** A hijacked account as the incident page shows it. */
export type HijackItem = AccountHijack & {
  state: HijackState;
  reportState: DirectorReportState;
  /** 「○月○日○時以降の投稿は市によるものではありません」 */
  notice: string;
  names: {
    markingPublishedBy: string | null;
    directorReportedBy: string | null;
    directorConfirmedBy: string | null;
    recoveredBy: string | null;
  };
  /** The account's credentials as recorded (4.3.3), and what still keeps recovery from being recorded. */
  credentials: { passwordChangedAt: Date | null; mfaEnabled: boolean; problems: RecoveryProblem[] };
  /** The person is the 情報統括管理者 and may confirm the report. */
  canConfirmReport: boolean;
};

async function staffName(ctx: AppContext, id: number | null): Promise<string | null> {
  if (id === null) return null;
  return (await findStaff(ctx.db, id))?.name ?? null;
}

async function hijackItem(ctx: AppContext, actor: Actor, incidentId: number): Promise<HijackItem | null> {
  const row = await findHijack(ctx.db, incidentId);
  if (!row) return null;
  const account = await findAccount(ctx.db, row.accountId);
  const passwordChangedAt = account?.passwordChangedAt ?? null;
  const mfaEnabled = account?.mfaEnabled ?? false;
  return {
    ...row,
    state: hijackState(row),
    reportState: directorReportState(row),
    notice: hijackNoticeText(row.compromisedSince),
    names: {
      markingPublishedBy: await staffName(ctx, row.markingPublishedBy),
      directorReportedBy: await staffName(ctx, row.directorReportedBy),
      directorConfirmedBy: await staffName(ctx, row.directorConfirmedBy),
      recoveredBy: await staffName(ctx, row.recoveredBy),
    },
    credentials: {
      passwordChangedAt,
      mfaEnabled,
      problems: recoveryProblems({ compromisedSince: row.compromisedSince, passwordChangedAt, mfaEnabled }),
    },
    canConfirmReport: actor.kind === "staff" && allowed(actor, "incident.confirm_report"),
  };
}

/** The latest published linked post: the statement made through the posts workflow (7.2.3). */
function firstPublished(posts: LinkedPost[]): Date | null {
  const times = posts.map((p) => p.publishedAt).filter((d): d is Date => d !== null);
  if (times.length === 0) return null;
  return new Date(Math.min(...times.map((d) => d.getTime())));
}

async function staffChoices(
  ctx: AppContext,
  incident: IncidentView,
): Promise<Array<{ id: number; name: string }>> {
  const byId = new Map<number, string>();
  if (incident.accountDivisionId !== null)
    for (const p of await activeStaffOf(ctx.db, incident.accountDivisionId)) byId.set(p.id, p.name);
  for (const role of ["security_director", "policy_director"])
    for (const p of await holdersOf(ctx.db, role, ctx.clock.now())) byId.set(p.id, p.name);
  for (const id of [incident.managerId, incident.reportedBy]) {
    if (id === null || byId.has(id)) continue;
    const p = await findStaff(ctx.db, id);
    if (p?.active) byId.set(p.id, p.name);
  }
  return [...byId].map(([id, name]) => ({ id, name }));
}

/** One incident the actor may see, with its checklist, timeline, panels and permissions. */
export async function incidentDetail(
  ctx: AppContext,
  props: { actor: Actor; id: number },
): Promise<IncidentDetail> {
  const { actor } = props;
  const { incident, facts } = await visibleIncident(ctx, actor, props.id);
  const now = ctx.clock.now();
  const [steps, events, attachments, impersonations, contacts, linkedPosts, claim, notice, reportTasks] =
    await Promise.all([
      listSteps(ctx.db, incident.id),
      listIncidentEvents(ctx.db, incident.id),
      listAttachments(ctx.db, incident.id),
      listImpersonations(ctx.db, incident.id),
      listContacts(ctx.db, incident.id),
      listLinkedPosts(ctx.db, incident.id),
      recordedClaim(ctx, incident.id),
      currentNotice(ctx, incident.id),
      openIncidentTasks(ctx.db, incident.id, [INCIDENT_REPORT_TASK]),
    ]);
  const post =
    incident.postId === null ? null : await getPost(ctx, { actor, id: incident.postId }).catch(() => null);
  const open = isOpenIncident(incident.status);
  const respond = open && isResponder(actor, facts);
  const inform = open && mayInform(actor, facts);
  const note = allowed(actor, "incident.note", facts.target);
  const hours = guidelinePack().incidents.publicStatementReminderHours;
  const dueAt = statementDueAt(incident.createdAt, hours);
  const madeAt = incident.publicStatementAt ?? firstPublished(linkedPosts);
  const expected = expectsStatement(incident.type);
  let draftAccounts: AccountView[] = [];
  if (open && note && actor.kind === "staff") {
    const mine = await postableAccounts(ctx, actor);
    draftAccounts =
      incident.type === "hijack"
        ? mine.filter((a) => a.id !== incident.accountId)
        : incident.type === "impersonation" || incident.accountId === null
          ? mine
          : mine.filter((a) => a.id === incident.accountId);
  }
  return {
    incident,
    steps: steps.map((s) => {
      const spec = stepSpec(incident.type, s.stepKey);
      return {
        ...s,
        overdue: open && isStepOverdue(s, now),
        optional: spec?.optional === true,
        detail: spec?.detail ?? "",
        deletesPost: spec?.deletesPost === true && post !== null && post.status === "published",
        actionable: respond || (open && note && actor.kind === "staff" && s.ownerId === actor.staffId),
      };
    }),
    events,
    attachments,
    impersonations: await Promise.all(
      impersonations.map(async (i) => {
        const state = warningState(i, now);
        const by = i.warningPublishedBy === null ? undefined : await findStaff(ctx.db, i.warningPublishedBy);
        return {
          ...i,
          warningShown: state === "shown",
          warningState: state,
          warningPublishedByName: by?.name ?? null,
        };
      }),
    ),
    contacts,
    linkedPosts,
    claim,
    notice,
    post: post
      ? {
          id: post.id,
          text: post.text,
          status: post.status,
          accountName: post.accountName,
          publishedAt: post.publishedAt,
          publishedUrl: post.publishedUrl,
        }
      : null,
    statement: {
      expected,
      dueAt,
      madeAt,
      overdue: expected && open && madeAt === null && now.getTime() >= dueAt.getTime(),
    },
    leakManualUrl: ctx.config.leakManualUrl,
    awaitingAcknowledgement: reportTasks.length > 0,
    can: {
      respond,
      inform,
      note: open && note,
      close: open && allowed(actor, "incident.close", closeTarget(facts)),
    },
    drafts: {
      kinds: draftAccounts.length > 0 ? [...draftsOf[incident.type]] : [],
      accounts: draftAccounts.map((a) => ({ id: a.id, name: a.name, platform: a.platform })),
    },
    staffChoices: respond ? await staffChoices(ctx, incident) : [],
    hijack: incident.type === "hijack" ? await hijackItem(ctx, actor, incident.id) : null,
    now,
  };
}

/** List filters. */
export type IncidentListFilter = {
  /** "open": 対応中 and 監視中 (the default); "all"; or one status. */
  status?: IncidentStatus | "open" | "all";
  type?: IncidentType;
  severity?: IncidentSeverity;
  accountId?: number;
  page?: number;
};

export const INCIDENT_PAGE_SIZE = 50;

/** A page of the incidents the actor may see, open ones first. */
export async function listIncidents(
  ctx: AppContext,
  props: { actor: Actor; filter: IncidentListFilter },
): Promise<{ rows: IncidentView[]; total: number; page: number; pageSize: number; seesAll: boolean }> {
  await authorize(ctx, props.actor, "incident.report");
  const f = props.filter;
  const status = f.status ?? "open";
  const page = Math.max(1, f.page ?? 1);
  const visibleTo = visibilityOf(props.actor);
  const { rows, total } = await listIncidentViews(ctx.db, {
    statuses: status === "all" ? undefined : status === "open" ? ["responding", "monitoring"] : [status],
    types: f.type ? [f.type] : undefined,
    severities: f.severity ? [f.severity] : undefined,
    accountId: f.accountId,
    visibleTo,
    limit: INCIDENT_PAGE_SIZE,
    offset: (page - 1) * INCIDENT_PAGE_SIZE,
  });
  return { rows, total, page, pageSize: INCIDENT_PAGE_SIZE, seesAll: visibleTo === null };
}

/** The dashboard's open incidents (at most 10, the most urgent first) and how many are open. */
export async function openIncidentsFor(
  ctx: AppContext,
  props: { actor: Actor },
): Promise<{ rows: IncidentView[]; total: number }> {
  return listIncidentViews(ctx.db, {
    statuses: ["responding", "monitoring"],
    visibleTo: visibilityOf(props.actor),
    limit: 10,
  });
}

/** The incidents recorded on a post that the actor may see (for the post page). */
export async function incidentsOfPost(
  ctx: AppContext,
  props: { actor: Actor; postId: number },
): Promise<IncidentView[]> {
  const { rows } = await listIncidentViews(ctx.db, {
    postId: props.postId,
    visibleTo: visibilityOf(props.actor),
    limit: 20,
  });
  return rows;
}

/** What the report form offers: accounts to report about, and the post when reporting from one. */
export type ReportOptions = {
  accounts: Array<{ id: number; name: string; platform: string; divisionName: string }>;
  post: IncidentPost | null;
  accountId: number | null;
  /** 7: the account manager the report goes to at once, when the account is known. */
  reportTo: { name: string; divisionName: string } | null;
};

/** The report form's choices (official accounts the person may see; the post, when given). */
export async function reportOptions(
  ctx: AppContext,
  props: { actor: StaffActor; postId?: number | undefined; accountId?: number | undefined },
): Promise<ReportOptions> {
  await authorize(ctx, props.actor, "incident.report");
  const rows = await listAccounts(ctx.db, {
    statuses: [...publicStatuses, "approved", "closed"],
    visibleDivisionIds: null,
  });
  const accounts = rows
    .filter((a) => canSeeAccount(props.actor, a))
    .map((a) => ({ id: a.id, name: a.name, platform: a.platform, divisionName: a.divisionName }));
  const post =
    props.postId === undefined ? null : await getPost(ctx, { actor: props.actor, id: props.postId });
  const accountId =
    post?.accountId ??
    (props.accountId && accounts.some((a) => a.id === props.accountId) ? props.accountId : null);
  const account = accountId === null ? undefined : await findAccountView(ctx.db, accountId);
  const manager = account?.managerId ? await findStaff(ctx.db, account.managerId) : undefined;
  return {
    accounts,
    reportTo: account && manager?.active ? { name: manager.name, divisionName: account.divisionName } : null,
    post: post
      ? {
          id: post.id,
          text: post.text,
          status: post.status,
          accountName: post.accountName,
          publishedAt: post.publishedAt,
          publishedUrl: post.publishedUrl,
        }
      : null,
    accountId,
  };
}
