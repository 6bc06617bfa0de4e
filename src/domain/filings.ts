/**
 * 届出 to the directors, as the guideline requires them: the acquisition of an account to the
 * 情報統括管理者 after it is acquired (4.1.2 取得後), and a change or closure to the 総合政策部長
 * before it is announced and to the 情報統括管理者 after (4.5.1). A 届出 is sent, then the
 * director either confirms it or asks a question; a question goes back to the account manager,
 * who answers by sending the next round. Pure: what a filing is, who receives it, which step is
 * allowed, and its stored content read back safely.
 */
import type { Role } from "./roles.ts";

export const filingKinds = ["acquisition", "notice_policy", "notice_security"] as const;
export type FilingKind = (typeof filingKinds)[number];

export function isFilingKind(value: string): value is FilingKind {
  return (filingKinds as readonly string[]).includes(value);
}

/**
 * sent (届出済み、確認待ち) → confirmed (確認済み) | questioned (質問あり: back to the manager);
 * superseded when a later round replaced it before an answer, withdrawn when its notice was
 * cancelled.
 */
export const filingStatuses = ["sent", "confirmed", "questioned", "superseded", "withdrawn"] as const;
export type FilingStatus = (typeof filingStatuses)[number];

export function isFilingStatus(value: string): value is FilingStatus {
  return (filingStatuses as readonly string[]).includes(value);
}

export const filingStatusLabels: Record<FilingStatus, string> = {
  sent: "確認待ち",
  confirmed: "確認済み",
  questioned: "質問あり（回答待ち）",
  superseded: "再送により差し替え",
  withdrawn: "取下げ",
};

/** Who receives a filing, what it is called and which clause asks for it. */
export type FilingKindInfo = {
  recipient: Extract<Role, "security_director" | "policy_director">;
  /** The recipient's title as the guideline says it. */
  recipientLabel: string;
  /** The document's title (printable page, lists). */
  title: string;
  clause: string;
};

export const filingKindInfo: Record<FilingKind, FilingKindInfo> = {
  acquisition: {
    recipient: "security_director",
    recipientLabel: "情報統括管理者",
    title: "公式アカウント取得届",
    clause: "4.1.2",
  },
  notice_policy: {
    recipient: "policy_director",
    recipientLabel: "総合政策部長",
    title: "公式アカウント変更・廃止届（周知前）",
    clause: "4.5.1",
  },
  notice_security: {
    recipient: "security_director",
    recipientLabel: "情報統括管理者",
    title: "公式アカウント変更・廃止届（周知後）",
    clause: "4.5.1",
  },
};

/** The title of a filing about a change or a closure (「公式アカウント廃止届（周知前）」). */
export function filingTitle(kind: FilingKind, noticeKind?: "change" | "closure"): string {
  if (kind === "acquisition" || !noticeKind) return filingKindInfo[kind].title;
  const what = noticeKind === "change" ? "変更" : "廃止";
  return `公式アカウント${what}届（${kind === "notice_policy" ? "周知前" : "周知後"}）`;
}

export type FilingStep = "confirm" | "question";

/** Why a director cannot take `step` on a filing in `status` (Japanese), or null when they can. */
export function filingStepProblem(status: FilingStatus, step: FilingStep): string | null {
  if (status === "sent") return null;
  if (status === "confirmed") return "この届出はすでに確認済みです。";
  if (status === "questioned")
    return step === "confirm"
      ? "この届出には質問をしています。課等の長（アカウント管理者）の回答と再送を待ってください。"
      : "この届出にはすでに質問をしています。回答と再送を待ってください。";
  if (status === "superseded") return "この届出は再送された新しい届出に差し替えられています。";
  return "この届出は取り下げられています。";
}

/** Whether the manager may (re)send a filing whose latest round is in `status` (null: none yet). */
export function mayResend(latest: FilingStatus | null): boolean {
  return latest === null || latest === "questioned" || latest === "confirmed";
}

// ─── What an acquisition filing says (4.1.2) ─────────────────────────────────────────────────

