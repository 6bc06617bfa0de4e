/**
 * Demo accounts (`npm run demo`): a living registry of about fifteen accounts across platforms in
 * every status — running accounts with approved media policies, one application waiting at each
 * approval step, one returned, one drafted, one rejected, one approved and registered whose 届出
 * the security director has asked about (届出未確認), one account that existed before the system
 * (既存アカウントとして登録, confirmed by the policy director), and one account closed two months
 * ago. Everything goes through the real use cases as the real people would do it — 起案 with
 * what the city decides on, the two approvals, registration with the 届出 to the security
 * director and its confirmation — so the history and the audit log read like a city's; only the
 * closed account's past is written in one audited step. Texts that look official are marked
 * サンプル.
 */

import { insertEvent, listAccounts, updateAccount } from "../../db/repos/accounts.ts";
import { latestFiling } from "../../db/repos/filings.ts";
import { insertNotice, updateNotice } from "../../db/repos/notices.ts";
import { findDivisionByCode } from "../../db/repos/org.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { displayUntil } from "../../domain/deadlines.ts";
import type { Platform } from "../../guideline/pack.ts";
import { guidelinePack } from "../../guideline/pack.ts";
import { loadActor } from "../actors.ts";
import { change } from "../audit/record.ts";
import { type AppContext, type StaffActor, systemActor } from "../context.ts";
import { recordDocument } from "../documents/record.ts";
import { questionFiling } from "../filings/decide.ts";
import { approveSamplePolicy } from "../policies/demo.ts";
import { accountProfile, checkCurrentProfile } from "../policies/profile.ts";
import {
  confirmSecurityNotice,
  decideApplication,
  draftApplication,
  submitApplication,
} from "./application.ts";
import { decideExistingAccount, recordExistingAccount } from "./existing.ts";
import { activateAccount, registerAccount } from "./registration.ts";

type Stage =
  | "draft"
  | "pending_department_head"
  | "pending_policy_director"
  | "returned"
  | "rejected"
  | "approved"
  | "active"
  | "existing"
  | "closed";

type DemoAccount = {
  division: string;
  applicant: string;
  platform: Platform;
  name: string;
  alias?: string;
  handle: string;
  url: string;
  purpose: string;
  page: string;
  operators: string[];
  holders: string[];
  stage: Stage;
  character?: boolean;
  comment?: string;
};

const city = "https://www.city.iwaki.lg.jp/www/sns";

