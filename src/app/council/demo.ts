/**
 * The demo council (`npm run demo`): members named by the departments that hold accounts (one
 * department left without, so the roster's flag shows), two past meetings with agenda and
 * minutes (the first with its 次第 as a PDF), and the council's rules in two versions (6.1–6.3).
 * Every text is an invented sample and says so (「サンプル」 in title and body).
 */
import * as repo from "../../db/repos/council.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import { change } from "../audit/record.ts";
import { type AppContext, systemActor } from "../context.ts";
import { SAMPLE_MARK, SAMPLE_NOTE, sampleBody, sampleTitle } from "../demo-sample.ts";

const RULES_V1 = `${SAMPLE_MARK}ソーシャルメディア等活用連絡協議会規約
${SAMPLE_NOTE}

（名称）
第1条　本会は、ソーシャルメディア等活用連絡協議会（以下「協議会」という。）と称する。

（目的）
第2条　協議会は、本市の情報発信に関してソーシャルメディアの有効かつ適正な活用を図るため、関係部署間の連絡調整を行うことを目的とする。

（所掌事項）
第3条　協議会は、次に掲げる事項を所掌する。
(1) 公式アカウントの運用状況に関する情報共有
(2) ソーシャルメディア運用ガイドラインの運用及び見直しに関する意見交換
(3) 問題が発生した場合の対応事例の共有
(4) その他協議会の目的を達成するために必要な事項

（組織）
第4条　協議会は、アカウントを取得し、又は取得しようとする部署の担当者をもって組織する。
2　協議会に会長を置き、総合政策部長をもって充てる。

（会議）
第5条　協議会の会議は、会長が招集し、年2回開催する。
2　会長は、必要があると認めるときは、臨時に会議を招集することができる。

（庶務）
第6条　協議会の庶務は、総合政策部広報広聴課において処理する。

（補則）
第7条　この規約に定めるもののほか、協議会の運営に関し必要な事項は、会長が別に定める。

附　則
この規約は、平成26年7月1日から施行する。`;

const RULES_V2 = RULES_V1.replace(
  "(4) その他協議会の目的を達成するために必要な事項",
  "(4) 職員向け研修の企画及び実施\n(5) その他協議会の目的を達成するために必要な事項",
)
  .replace("年2回開催する。", "年2回以上開催する。会議は、オンラインにより開催することができる。")
  .replace(
    "この規約は、平成26年7月1日から施行する。",
    "この規約は、平成26年7月1日から施行する。\n\n附　則\nこの規約は、平成28年4月1日から施行する。",
  );

/** A one-page PDF (the meeting's 次第), enough for a real download. */
function agendaPdf(): Uint8Array {
  const body = [
    "%PDF-1.4",
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj",
    "trailer << /Root 1 0 R >>",
    "%%EOF",
  ].join("\n");
  return new TextEncoder().encode(body);
}

export async function demoCouncil(ctx: AppContext): Promise<void> {
  const today = tokyoDate(ctx.clock.now());
  const director = await findStaffByEmployeeNo(ctx.db, "D0001");
  const members = (
    await Promise.all(
      ["D0020", "D0023", "D0025", "D0026", "D0027"].map((no) => findStaffByEmployeeNo(ctx.db, no)),
    )
  ).flatMap((p) => (p ? [p] : []));
  if (!director) return;
  await change(ctx, systemActor("demo"), "council.demo", async (tx, at) => {
    const roster = await repo.rosterInputs(tx);
    const withAccounts = new Set(roster.filter((r) => r.accounts > 0).map((r) => r.divisionId));
    for (const person of members) {
      // 担当者 named to sit instead of their 課等の長, for divisions that hold accounts.
      if (person.divisionId === null || !withAccounts.has(person.divisionId)) continue;
      await repo.setMember(tx, {
        departmentId: person.departmentId,
        divisionId: person.divisionId,
        staffId: person.id,
        designatedAt: new Date(at.getTime() - 200 * 24 * 60 * 60_000),
        designatedBy: null,
      });
    }
    await repo.insertRules(tx, {
      text: RULES_V1,
      adoptedOn: "2014-07-01",
      changeSummary: sampleTitle("協議会の設置（ガイドライン第6-3）に伴い制定しました。"),
      createdBy: director.id,
      at,
    });
    await repo.insertRules(tx, {
      text: RULES_V2,
      adoptedOn: "2016-04-01",
      changeSummary: sampleTitle(
        "所掌事項に職員向け研修を加え、会議を年2回以上とし、オンラインでの開催を可能にしました。",
      ),
      createdBy: director.id,
      at,
    });
    const first = await repo.insertMeeting(tx, {
      heldOn: addDays(today, -150),
      title: sampleTitle("第1回 ソーシャルメディア等活用連絡協議会"),
      agenda: sampleBody(
        "1 各部署の公式アカウントの運用状況\n2 ガイドライン改正案（生成AIの利用）について\n3 なりすましアカウントへの対応事例",
      ),
      minutes: sampleBody(
        "出席: 各部署の協議会メンバー5名、広報広聴課\n1 各部署から運用状況を報告した。観光振興課から、イベント告知の反応が良いとの報告があった。\n2 総合政策部長から改正案の説明があり、生成AIで作成した画像にはその旨を明記する方向で意見が一致した。\n3 危機管理課から、なりすましアカウントの削除依頼と市ホームページでの周知の流れ（第7-3(1)）を共有した。",
      ),
      createdBy: director.id,
      at,
    });
    await repo.insertAttachment(tx, {
      meetingId: first.id,
      filename: "サンプル_第1回次第.pdf",
      contentType: "application/pdf",
      bytes: agendaPdf(),
      uploadedBy: director.id,
      at,
    });
    await repo.insertMeeting(tx, {
      heldOn: addDays(today, -45),
      title: sampleTitle("第2回 ソーシャルメディア等活用連絡協議会"),
      agenda: sampleBody(
        "1 ガイドライン改正の周知状況\n2 災害時の緊急告知（事後報告）の運用について\n3 職員向け研修の計画",
      ),
      minutes: sampleBody(
        "1 改正ガイドラインの確認状況を共有し、未確認の職員には各部で声かけすることを確認した（第8-2）。\n2 危機管理課から、緊急告知を事後報告とした事例（第5-1(4)④）を報告した。\n3 次回までに研修の日程案を広報広聴課が作成する。",
      ),
      createdBy: director.id,
      at,
    });
    return {
      result: null,
      target: { type: "council_meeting", id: first.id },
      summary: { demo: "council", members: members.length },
    };
  });
}
