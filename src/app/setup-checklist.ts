/**
 * The administrator's first-day checklist, computed from what is really in place: the
 * organisation and the staff imported, the posts and roles the guideline needs filled (総合政策部長
 * and 情報統括管理者 from posts, 4.1.2; the consultation desk, 10; an auditor, 9), the people who
 * hold them able to sign in, e-mail configured, and a first backup taken. Each item says why it
 * matters. Only the backup of an external PostgreSQL server cannot be seen from here: the
 * administrator records it by hand (one audit entry), and the item says so.
 */
import { lastBackup } from "../db/backup-log.ts";
import { searchEntries } from "../db/repos/audit.ts";
import { signInReadiness } from "../db/repos/auth.ts";
import type { Staff } from "../db/repos/staff.ts";
import * as staffRepo from "../db/repos/staff.ts";
import { formatDateTime } from "../domain/dates.ts";
import { hasOrganisation, SETUP_DEPARTMENT_CODE } from "../domain/org.ts";
import { type Role, roleLabels } from "../domain/roles.ts";
import { change } from "./audit/record.ts";
import { allowed, authorize } from "./authorize.ts";
import type { Actor, AppContext } from "./context.ts";
import { orgLists } from "./org/cache.ts";
import { holdersOfRoles, offices } from "./staff/role-grants.ts";
import { officeText } from "./staff/roles.ts";

/** One step of the checklist. */
export type SetupItem = {
  id: "org" | "staff" | Role | "invite" | "mail" | "backup";
  title: string;
  done: boolean;
  /** What is in place now, or what is missing (Japanese). */
  state: string;
  /** Why it matters, said plainly (Japanese, with the clause where the guideline says so). */
  why: string;
  /** Where to do it; absent when it is done outside the browser (a command, the environment). */
  link?: { href: string; text: string };
  /** A command to run on the server, when that is where it is done. */
  command?: string;
  /** True when the item can only be recorded by hand (the form to do so is shown). */
  manual?: boolean;
};

/** The audit action of a backup recorded by hand (external PostgreSQL only). */
export const BACKUP_RECORDED = "setup.backup_recorded";

/** The division whose head the guideline names as the consultation desk (10). */
const CONSULTATION_DIVISION = "ふるさと発信課";

const names = (people: Staff[]) => people.map((p) => `${p.name}さん`).join("、");

/** The first holder's page when someone holds the role, else where to go to give it. */
const holderLink = (holders: Staff[], otherwise: { href: string; text: string }) => {
  const first = holders[0];
  return first ? { href: `/staff/${first.id}`, text: `${first.name}さんの職員情報` } : otherwise;
};

async function orgItems(ctx: AppContext): Promise<SetupItem[]> {
  // The organisation's lists from memory (org/cache.ts: dropped by every committed change to it).
  const [{ departments, divisions }, staffCount] = await Promise.all([
    orgLists(ctx),
    staffRepo.countActiveStaffOutside(ctx.db, SETUP_DEPARTMENT_CODE),
  ]);
  const orgDone = hasOrganisation(departments);
  return [
    {
      id: "org",
      title: "組織（部・課・職）を取り込む",
      done: orgDone,
      state: orgDone
        ? `部${departments.filter((d) => d.code !== SETUP_DEPARTMENT_CODE).length}件・課${divisions.length}件が登録されています。`
        : "まだ組織が登録されていません（あるのは初期設定用の部だけです）。",
      why: "組織が登録されていないため、職員を取り込めず、部長・課長が担う役割（第4-1(2)・第4-1(4)）も決まりません。",
      link: { href: "/staff/import?kind=org", text: "組織のCSVを取り込む" },
    },
    {
      id: "staff",
      title: "職員を取り込む",
      done: staffCount > 0,
      state:
        staffCount > 0
          ? `在職中の職員${staffCount}人が登録されています。`
          : "登録されている職員は初期管理者だけです。",
      why: "職員が登録されていないため、アカウントの申請も、運用する職員を定めること（第4-1(3)）もできません。",
      link: { href: "/staff/import", text: "職員のCSVを取り込む" },
    },
  ];
}

