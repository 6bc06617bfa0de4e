/**
 * Demo incidents (`npm run demo`): one open incident of each type, reported and handled through
 * the real use cases by the demo's people — a なりすまし of the city's X account reported by an
 * operator, received and its warning confirmed by the manager (so it is on /public/notices and
 * /public/verify answers "known impersonation"), the takedown requested), a 炎上 on
 * the tourism account with its rules and no public statement yet, a 情報漏えい on the health
 * channel with the manual step done, a デマ on the disaster account with a notice of the correct
 * information on the public pages, a 乗っ取り (labelled サンプル) of the tourism Instagram reported
 * by an operator and not yet published, and a complaint about a photo on the city's Facebook page.
 */
import { type AccountView, listAccounts } from "../../db/repos/accounts.ts";
import { listImpersonations, listSteps } from "../../db/repos/incidents.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { loadActor } from "../actors.ts";
import type { AppContext, StaffActor } from "../context.ts";
import { sampleBody, sampleTitle } from "../demo-sample.ts";
import { isPostable } from "../posts/posting.ts";
import { publishWarning, recordTakedown } from "./impersonation.ts";
import { publishNotice } from "./notices.ts";
import { reportIncident } from "./report.ts";
import { acknowledgeIncident } from "./respond.ts";
import { completeStep } from "./steps.ts";

async function person(ctx: AppContext, employeeNo: string): Promise<StaffActor | undefined> {
  const row = await findStaffByEmployeeNo(ctx.db, employeeNo);
  return row ? await loadActor(ctx.db, row.id, "cli") : undefined;
}

function ago(ctx: AppContext, minutes: number): string {
  return new Date(ctx.clock.now().getTime() - minutes * 60_000).toISOString();
}

async function step(ctx: AppContext, actor: StaffActor, incidentId: number, key: string, note: string) {
  const found = (await listSteps(ctx.db, incidentId)).find((s) => s.stepKey === key);
  if (found) await completeStep(ctx, { actor, incidentId, stepId: found.id, input: { note } });
}