const demoAccountSpecs: DemoAccount[] = [
  {
    division: "kouhou",
    applicant: "D0020",
    platform: "x",
    name: "いわき市",
    alias: "いわき市広報",
    handle: "iwaki_city",
    url: "https://x.com/iwaki_city",
    purpose: "市政情報、イベント、災害時の緊急情報を迅速にお届けするため",
    page: `${city}/koho-x.html`,
    operators: ["D0020", "D0021"],
    holders: ["D0020"],
    stage: "active",
  },
  {
    division: "kouhou",
    applicant: "D0020",
    platform: "facebook",
    name: "いわき市",
    handle: "iwakicity",
    url: "https://www.facebook.com/iwakicity",
    purpose: "市政情報やイベントの様子を写真とともにお伝えするため",
    page: `${city}/koho-fb.html`,
    operators: ["D0020", "D0021"],
    holders: ["D0020"],
    stage: "active",
  },
  {
    division: "kankou",
    applicant: "D0028",
    platform: "youtube",
    name: "いわき観光チャンネル",
    handle: "@iwaki_kanko_tv",
    url: "https://www.youtube.com/@iwaki_kanko_tv",
    purpose: "観光地の魅力を動画で紹介するため（このシステムの導入前から運用）",
    page: `${city}/kanko-yt.html`,
    operators: ["D0023"],
    holders: ["D0023"],
    stage: "existing",
  },
  {
    division: "kouhou",
    applicant: "D0021",
    platform: "line",
    name: "いわき市",
    alias: "いわき市LINE",
    handle: "@iwakicity",
    url: "https://page.line.me/iwakicity",
    purpose: "ごみの収集日や防災情報を、登録した市民の皆さまに直接お届けするため",
    page: `${city}/koho-line.html`,
    operators: ["D0021"],
    holders: ["D0021"],
    stage: "active",
  },
  {
    division: "kankou",
    applicant: "D0023",
    platform: "instagram",
    name: "いわき観光",
    alias: "いわき観光まちづくり",
    handle: "iwaki_kanko",
    url: "https://www.instagram.com/iwaki_kanko/",
    purpose: "いわきの観光地や季節の魅力を写真で発信し、来訪を促すため",
    page: `${city}/kanko-ig.html`,
    operators: ["D0023", "D0024"],
    holders: ["D0023"],
    stage: "active",
  },
  {
    division: "kankou",
    applicant: "D0024",
    platform: "x",
    name: "いわき観光情報",
    handle: "iwaki_kankou",
    url: "https://x.com/iwaki_kankou",
    purpose: "観光イベントの開催情報を発信するため",
    page: `${city}/kanko-x.html`,
    operators: ["D0023", "D0024"],
    holders: ["D0024"],
    stage: "active",
  },
  {
    division: "bousai",
    applicant: "D0025",
    platform: "x",
    name: "いわき市防災",
    handle: "iwaki_bousai",
    url: "https://x.com/iwaki_bousai",
    purpose: "災害・気象情報と避難所の開設状況をいち早くお届けするため",
    page: `${city}/bousai-x.html`,
    operators: ["D0025"],
    holders: ["D0025"],
    stage: "active",
  },
  {
    division: "bousai",
    applicant: "D0025",
    platform: "line",
    name: "いわき市防災LINE",
    handle: "@iwaki_bousai",
    url: "https://page.line.me/iwaki_bousai",
    purpose: "防災情報を登録者へ直接お届けするため",
    page: `${city}/bousai-line.html`,
    operators: ["D0025"],
    holders: ["D0025"],
    stage: "active",
  },
  {
    division: "kenkou",
    applicant: "D0026",
    platform: "youtube",
    name: "いわき市健康づくりチャンネル",
    handle: "@iwaki_kenko",
    url: "https://www.youtube.com/@iwaki_kenko",
    purpose: "健康体操や健診の案内を動画でわかりやすくお伝えするため",
    page: `${city}/kenko-yt.html`,
    operators: ["D0026"],
    holders: ["D0026"],
    stage: "active",
  },
  {
    division: "kankyou",
    applicant: "D0032",
    platform: "instagram",
    name: "いわきエコライフ",
    handle: "iwaki_eco",
    url: "https://www.instagram.com/iwaki_eco/",
    purpose: "ごみの減量やリサイクルの取り組みを紹介するため",
    page: `${city}/kankyou-ig.html`,
    operators: ["D0032"],
    holders: ["D0032"],
    stage: "active",
  },
  {
    division: "shiminka",
    applicant: "D0027",
    platform: "x",
    name: "いわき市市民課",
    handle: "iwaki_shimin",
    url: "https://x.com/iwaki_shimin",
    purpose: "窓口の混雑状況や手続きの案内をお伝えするため",
    page: `${city}/shimin-x.html`,
    operators: ["D0027"],
    holders: ["D0027"],
    stage: "closed",
  },
  {
    division: "furusato",
    applicant: "D0022",
    platform: "note",
    name: "いわき発信",
    handle: "iwaki_hassin",
    url: "https://note.com/iwaki_hassin",
    purpose: "いわきで暮らす人の物語を長い記事で伝えるため",
    page: `${city}/furusato-note.html`,
    operators: ["D0022"],
    holders: ["D0022"],
    stage: "pending_department_head",
  },
  {
    division: "kankyou",
    applicant: "D0032",
    platform: "tiktok",
    name: "いわきエコ動画",
    handle: "@iwaki_eco",
    url: "https://www.tiktok.com/@iwaki_eco",
    purpose: "若い世代に分別の方法を短い動画で伝えるため",
    page: `${city}/kankyou-tt.html`,
    operators: ["D0032"],
    holders: ["D0032"],
    stage: "pending_policy_director",
  },
  {
    division: "furusato",
    applicant: "D0022",
    platform: "threads",
    name: "いわきふるさと便り",
    handle: "@iwaki_furusato",
    url: "https://www.threads.net/@iwaki_furusato",
    purpose: "ふるさと納税の返礼品を紹介するため",
    page: `${city}/furusato-threads.html`,
    operators: ["D0022"],
    holders: ["D0022"],
    stage: "returned",
    comment: "返礼品の紹介だけでなく、寄附の使い道も発信する計画を書き加えてください。",
  },
  {
    division: "seisaku-kikaku",
    applicant: "D0031",
    platform: "bluesky",
    name: "いわき市政策企画",
    handle: "seisaku.iwaki.example.jp",
    url: "https://bsky.app/profile/seisaku.iwaki.example.jp",
    purpose: "総合計画の進み具合をお知らせするため",
    page: `${city}/kikaku-bsky.html`,
    operators: ["D0031"],
    holders: ["D0031"],
    stage: "draft",
  },
  {
    division: "kenkou",
    applicant: "D0033",
    platform: "instagram",
    name: "いわき市健康づくり",
    handle: "iwaki_kenko",
    url: "https://www.instagram.com/iwaki_kenko/",
    purpose: "健康レシピを写真で紹介するため",
    page: `${city}/kenko-ig.html`,
    operators: ["D0026", "D0033"],
    holders: ["D0033"],
    stage: "approved",
  },
  {
    division: "shiminka",
    applicant: "D0027",
    platform: "facebook",
    name: "いわき市市民課窓口",
    handle: "iwakishimin",
    url: "https://www.facebook.com/iwakishimin",
    purpose: "窓口の案内をするため",
    page: `${city}/shimin-fb.html`,
    operators: ["D0027"],
    holders: ["D0027"],
    stage: "rejected",
    comment: "市民課の情報は市公式のX・LINEで足ります。新たなアカウントは不要です。",
  },
];

