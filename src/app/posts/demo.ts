/**
 * Demo posts (`npm run demo`), made through the real use cases by the real demo people so each
 * role finds work on first login: an operator's draft with checker findings, a post for two
 * accounts waiting for the manager's approval, one with a warning waiting too, one returned with
 * comments, a pre-approved scope (ごみ収集日のお知らせ) and a post approved under it, an emergency
 * post published at once whose post-hoc report waits for acknowledgement (5.1.4 ④), posts
 * approved and published with their URLs (the record of one corrected by the manager, with the
 * reason), one of them reported erroneous with its correction waiting for approval (5.3.2, 5.3.3),
 * and a deputy named for the manager's coming absence. Every time and URL passes the checks of
 * the publishing record: published after the approval, a post of the account itself.
 */
import { listAccounts } from "../../db/repos/accounts.ts";
import { findStaffByEmployeeNo } from "../../db/repos/staff.ts";
import { publicStatuses } from "../../domain/accounts.ts";
import { addDays, tokyoDate } from "../../domain/dates.ts";
import type { Platform } from "../../guideline/pack.ts";
import { loadActor } from "../actors.ts";
import type { AppContext, StaffActor } from "../context.ts";
import { markErroneous, startCorrection } from "./corrections.ts";
import { approvePost, returnPost } from "./decide.ts";
import { nameDeputy } from "./deputies.ts";
import { draftPost } from "./draft.ts";
import { publishPostHoc } from "./post-hoc.ts";
import { recordPublishing } from "./publishing.ts";
import { correctPublishingRecord } from "./publishing-correct.ts";
import { createScope } from "./scopes.ts";
import { submitPost } from "./submit.ts";

async function person(ctx: AppContext, employeeNo: string): Promise<StaffActor | undefined> {
  const staff = await findStaffByEmployeeNo(ctx.db, employeeNo);
  return staff ? loadActor(ctx.db, staff.id, "cli") : undefined;
}