/** Adds the demo incidents; skipped when the demo accounts or people are missing. */
export async function demoIncidents(ctx: AppContext): Promise<void> {
  const accounts = await listAccounts(ctx.db, { visibleDivisionIds: null });
  const account = (name: string, platform: string): AccountView | undefined =>
    accounts.find((a) => a.name === name && a.platform === platform && isPostable(a));
  const [
    kouhouOperator,
    kouhouOperator2,
    kouhouManager,
    kankouOperator,
    bousaiOperator,
    bousaiManager,
    kenkouOperator,
    kenkouManager,
  ] = await Promise.all(
    ["D0021", "D0020", "D0010", "D0024", "D0025", "D0019", "D0026", "D0017"].map((no) => person(ctx, no)),
  );

  const cityX = account("いわき市", "x");
  if (kouhouOperator && cityX) {
    const incident = await reportIncident(ctx, {
      actor: kouhouOperator,
      input: {
        type: "impersonation",
        title: "市の公式Xを装うアカウント",
        description:
          "市民の方から「市のアカウントから懸賞当選のDMが来た」と問い合わせがありました。公式アカウント「いわき市」とよく似た名前とアイコンのアカウントが、個人情報の入力を求めるリンクを送っています。",
        accountId: cityX.id,
        noticedAt: ago(ctx, 90),
        fakeUrl: "https://x.com/iwaki_city_jp",
        links: "https://x.com/iwaki_city_jp",
      },
    });
    if (kouhouManager) {
      await acknowledgeIncident(ctx, { actor: kouhouManager, incidentId: incident.id });
      const [fake] = await listImpersonations(ctx.db, incident.id);
      // 7.3.1: the manager confirms the warning the operator's report prepared, and it goes public.
      if (fake)
        await publishWarning(ctx, {
          actor: kouhouManager,
          incidentId: incident.id,
          impersonationId: fake.id,
        });
      if (fake)
        await recordTakedown(ctx, {
          actor: kouhouManager,
          incidentId: incident.id,
          impersonationId: fake.id,
          input: {
            requestedAt: ago(ctx, 30),
            reference: "X-IMP-20481",
            note: "なりすましの報告フォームから依頼しました。",
          },
        });
    }
  }

  const kankouX = account("いわき観光情報", "x");
  if (kankouOperator && kankouX) {
    await reportIncident(ctx, {
      actor: kankouOperator,
      input: {
        type: "flaming",
        title: "花火大会の有料席の告知に批判が殺到",
        description:
          "花火大会の有料観覧席の告知に「市民を締め出すのか」との批判の返信と引用が急増しています。一部に誤解もあるようです。",
        accountId: kankouX.id,
        severity: "high",
        noticedAt: ago(ctx, 40),
      },
    });
  }

  const kenkouYouTube = account("いわき市健康づくりチャンネル", "youtube");
  if (kenkouOperator && kenkouYouTube) {
    const incident = await reportIncident(ctx, {
      actor: kenkouOperator,
      input: {
        type: "leak",
        title: "健康教室の動画に参加者名簿が映り込んでいた",
        description:
          "健康教室を紹介する動画の冒頭で、受付の参加者名簿が判読できる大きさで映り込んでいるとの指摘がありました。",
        accountId: kenkouYouTube.id,
        severity: "critical",
        noticedAt: ago(ctx, 20),
      },
    });
    if (kenkouManager)
      await step(
        ctx,
        kenkouManager,
        incident.id,
        "manual",
        "情報流出事案対応マニュアルの初動手順を確認しました。",
      );
  }

  const bousaiX = account("いわき市防災", "x");
  if (bousaiOperator && bousaiX) {
    const incident = await reportIncident(ctx, {
      actor: bousaiOperator,
      input: {
        type: "misinformation",
        title: "ダム放流で浸水するというデマが返信で拡散",
        description: "大雨の情報の投稿への返信で、事実と異なる情報が繰り返し投稿・拡散されています。",
        accountId: bousaiX.id,
        noticedAt: ago(ctx, 180),
        claim: "今夜ダムが緊急放流され、平地区が全域で浸水する",
        claimWhere: "防災の公式アカウントの投稿への返信",
      },
    });
    if (bousaiManager)
      await publishNotice(ctx, {
        actor: bousaiManager,
        incidentId: incident.id,
        input: {
          title: sampleTitle("ダムの緊急放流による浸水の情報は事実ではありません"),
          text: sampleBody(
            "「今夜ダムが緊急放流され、平地区が全域で浸水する」という情報が広がっていますが、事実ではありません。避難情報は、市の防災メールと公式アカウント、市ホームページでお知らせします。",
          ),
          until: addDays(tokyoDate(ctx.clock.now()), 14),
        },
      });
  }

  // 乗っ取り (7.3(1)): reported by an operator, waiting for the manager — nothing public yet, so the
  // demo never shows 「不正アクセスを受けています」 on a real-looking account.
  const kankouInstagram = account("いわき観光", "instagram");
  if (kankouOperator && kankouInstagram) {
    await reportIncident(ctx, {
      actor: kankouOperator,
      input: {
        type: "hijack",
        title: "（サンプル）観光のInstagramに身に覚えのない投稿",
        description:
          "（サンプル）観光のInstagramに、担当者の誰も覚えのない投資の勧誘の投稿が2件あり、ログインもできなくなっています。",
        accountId: kankouInstagram.id,
        noticedAt: ago(ctx, 15),
        compromisedSince: ago(ctx, 50),
      },
    });
  }

  const cityFacebook = account("いわき市", "facebook");
  if (kouhouOperator2 && cityFacebook) {
    await reportIncident(ctx, {
      actor: kouhouOperator2,
      input: {
        type: "complaint",
        title: "イベント写真の掲載に苦情",
        description: "市民まつりの写真に写っている方から「掲載に同意していない」とのご連絡をいただきました。",
        accountId: cityFacebook.id,
        severity: "medium",
        noticedAt: ago(ctx, 300),
      },
    });
  }
}
