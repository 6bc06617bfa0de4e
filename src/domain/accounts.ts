/**
 * An official account's life as a state machine (4.1–4.5), and the checks that gate each step.
 * Pure: the use cases ask here whether a step is allowed and what it leads to.
 */

export const accountStatuses = [
  "draft",
  "pending_department_head",
  "pending_policy_director",
  "returned",
  "rejected",
  "existing_pending",
  "approved",
  "active",
  "change_announced",
  "closure_announced",
  "closed",
] as const;

export type AccountStatus = (typeof accountStatuses)[number];

export function isAccountStatus(value: string): value is AccountStatus {
  return (accountStatuses as readonly string[]).includes(value);
}

/** Status names as the registry shows them. */
export const accountStatusLabels: Record<AccountStatus, string> = {
  draft: "起案中",
  pending_department_head: "申請中（部等の長（情報管理者）の許可待ち）",
  pending_policy_director: "申請中（総合政策部長の許可待ち）",
  returned: "差戻し",
  rejected: "却下",
  existing_pending: "既存アカウント（総合政策部長の確認待ち）",
  approved: "承認済",
  active: "運用中",
  change_announced: "変更予告中",
  closure_announced: "廃止予告中",
  closed: "廃止",
};

/** The short status the registry filter uses (申請中 covers both approval steps). */
export function statusGroup(status: AccountStatus): string {
  if (status === "pending_department_head" || status === "pending_policy_director") return "申請中";
  return accountStatusLabels[status];
}

/** Accounts the public pages list as official (4.4.2). */
export const publicStatuses: readonly AccountStatus[] = ["active", "change_announced", "closure_announced"];

export const accountSteps = [
  "submit",
  "approve_department",
  "approve_policy",
  "return",
  "reject",
  "edit",
  "register",
  "activate",
  "announce_change",
  "announce_closure",
  "change_effective",
  "close",
  "cancel_notice",
  "confirm_existing",
  "reject_existing",
] as const;

export type AccountStep = (typeof accountSteps)[number];

/** Which step leads from which status to which (every other pair is refused). */
const transitions: Record<AccountStep, Partial<Record<AccountStatus, AccountStatus>>> = {
  submit: { draft: "pending_department_head", returned: "pending_department_head" },
  approve_department: { pending_department_head: "pending_policy_director" },
  approve_policy: { pending_policy_director: "approved" },
  return: { pending_department_head: "returned", pending_policy_director: "returned" },
  reject: { pending_department_head: "rejected", pending_policy_director: "rejected" },
  edit: { draft: "draft", returned: "returned" },
  register: { approved: "approved", active: "active" },
  activate: { approved: "active" },
  announce_change: { active: "change_announced" },
  announce_closure: { active: "closure_announced", change_announced: "closure_announced" },
  change_effective: { change_announced: "active" },
  close: { closure_announced: "closed" },
  cancel_notice: { change_announced: "active", closure_announced: "active" },
  // 既存アカウントとして登録: confirmed by the policy director, it continues as an approved account.
  confirm_existing: { existing_pending: "approved" },
  reject_existing: { existing_pending: "rejected" },
};

/** The status after `step`, or null when the step is not allowed from `status`. */
export function nextStatus(status: AccountStatus, step: AccountStep): AccountStatus | null {
  return transitions[step][status] ?? null;
}

/** Every (status, step) pair and its outcome, for tests and documentation. */
export function transitionTable(): Array<{
  from: AccountStatus;
  step: AccountStep;
  to: AccountStatus | null;
}> {
  const out: Array<{ from: AccountStatus; step: AccountStep; to: AccountStatus | null }> = [];
  for (const step of accountSteps) {
    for (const from of accountStatuses) out.push({ from, step, to: nextStatus(from, step) });
  }
  return out;
}

/** What an application must name before it can be submitted (4.1.2, 4.1.3, 4.3.1, 4.3.3). */
export type ApplicationContent = {
  platform: string;
  name: string;
  purpose: string;
  managerId: number | null;
  operatorIds: readonly number[];
  holderIds: readonly number[];
  plannedStartOn: string | null;
  policyDraft: string;
  termsConfirmed: boolean;
  loginOwner: string;
  twoFactorPlan: string;
  cost: string;
};

/** Japanese reasons an application cannot be submitted yet (empty when it can). */
export function applicationProblems(app: ApplicationContent): string[] {
  const problems: string[] = [];
  if (!app.platform) problems.push("利用するソーシャルメディアを選んでください。");
  if (!app.name.trim()) problems.push("アカウント名（案）を入力してください。");
  if (!app.purpose.trim()) problems.push("利用目的を入力してください。");
  if (!app.plannedStartOn) problems.push("運用開始の予定日を入力してください。");
  if (!app.policyDraft.trim()) problems.push("メディアポリシー（案）を入力してください（第4-2(1)）。");
  if (!app.termsConfirmed)
    problems.push("利用するソーシャルメディアの利用規約を確認し、確認したことにチェックしてください。");
  if (!app.loginOwner.trim())
    problems.push("ログインに使うメールアドレス・電話番号の所有者を入力してください（第4-3(3)）。");
  if (!app.twoFactorPlan.trim()) problems.push("二段階認証の設定方法を入力してください（第4-3(3)）。");
  if (!app.cost.trim()) problems.push("費用を入力してください（無料の場合は「無料」）。");
  if (app.managerId === null) problems.push("アカウント管理者を定めてください（第4-1(3)）。");
  if (app.operatorIds.length === 0) problems.push("運用に携わる職員を1人以上定めてください（第4-1(3)）。");
  if (app.holderIds.length === 0)
    problems.push("ID・パスワードを扱う職員を定めてください（扱う者は必要最小限にします。第4-3(1)）。");
  return problems;
}

/** The required items of a media policy (4.2.1 ①–④ and 4.2.2). */
export type PolicyContent = {
  purpose: string;
  platformDescription: string;
  content: string;
  staffInCharge: string;
  frequency: string;
  timing: string;
  method: string;
  commentHandling: string;
  replyPolicy: string;
  replyText: string;
};

export const policyFields = [
  "purpose",
  "platformDescription",
  "content",
  "staffInCharge",
  "frequency",
  "timing",
  "method",
  "commentHandling",
  "replyPolicy",
  "replyText",
] as const satisfies ReadonlyArray<keyof PolicyContent>;

export const policyFieldLabels: Record<keyof PolicyContent, string> = {
  purpose: "① 情報発信を行う目的",
  platformDescription: "② 利用するソーシャルメディアの種類",
  content: "③ 発信する情報の内容",
  staffInCharge: "④ 利用方法：担当者",
  frequency: "④ 利用方法：発信頻度",
  timing: "④ 利用方法：発信時期",
  method: "④ 利用方法：発信方法",
  commentHandling: "④ 利用方法：意見や質問への対応方法",
  replyPolicy: "返信の可否（第4-2(2)）",
  replyText: "返信についての説明（第4-2(2)）",
};

export const replyPolicyLabels: Record<string, string> = {
  reply: "返信する",
  no_reply: "返信しない",
  case_by_case: "個別に判断する",
};

/** The required items of a media policy that are still empty (4.2.1, 4.2.2). */
export function missingPolicyItems(policy: PolicyContent): Array<(typeof policyFields)[number]> {
  return policyFields.filter((key) => {
    if (key === "replyPolicy") return !(policy.replyPolicy in replyPolicyLabels);
    return policy[key].trim() === "";
  });
}