/** One person named in a filing. */
export type FiledPerson = { staffId: number; name: string };

/** What the security director needs to know about an acquired account. */
export type AcquisitionContent = {
  platform: string;
  name: string;
  alias: string;
  handle: string;
  url: string;
  homepageUrl: string;
  platformCreatedOn: string;
  divisionName: string;
  managerName: string;
  loginEmail: string;
  loginPhone: string;
  loginOwner: string;
  holders: FiledPerson[];
  operators: FiledPerson[];
  mfaEnabled: boolean;
  twoFactorPlan: string;
  origin: "application" | "existing";
};

/** What a change or closure filing says (4.5.1). */
export type NoticeFilingContent = {
  noticeKind: "change" | "closure";
  accountName: string;
  platform: string;
  url: string;
  effectiveDate: string;
  announcementDate: string;
  reason: string;
  /** The new values of a change, as label → value lines. */
  changes: Array<{ label: string; value: string }>;
};

function str(value: unknown, key: string): string {
  const v: unknown = typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
  return typeof v === "string" ? v : "";
}

function people(value: unknown, key: string): FiledPerson[] {
  const v: unknown = typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
  if (!Array.isArray(v)) return [];
  return v.flatMap((p: unknown) => {
    const staffId: unknown = typeof p === "object" && p !== null ? Reflect.get(p, "staffId") : undefined;
    const name = str(p, "name");
    return typeof staffId === "number" && name ? [{ staffId, name }] : [];
  });
}

/** Reads a stored acquisition content back (missing parts become empty; legacy rows are empty). */
export function toAcquisitionContent(value: unknown): AcquisitionContent {
  const mfa: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "mfaEnabled") : false;
  return {
    platform: str(value, "platform"),
    name: str(value, "name"),
    alias: str(value, "alias"),
    handle: str(value, "handle"),
    url: str(value, "url"),
    homepageUrl: str(value, "homepageUrl"),
    platformCreatedOn: str(value, "platformCreatedOn"),
    divisionName: str(value, "divisionName"),
    managerName: str(value, "managerName"),
    loginEmail: str(value, "loginEmail"),
    loginPhone: str(value, "loginPhone"),
    loginOwner: str(value, "loginOwner"),
    holders: people(value, "holders"),
    operators: people(value, "operators"),
    mfaEnabled: mfa === true,
    twoFactorPlan: str(value, "twoFactorPlan"),
    origin: str(value, "origin") === "existing" ? "existing" : "application",
  };
}

/** Reads a stored change/closure content back. */
export function toNoticeFilingContent(value: unknown): NoticeFilingContent {
  const changes: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "changes") : [];
  return {
    noticeKind: str(value, "noticeKind") === "closure" ? "closure" : "change",
    accountName: str(value, "accountName"),
    platform: str(value, "platform"),
    url: str(value, "url"),
    effectiveDate: str(value, "effectiveDate"),
    announcementDate: str(value, "announcementDate"),
    reason: str(value, "reason"),
    changes: Array.isArray(changes)
      ? changes.flatMap((c: unknown) => {
          const label = str(c, "label");
          return label ? [{ label, value: str(c, "value") }] : [];
        })
      : [],
  };
}

/** Whether two acquisition contents differ in anything the director was told. */
export function acquisitionChanged(a: AcquisitionContent, b: AcquisitionContent): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/** Japanese reasons an acquisition filing cannot be sent (empty when it can). */
export function acquisitionProblems(content: AcquisitionContent): string[] {
  const problems: string[] = [];
  if (!content.url) problems.push("アカウントのURLを登録してください。");
  if (!content.loginEmail && !content.loginPhone)
    problems.push("ログインに使うメールアドレスまたは電話番号を入力してください（第4-3(3)）。");
  if (!content.loginOwner)
    problems.push("ログイン用のメールアドレス・電話番号の所有者（管理者）を入力してください（第4-3(3)）。");
  if (content.holders.length === 0)
    problems.push("ID・パスワードを扱う職員を定めてください（扱う者は必要最小限にします。第4-3(1)）。");
  return problems;
}
