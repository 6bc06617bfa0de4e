/**
 * Demo consultations (`npm run demo`): questions the guideline does not answer, asked by
 * operators and managers and answered by the consultation desk (ふるさと発信課長, 10) — three
 * resolved, one answered and waiting for the person who asked, one still open on the desk's
 * dashboard — so the knowledge base has something to search. Each is an invented sample and
 * says so (「サンプル」 in its title and at the top of its question and answer).
 */
import { insertConsultation, updateConsultation } from "../../db/repos/consultations.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { change } from "../audit/record.ts";
import { type AppContext, systemActor } from "../context.ts";
import { sampleBody, sampleTitle } from "../demo-sample.ts";

type DemoConsultation = {
  asker: string;
  daysAgo: number;
  title: string;
  question: string;
  tags: string[];
  answer?: string;
  closed?: boolean;
};

const items: DemoConsultation[] = [
  {
    asker: "D0021",
    daysAgo: 120,
    title: "市長の私的なアカウントの投稿を公式アカウントで共有してよいか",
    question:
      "市長が個人で運用しているアカウントの投稿（市のイベントに参加した様子）を、広報広聴課の公式アカウントで再投稿（リポスト）してよいでしょうか。ガイドラインには定めがないため協議します。",
    tags: ["再投稿", "第三者の投稿", "市長"],
    answer:
      "市長個人のアカウントは市の公式アカウントではないため、第三者の投稿として扱ってください（第5-3(6)）。再投稿ではなく、市の公式アカウントで改めて事実を発信する方法をおすすめします。どうしても共有する場合は、アカウント管理者の許可を得てください（第5-1(4)）。",
    closed: true,
  },
  {
    asker: "D0023",
    daysAgo: 90,
    title: "生成AIで作った画像をイベント告知に使ってよいか",
    question:
      "観光イベントの告知で、生成AIで作成したイメージ画像を使いたいと考えています。使ってよいか、注意点があれば教えてください。",
    tags: ["生成AI", "画像", "著作権"],
    answer:
      "使用は差し支えありませんが、生成AIで作成した画像であることを投稿に明記してください。実在の人物や他者の著作物に似た画像は避け、利用するサービスの規約で商用・公的利用が認められていることを確認してください（第5-1(3)、第5-2(3)）。",
    closed: true,
  },
  {
    asker: "D0025",
    daysAgo: 40,
    title: "夜間の緊急告知は誰が投稿するか",
    question:
      "夜間・休日に気象警報が出た場合、運用に携わる職員が自宅から投稿してよいでしょうか。事後報告の扱い（第5-1(4)④）でよいか確認したいです。",
    tags: ["緊急告知", "事後報告", "夜間"],
    answer:
      "緊急告知は事後報告の対象です（第5-1(4)④）。あらかじめ指名された運用に携わる職員が、業務用の端末から投稿してください。投稿後は速やかに事後報告を行い、アカウント管理者が確認してください。",
    closed: true,
  },
  {
    asker: "D0027",
    daysAgo: 10,
    title: "他自治体の公式アカウントの投稿を引用してよいか",
    question:
      "近隣市と共同で開催するイベントについて、近隣市の公式アカウントの投稿を引用して告知してよいでしょうか。",
    tags: ["引用", "他自治体", "共同イベント"],
    answer:
      "他の自治体の公式アカウントは信頼性が確認できるため、引用して差し支えありません。ただし、引用元のアカウントが公式であることを各自治体のホームページで確認してから引用してください（第5-3(6)）。",
  },
  {
    asker: "D0026",
    daysAgo: 2,
    title: "職員の顔写真を投稿に使う場合の同意の取り方",
    question:
      "健康づくりの講座の様子を投稿する際、講師を務めた職員の顔が写った写真を使いたいのですが、職員本人の同意はどのように記録すればよいでしょうか。",
    tags: ["肖像権", "職員", "同意"],
  },
];

export async function demoConsultations(ctx: AppContext): Promise<void> {
  const desk = await findStaffByEmployeeNo(ctx.db, "D0011");
  const now = ctx.clock.now();
  await change(ctx, systemActor("demo"), "consultation.demo", async (tx) => {
    let count = 0;
    for (const item of items) {
      const asker = await findStaffByEmployeeNo(tx, item.asker);
      if (!asker) continue;
      const askedAt = new Date(now.getTime() - item.daysAgo * 24 * 60 * 60_000);
      const row = await insertConsultation(tx, {
        title: sampleTitle(item.title),
        question: sampleBody(item.question),
        tags: item.tags,
        askedBy: asker.id,
        askedAt,
      });
      count++;
      if (!item.answer) continue;
      const answeredAt = new Date(askedAt.getTime() + 2 * 24 * 60 * 60_000);
      await updateConsultation(tx, row.id, {
        answer: sampleBody(item.answer),
        answeredBy: desk?.id ?? null,
        answeredAt,
        status: item.closed ? "closed" : "answered",
        closedAt: item.closed ? new Date(answeredAt.getTime() + 24 * 60 * 60_000) : null,
      });
    }
    return { result: null, target: { type: "consultation" }, summary: { demo: "consultations", count } };
  });
}