/** 4.1.2: the two directors follow from posts; the item points at the post, not at a form. */
function directorItem(role: "policy_director" | "security_director", holders: Staff[]): SetupItem {
  const label = roleLabels[role];
  const office = role === "policy_director" ? offices().policyDirector : offices().securityDirector;
  const first = holders[0];
  return {
    id: role,
    title: `${label}を確かめる`,
    done: first !== undefined,
    state: first
      ? `${names(holders)}が担っています（${officeText(role)}の職）。`
      : `${officeText(role)}の職にある在職中の職員がいません。組織に「${office.division ?? office.department}」があるか、その長の職員の所属と職が正しいかを確かめてください。`,
    why:
      role === "policy_director"
        ? `${office.title}が決まっていないため、アカウントの申請を承認できません（第4-1(2)）。`
        : `${label}が決まっていないため、アカウントの取得や変更・廃止の届出（第4-1(2)・第4-5(1)）を受ける人がいません。`,
    link: holderLink(holders, { href: "/staff", text: "職員の所属と職を確かめる" }),
  };
}

async function consultationItem(ctx: AppContext, holders: Staff[]): Promise<SetupItem> {
  const first = holders[0];
  const division = (await orgLists(ctx)).divisions.find((d) => d.name === CONSULTATION_DIVISION);
  const head = division ? await staffRepo.findDivisionHead(ctx.db, division.id) : undefined;
  return {
    id: "consultation_desk",
    title: "協議先（ふるさと発信課長）を割り当てる",
    done: first !== undefined,
    state: first
      ? `${names(holders)}が担っています。`
      : `「${roleLabels.consultation_desk}」の役割を持つ職員がいません。${head ? `${head.name}さん（${CONSULTATION_DIVISION}の課長）` : "協議先となる職員"}の職員情報の画面で、役割を割り当ててください。`,
    why: "協議先が決まっていないため、ガイドラインに定めのない事項の相談（第10）を受ける人がいません。",
    link: holderLink(
      holders,
      head
        ? { href: `/staff/${head.id}`, text: `${head.name}さんに役割を割り当てる` }
        : { href: "/staff", text: "職員を探して役割を割り当てる" },
    ),
  };
}

async function auditorItem(ctx: AppContext, holders: Staff[]): Promise<SetupItem> {
  const proposed = (await staffRepo.assignmentsOfRole(ctx.db, "auditor")).filter(
    (r) => r.assignment.status === "proposed",
  );
  const first = holders[0];
  return {
    id: "auditor",
    title: "監査担当を決める",
    done: first !== undefined,
    state: first
      ? `${names(holders)}が担っています。`
      : proposed.length > 0
        ? `${names(proposed.map((p) => p.person))}を提案済みです。総合政策部長または情報統括管理者が承認すると有効になります（第9）。`
        : "監査担当がいません。システム管理者以外の職員を、その職員情報の画面で提案してください。総合政策部長または情報統括管理者が承認すると有効になります（第9）。",
    why: "監査担当がいないため、違反の記録と監査ログを、システム管理者とは別の人が確かめられません（第9）。",
    link: holderLink(holders, { href: "/staff", text: "職員を探して監査担当を提案する" }),
  };
}

/** The people who must sign in first: those who approve (4.1.2), are notified, consulted or audit. */
async function inviteItem(ctx: AppContext, actor: Actor, people: Staff[]): Promise<SetupItem> {
  const others = [...new Map(people.map((p) => [p.id, p])).values()].filter(
    (p) => actor.kind !== "staff" || p.id !== actor.staffId,
  );
  const ready = await signInReadiness(
    ctx.db,
    others.map((p) => p.id),
    ctx.clock.now(),
  );
  const waiting = others.filter((p) => !ready.withPassword.has(p.id) && !ready.withLink.has(p.id));
  const first = waiting[0];
  const why =
    "部長と総合政策部長がログインできないと、アカウントの申請を承認できません（第4-1(2)）。役割を担う職員から順に、パスワード設定用リンクを渡してください。";
  if (others.length === 0) {
    return {
      id: "invite",
      title: "役割を担う職員にパスワード設定用リンクを渡す",
      done: false,
      state:
        "部長や総合政策部長などの役割を担う職員が、まだ決まっていません。上の項目を先に済ませてください。",
      why,
      link: { href: "/staff", text: "職員の一覧" },
    };
  }
  const shown = waiting.slice(0, 5);
  return {
    id: "invite",
    title: "役割を担う職員にパスワード設定用リンクを渡す",
    done: first === undefined,
    state: first
      ? `まだリンクを渡していない職員が${waiting.length}人います（${names(shown)}${waiting.length > shown.length ? "ほか" : ""}）。`
      : `役割を担う職員${others.length}人のうち、${ready.withPassword.size}人がパスワードを設定済みで、残りの人にはまだ使えるリンクを発行済みです。`,
    why,
    link: first
      ? { href: `/staff/${first.id}`, text: `${first.name}さんのリンクを発行する` }
      : { href: "/staff", text: "職員の一覧" },
  };
}