async function person(ctx: AppContext, employeeNo: string): Promise<StaffActor> {
  const row = await findStaffByEmployeeNo(ctx.db, employeeNo);
  const actor = row ? await loadActor(ctx.db, row.id, "cli") : undefined;
  if (!actor) throw new Error(`demo person ${employeeNo} missing`);
  return actor;
}

async function idOf(ctx: AppContext, employeeNo: string): Promise<number> {
  return (await person(ctx, employeeNo)).staffId;
}

const departmentHeadOf: Record<string, string> = {
  kouhou: "D0001",
  furusato: "D0001",
  "seisaku-kikaku": "D0001",
  kankou: "D0005",
  bousai: "D0006",
  kenkou: "D0004",
  kankyou: "D0003",
  shiminka: "D0003",
};

const order: Stage[] = ["draft", "pending_department_head", "pending_policy_director", "approved", "active"];
const reaches = (stage: Stage, step: Stage) => {
  const target =
    stage === "closed"
      ? "active"
      : stage === "returned" || stage === "rejected"
        ? "pending_department_head"
        : stage;
  return order.indexOf(target) >= order.indexOf(step);
};

/** The login facts a division records (サンプル addresses on a reserved example domain). */
function loginOf(spec: DemoAccount, divisionName: string) {
  return {
    loginEmail: `${spec.division}-sns@city.iwaki.example.jp`,
    loginPhone: "",
    loginOwner: `${divisionName}の共用メールアドレス（課長が管理）`,
    twoFactorPlan:
      spec.platform === "line"
        ? "LINEビジネスIDのSMS認証（課の業務用携帯電話）"
        : "認証アプリ（課の共用端末）",
  };
}

/** An account that existed before the system: recorded by the administrator, confirmed by the policy director. */
async function seedExisting(ctx: AppContext, spec: DemoAccount, divisionId: number, divisionName: string) {
  const today = tokyoDate(ctx.clock.now());
  const operatorIds = await Promise.all(spec.operators.map((no) => idOf(ctx, no)));
  const holderIds = await Promise.all(spec.holders.map((no) => idOf(ctx, no)));
  const account = await recordExistingAccount(ctx, {
    actor: await person(ctx, spec.applicant),
    input: {
      divisionId,
      platform: spec.platform,
      name: spec.name,
      url: spec.url,
      platformCreatedOn: addDays(today, -1500),
      purpose: spec.purpose,
      homepageUrl: spec.page,
      operatorIds,
      holderIds,
      ...loginOf(spec, divisionName),
      mfaEnabled: true,
      documentNumber: "いわ観第512号（サンプル）",
      draftedOn: addDays(today, -1530),
      departmentApprovedOn: addDays(today, -1525),
      policyApprovedOn: addDays(today, -1520),
      securityFiledOn: addDays(today, -1510),
      note: "サンプル: 紙の起案の写しは観光振興課で保管",
    },
  });
  await decideExistingAccount(ctx, {
    actor: await person(ctx, "D0001"),
    id: account.id,
    input: { decision: "confirm", comment: "元の起案の写しと照合しました（サンプル）。" },
  });
  return account;
}

