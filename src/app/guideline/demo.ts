/**
 * Demo guideline versions (`npm run demo`): the shipped version 1, and a revision published by
 * the policy director forty days ago and in force for thirty (wording on generated images and on
 * services that changed their names; the rules stay the shipped ones). Almost everyone had
 * acknowledged version 1; about half of those who must have acknowledged the revision, so the
 * rates on the dashboard, the changes page and the reminders all have something real (8.1, 8.2).
 * The revision is invented: its label, summary and every changed wording say 「サンプル」.
 */
import * as repo from "../../db/repos/guideline.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { addDays, formatWarekiDate, tokyoDate, tokyoDayStart } from "../../domain/dates.ts";
import { change } from "../audit/record.ts";
import { type AppContext, systemActor } from "../context.ts";
import { SAMPLE_MARK, SAMPLE_NOTE, sampleTitle } from "../demo-sample.ts";
import { acknowledgementScope } from "./acknowledgement.ts";
import { clauseMapSchema } from "./shipped.ts";
import { ensureShippedVersion, versionTarget } from "./versions.ts";

/** The revision's wording changes against the shipped text, each marked as a sample. */
function revise(clauses: Record<string, string>): Record<string, string> {
  const out = { ...clauses };
  const purpose = out["1"];
  if (purpose)
    out["1"] = purpose.replace(
      "フェイスブックやツイッター、ブログ",
      `${SAMPLE_MARK}フェイスブックやＸ（旧ツイッター）、インスタグラム、ブログ`,
    );
  const rights = out["5.1.3"];
  if (rights)
    out["5.1.3"] =
      `${rights}\n${SAMPLE_MARK}生成AIを用いて作成した画像や文章を発信する場合は、その旨を明記するとともに、第三者の権利を侵害していないことを確認しなければならない。`;
  out["5.3.8"] = `${SAMPLE_MARK}生成AIを用いて作成した画像や文章は、事実と誤認されないよう注意すること。`;
  return out;
}

export async function demoGuideline(ctx: AppContext): Promise<void> {
  await ensureShippedVersion(ctx);
  const first = await repo.newestPublished(ctx.db);
  const director = await findStaffByEmployeeNo(ctx.db, "D0001");
  if (!first || !director) return;
  const shipped = await repo.findVersion(ctx.db, first.id);
  if (!shipped) return;
  const today = tokyoDate(ctx.clock.now());
  const effectiveDate = addDays(today, -30);
  const publishedAt = tokyoDayStart(addDays(today, -40));
  const people = await repo.requiredPeople(ctx.db, { scope: await acknowledgementScope(ctx) });

  await change(ctx, systemActor("demo"), "guideline.demo_history", async (tx) => {
    const revised = await repo.insertVersion(tx, {
      label: sampleTitle(`${formatWarekiDate(effectiveDate)}改正`),
      effectiveDate,
      pack: shipped.pack,
      clauses: revise(clauseMapSchema.parse(shipped.clauses)),
      summary: `${SAMPLE_NOTE}\n第１（目的）のサービス名を現在の名称に改め、第5-1(3)に生成AIを用いて作成した画像・文章の扱いを追記し、第5-3(8)を新設しました。チェッカーの規則に変更はありません。`,
      status: "published",
      createdBy: director.id,
      publishedBy: director.id,
      publishedAt,
    });
    // Version 1: everyone but the last two had acknowledged it in their first weeks.
    const firstAckAt = tokyoDayStart(addDays(today, -300));
    for (const person of people.slice(0, Math.max(0, people.length - 2))) {
      await repo.insertAcknowledgement(tx, {
        versionId: shipped.id,
        staffId: person.staffId,
        at: firstAckAt,
      });
    }
    // The revision: the policy director, then every other person.
    const acknowledged = people.filter((p, i) => p.staffId === director.id || i % 2 === 0);
    for (const [i, person] of acknowledged.entries()) {
      const at = new Date(publishedAt.getTime() + (i + 1) * 6 * 60 * 60_000);
      await repo.insertAcknowledgement(tx, { versionId: revised.id, staffId: person.staffId, at });
    }
    return {
      result: revised,
      target: versionTarget(revised.id),
      summary: {
        label: revised.label,
        effectiveDate,
        acknowledged: acknowledged.length,
        required: people.length,
      },
    };
  });
}