function mailItem(ctx: AppContext): SetupItem {
  const smtp = ctx.config.smtp;
  return {
    id: "mail",
    title: "メールの送信を設定する",
    done: smtp !== undefined,
    state: smtp
      ? `メールサーバー ${smtp.host}:${smtp.port} から「${smtp.from}」として送ります。`
      : "メールサーバーが設定されていません。サーバーの環境変数 SNSGOV_SMTP_HOST と SNSGOV_SMTP_FROM を設定して、snsgov を起動し直してください。",
    why: "メールが設定されていないため、承認の依頼や期限の知らせは画面の「通知」にしか届かず、パスワード設定用リンクも手で渡す必要があります。",
    link: { href: "/admin/settings", text: "起動時の設定を見る" },
  };
}

async function backupItem(ctx: AppContext): Promise<SetupItem> {
  const why =
    "バックアップがないと、機器の故障や誤った操作で、申請・承認・監査ログなどの記録（公文書）を失うおそれがあります。";
  if (!ctx.config.databaseUrl) {
    const last = await lastBackup(ctx.config.dataDir);
    return {
      id: "backup",
      title: "最初のバックアップを取る",
      done: last !== undefined,
      state: last
        ? `${formatDateTime(new Date(last.at))}に ${last.file} へ取りました（snsgov db backup の記録による）。`
        : "snsgov db backup で取ったバックアップの記録がありません。サーバーを止めてから、次のコマンドを実行してください。",
      why,
      ...(last ? {} : { command: "snsgov db backup ファイル名.tar.gz" }),
    };
  }
  const [recorded] = await searchEntries(ctx.db, { action: BACKUP_RECORDED }, { limit: 1 });
  return {
    id: "backup",
    title: "最初のバックアップを取る",
    done: recorded !== undefined,
    state: recorded
      ? `${formatDateTime(new Date(recorded.at))}に${recorded.actorLabel}さんが、バックアップを取ったことを記録しました（手での記録です）。`
      : "外部の PostgreSQL サーバーのバックアップ（pg_dump など）は、このシステムからは確かめられません。バックアップを取り、戻せることを確かめたら、下のボタンで記録してください。",
    why,
    manual: recorded === undefined,
  };
}

/**
 * The checklist for a system administrator, or null for anyone else and once every item is done.
 * @param props.actor the person looking at the dashboard
 */
export async function setupChecklist(ctx: AppContext, props: { actor: Actor }): Promise<SetupItem[] | null> {
  if (props.actor.kind !== "staff" || !allowed(props.actor, "settings.manage")) return null;
  const [policy = [], security = [], consultation = [], auditors = [], heads = []] = await holdersOfRoles(
    ctx.db,
    ["policy_director", "security_director", "consultation_desk", "auditor", "department_head"],
    ctx.clock.now(),
  );
  const items: SetupItem[] = [
    ...(await orgItems(ctx)),
    directorItem("policy_director", policy),
    directorItem("security_director", security),
    await consultationItem(ctx, consultation),
    await auditorItem(ctx, auditors),
    await inviteItem(ctx, props.actor, [...policy, ...security, ...heads, ...consultation, ...auditors]),
    mailItem(ctx),
    await backupItem(ctx),
  ];
  return items.every((i) => i.done) ? null : items;
}

/**
 * Records by hand that a backup of the external PostgreSQL server was taken and can be restored
 * (the system cannot see pg_dump): one audit entry, which the checklist reads.
 * @param props.actor must be allowed `settings.manage`
 */
export async function recordBackupByHand(ctx: AppContext, props: { actor: Actor }): Promise<void> {
  await authorize(ctx, props.actor, "settings.manage");
  await change(ctx, props.actor, BACKUP_RECORDED, async () => ({
    result: undefined,
    target: { type: "database" },
    summary: { recordedBy: "hand", reason: "external PostgreSQL: the backup is taken outside snsgov" },
  }));
}