/** A media-policy draft for the 起案, marked as a sample. */
function policyDraftOf(spec: DemoAccount): string {
  return [
    "（サンプル）",
    `① 目的: ${spec.purpose}`,
    "② 種類: 申請するソーシャルメディア",
    "③ 内容: 所管課の事業・イベント・お知らせ",
    "④ 利用方法: 運用に携わる職員が作成し、アカウント管理者の許可を得て発信。週1回程度、開庁日の日中。",
    "返信: 原則として個別の返信は行いません。",
  ].join("\n");
}

async function seedOne(ctx: AppContext, spec: DemoAccount): Promise<void> {
  const division = await findDivisionByCode(ctx.db, spec.division);
  if (!division) throw new Error(`demo division ${spec.division} missing`);
  if (spec.stage === "existing") {
    const account = await seedExisting(ctx, spec, division.id, division.name);
    await startOperating(ctx, account.id, account.managerId, spec, { confirm: true });
    return;
  }
  const applicant = await person(ctx, spec.applicant);
  const operatorIds = await Promise.all(spec.operators.map((no) => idOf(ctx, no)));
  const holderIds = await Promise.all(spec.holders.map((no) => idOf(ctx, no)));
  const login = loginOf(spec, division.name);
  const account = await draftApplication(ctx, {
    actor: applicant,
    input: {
      divisionId: division.id,
      platform: spec.platform,
      name: spec.name,
      alias: spec.alias ?? "",
      handle: spec.handle,
      purpose: spec.purpose,
      homepageUrl: spec.page,
      isCharacter: spec.character ?? false,
      operatorIds,
      holderIds,
      plannedStartOn: addDays(tokyoDate(ctx.clock.now()), 30),
      policyDraft: policyDraftOf(spec),
      termsConfirmed: true,
      loginOwner: login.loginOwner,
      twoFactorPlan: login.twoFactorPlan,
      cost: "無料",
      consultedDivisions: "広報広聴課、情報政策課",
    },
  });
  if (spec.stage === "draft") return;
  await submitApplication(ctx, { actor: applicant, id: account.id });
  const head = await person(ctx, departmentHeadOf[spec.division] ?? "D0001");
  if (spec.stage === "returned" || spec.stage === "rejected") {
    const decision = spec.stage === "returned" ? "return" : "reject";
    await decideApplication(ctx, {
      actor: head,
      id: account.id,
      decision,
      comment: spec.comment,
      expected: "pending_department_head",
    });
    return;
  }
  if (!reaches(spec.stage, "pending_policy_director")) return;
  await decideApplication(ctx, {
    actor: head,
    id: account.id,
    decision: "approve",
    expected: "pending_department_head",
  });
  if (!reaches(spec.stage, "approved")) return;
  const director = await person(ctx, "D0001");
  await decideApplication(ctx, {
    actor: director,
    id: account.id,
    decision: "approve",
    expected: "pending_policy_director",
  });
  await startOperating(ctx, account.id, account.managerId, spec, {
    confirm: spec.stage !== "approved",
    register: true,
  });
  if (spec.stage === "approved") return;
  if (spec.stage === "closed" && account.managerId !== null)
    await closeInThePast(ctx, account.id, account.managerId);
}

/**
 * Registers the acquired account (sending the 届出 to the security director, 4.1.2 取得後), has
 * the security director confirm it — or, for the approved-stage demo, ask about it — and starts
 * operating it with an approved media policy.
 */