/** Adds the demo posts after the demo accounts exist (skips what the registry lacks). */
export async function demoPosts(ctx: AppContext): Promise<void> {
  const accounts = await listAccounts(ctx.db, { visibleDivisionIds: null });
  // Accounts that still post: running, or with a change or closure announced (4.5).
  const byHandle = (platform: Platform, handle: string) =>
    accounts.find((a) => a.platform === platform && a.handle === handle && publicStatuses.includes(a.status));
  const [koho, kohoOperator, kohoManager, kanko, kankoOperator] = await Promise.all([
    person(ctx, "D0020"),
    person(ctx, "D0021"),
    person(ctx, "D0010"),
    person(ctx, "D0023"),
    person(ctx, "D0024"),
  ]);
  const x = byHandle("x", "iwaki_city");
  const facebook = byHandle("facebook", "iwakicity");
  const line = byHandle("line", "iwakicity");
  const instagram = byHandle("instagram", "iwaki_kanko");
  const today = tokyoDate(ctx.clock.now());

  if (x && kohoOperator) {
    // A draft the checker has something to say about (5.2.2.1).
    await draftPost(ctx, {
      actor: kohoOperator,
      input: {
        accounts: [
          {
            accountId: x.id,
            text: "明日の地区清掃の集合場所は、自治会長の鈴木様宅です。ご不明な点は 090-1234-5678 までお問い合わせください。",
          },
        ],
      },
    });
  }
  if (x && facebook && koho) {
    // One post for two accounts, waiting for the manager.
    const group = await draftPost(ctx, {
      actor: koho,
      input: {
        accounts: [{ accountId: x.id }, { accountId: facebook.id }],
        text: "【参加者募集】市民講座「はじめての防災」の参加者を募集しています。申し込み方法は市ホームページをご覧ください。https://www.city.iwaki.lg.jp/",
      },
    });
    for (const post of group) await submitPost(ctx, { actor: koho, id: post.id, input: { version: 1 } });
  }
  if (x && kohoOperator) {
    // Waiting with a warning the approver will see (5.2.8).
    const [rumour] = await draftPost(ctx, {
      actor: kohoOperator,
      input: {
        accounts: [
          {
            accountId: x.id,
            text: "【お知らせ】市役所本庁舎の駐車場は、本日の午前中は混雑するらしいとの情報があります。公共交通機関をご利用ください。",
          },
        ],
      },
    });
    if (rumour) await submitPost(ctx, { actor: kohoOperator, id: rumour.id, input: { version: 1 } });
  }
  if (x && kohoOperator && kohoManager) {
    // Returned with the manager's comments.
    const [returned] = await draftPost(ctx, {
      actor: kohoOperator,
      input: {
        accounts: [
          {
            accountId: x.id,
            text: "【お知らせ】年末年始の窓口の開設日をお知らせします。詳しくは市ホームページをご覧ください。",
          },
        ],
      },
    });
    if (returned) {
      await submitPost(ctx, { actor: kohoOperator, id: returned.id, input: { version: 1 } });
      await returnPost(ctx, {
        actor: kohoManager,
        id: returned.id,
        input: {
          version: 1,
          comment:
            "開設日を本文にも書いてください（例: 12月28日（月）まで、1月4日（月）から）。ホームページのURLも省略せずに記載してください。",
        },
      });
    }
  }
  if (line && kohoManager && kohoOperator) {
    // 予め範囲を決めた許可, and a post approved under it at once.
    const scope = await createScope(ctx, {
      actor: kohoManager,
      accountId: line.id,
      input: {
        name: "ごみ収集日のお知らせ",
        template:
          "【ごみ収集】{date}は{area}地区の{kind}の収集日です。朝8時までに決められた場所に出してください。詳しくは https://www.city.iwaki.lg.jp/www/gomi.html をご覧ください。",
        fields: [
          { name: "date", label: "収集日", pattern: "\\d{1,2}月\\d{1,2}日（[月火水木金土日]）" },
          { name: "area", label: "地区", maxLength: 10 },
          {
            name: "kind",
            label: "ごみの種類",
            pattern: "燃やすごみ|容器包装プラスチック|びん・缶|ペットボトル",
          },
        ],
        categories: ["normal"],
        cityLinksOnly: true,
        validUntil: addDays(today, 180),
      },
    });
    const weekday = ["日", "月", "火", "水", "木", "金", "土"];
    const day = addDays(today, 2);
    const date = new Date(`${day}T00:00:00Z`);
    const [fromScope] = await draftPost(ctx, {
      actor: kohoOperator,
      input: {
        accounts: [{ accountId: line.id }],
        scopeId: scope.id,
        scopeValues: {
          date: `${date.getUTCMonth() + 1}月${date.getUTCDate()}日（${weekday[date.getUTCDay()]}）`,
          area: "平",
          kind: "燃やすごみ",
        },
      },
    });
    if (fromScope) await submitPost(ctx, { actor: kohoOperator, id: fromScope.id, input: { version: 1 } });
  }
  if (x && kohoOperator && kohoManager && koho) {
    // Approved by the manager and published, with the URL recorded (5.1.4).
    const published = async (text: string, status: string) => {
      const [post] = await draftPost(ctx, {
        actor: kohoOperator,
        input: { accounts: [{ accountId: x.id, text }] },
      });
      if (!post) return undefined;
      await submitPost(ctx, { actor: kohoOperator, id: post.id, input: { version: 1 } });
      await approvePost(ctx, { actor: kohoManager, id: post.id, input: { version: 1 } });
      await recordPublishing(ctx, {
        actor: kohoOperator,
        postId: post.id,
        input: { url: `https://x.com/iwaki_city/status/${status}` },
      });
      return post;
    };
    const market = await published(
      "【イベント】12月13日（日）10時から、いわき駅前でクリスマスマーケットを開きます。詳しくは市ホームページをご覧ください。https://www.city.iwaki.lg.jp/",
      "1861000000000000001",
    );
    if (market) {
      // A wrong URL in the record is corrected by the manager with a reason; the earlier value stays.
      await correctPublishingRecord(ctx, {
        actor: kohoManager,
        postId: market.id,
        input: {
          url: "https://x.com/iwaki_city/status/1861000000000000003",
          reason: "同じ時間帯に発信した別の投稿のURLを記録していたため、この投稿のURLに訂正します。",
        },
      });
    }
    const wrong = await published(
      "【お知らせ】市民会館の休館日は12月7日（月）です。ご利用の皆さまにはご不便をおかけします。",
      "1861000000000000002",
    );
    if (wrong) {
      // Someone spots an error; the correction is written and waits for approval (5.3.2, 5.3.3).
      await markErroneous(ctx, {
        actor: koho,
        postId: wrong.id,
        input: { note: "休館日は12月8日（火）の誤りです。" },
      });
      const { post: correction } = await startCorrection(ctx, {
        actor: kohoOperator,
        postId: wrong.id,
        input: {
          text: "【訂正】先ほどお知らせした市民会館の休館日に誤りがありました。正しくは12月8日（火）です。お詫びして訂正いたします。",
        },
      });
      await submitPost(ctx, {
        actor: kohoOperator,
        id: correction.id,
        input: { version: correction.version },
      });
    }
  }
  if (instagram && kanko) {
    // ④ 緊急告知, published at once; the report waits for the manager (5.1.4).
    const [emergency] = await draftPost(ctx, {
      actor: kanko,
      input: {
        accounts: [
          {
            accountId: instagram.id,
            text: "【中止のお知らせ】強風のため、本日予定していた海岸の夜間ライトアップは中止します。ご来場を予定していた皆さまには申し訳ありません。",
          },
        ],
        category: "emergency",
      },
    });
    if (emergency) await publishPostHoc(ctx, { actor: kanko, id: emergency.id, input: { version: 1 } });
  }
  if (instagram && kankoOperator) {
    await draftPost(ctx, {
      actor: kankoOperator,
      input: {
        accounts: [
          {
            accountId: instagram.id,
            text: "【いわきの冬】澄んだ空気の朝、海沿いの遊歩道から見える朝日がきれいです。ぜひ早起きして出かけてみてください。",
          },
        ],
      },
    });
  }
  if (kohoManager && koho) {
    await nameDeputy(ctx, {
      actor: kohoManager,
      input: {
        deputyId: koho.staffId,
        fromDate: addDays(today, 7),
        toDate: addDays(today, 9),
        reason: "県外出張のため",
      },
    });
  }
}