async function startOperating(
  ctx: AppContext,
  accountId: number,
  managerId: number | null,
  spec: DemoAccount,
  steps: { confirm: boolean; register?: boolean },
): Promise<void> {
  if (managerId === null) throw new Error(`demo account ${spec.name} has no manager`);
  const manager = await loadActor(ctx.db, managerId, "cli");
  if (!manager) throw new Error("demo manager missing");
  const security = await person(ctx, "D0002");
  if (steps.register) {
    const division = await findDivisionByCode(ctx.db, spec.division);
    const login = loginOf(spec, division?.name ?? "");
    await registerAccount(ctx, {
      actor: manager,
      id: accountId,
      input: {
        url: spec.url,
        platformCreatedOn: addDays(tokyoDate(ctx.clock.now()), -400),
        mfaEnabled: spec.platform !== "line",
        homepageUrl: spec.page,
        loginEmail: login.loginEmail,
        loginOwner: login.loginOwner,
        twoFactorPlan: login.twoFactorPlan,
      },
    });
  }
  if (!steps.confirm) {
    const filing = await latestFiling(ctx.db, { accountId, kind: "acquisition", noticeId: null });
    if (filing)
      await questionFiling(ctx, {
        actor: security,
        filingId: filing.id,
        input: {
          question:
            "ログイン用メールアドレスを管理する職員が異動したときの引継ぎ方法を教えてください。（サンプル）",
        },
      });
    return;
  }
  await confirmSecurityNotice(ctx, { actor: security, id: accountId });
  if (spec.handle === "iwaki_city") {
    await recordDocument(ctx, {
      actor: manager,
      subject: { type: "application", id: accountId },
      input: {
        documentNumber: "いわ広第1024号（サンプル）",
        decidedOn: addDays(tokyoDate(ctx.clock.now()), -1),
      },
    });
  }
  await approveSamplePolicy(ctx, manager, accountId);
  await activateAccount(ctx, { actor: manager, id: accountId });
  // Most divisions have pasted their profile as generated (4.4.3); one has not yet.
  if (spec.handle !== "iwaki_eco") {
    const profile = await accountProfile(ctx, { actor: manager, accountId });
    await checkCurrentProfile(ctx, {
      actor: manager,
      accountId,
      input: { text: profile.generated.text },
    });
  }
}

/**
 * The closed account: announced three months ago, closed two months ago, its notice still on
 * the public pages for the rest of its six months (4.5.2). Written as one audited step because
 * the use cases rightly refuse dates in the past.
 */
async function closeInThePast(ctx: AppContext, accountId: number, managerId: number): Promise<void> {
  const today = tokyoDate(ctx.clock.now());
  const announced = addDays(today, -92);
  const effective = addDays(today, -60);
  await change(ctx, systemActor("demo"), "notice.demo_history", async (tx, at) => {
    const notice = await insertNotice(tx, {
      accountId,
      kind: "closure",
      details: {},
      reason: "窓口の案内は市公式アカウントに一本化するため",
      effectiveDate: effective,
      requestedBy: managerId,
      requestedAt: new Date(`${addDays(announced, -10)}T10:00:00+09:00`),
    });
    await updateNotice(tx, notice.id, {
      status: "effective",
      policyDirectorNotifiedAt: new Date(`${addDays(announced, -7)}T10:00:00+09:00`),
      policyDirectorNotifiedBy: managerId,
      announcementDate: announced,
      announcedAt: new Date(`${announced}T09:00:00+09:00`),
      effectiveAt: new Date(`${effective}T00:05:00+09:00`),
      displayUntil: displayUntil(effective, guidelinePack().deadlines.closureDisplayMonths),
      announcementText:
        "【お知らせ】いわき市市民課のXアカウントは運用を終了しました。今後は市公式アカウントをご覧ください。",
    });
    await updateAccount(tx, accountId, { status: "closed", closedOn: effective }, at);
    await insertEvent(tx, {
      accountId,
      kind: "closed",
      actorId: null,
      comment: `${effective}に廃止（周知開始 ${announced}）`,
      at,
    });
    return {
      result: undefined,
      target: { type: "account", id: accountId },
      summary: { reason: "デモ用: 過去に廃止したアカウントの経過", announced, effective },
    };
  });
}

/** Adds the demo accounts once (nothing when accounts exist already). */
export async function demoAccounts(ctx: AppContext): Promise<void> {
  if ((await listAccounts(ctx.db, { visibleDivisionIds: null })).length > 0) return;
  for (const spec of demoAccountSpecs) await seedOne(ctx, spec);
}
