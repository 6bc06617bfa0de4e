/**
 * 7.3(1): after a 乗っ取り the city says on its own site that the account is back — the marking
 * promised 「回復しましたら、このページでお知らせします」. For RECOVERY_NOTICE_DAYS after recovery
 * was recorded, /public/notices says so and names the hours whose posts were not the city's, so
 * that anyone who saw them knows which to disregard. Only a marking that was made public gets a
 * recovery notice (one recovered before it was published was never announced).
 */
import { listRecoveredHijacks } from "../../db/repos/incidents.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { hijackRecoveryText, RECOVERY_NOTICE_DAYS } from "../../domain/hijack.ts";
import type { NoticeFact, NoticeSource } from "../public/notices.ts";
import { publicRegistry } from "../public/registry.ts";

const DAY_MS = 86_400_000;

export const hijackRecoveredNoticeSource: NoticeSource = {
  key: "hijack-recovered",
  title: "不正アクセスから回復した公式アカウント",
  description: `不正アクセス（乗っ取り）を受けていた公式アカウントが回復したときは、${RECOVERY_NOTICE_DAYS}日間このページでお知らせします（ガイドライン第7-3(1)）。`,
  empty: "最近、不正アクセスから回復した公式アカウントはありません。",
  async load(ctx) {
    const now = ctx.clock.now();
    const rows = await listRecoveredHijacks(ctx.db, new Date(now.getTime() - RECOVERY_NOTICE_DAYS * DAY_MS));
    const registry = await publicRegistry(ctx);
    return rows.flatMap((row) => {
      const account = registry.byId.get(row.accountId);
      if (!account || row.recoveredAt === null) return [];
      const facts: NoticeFact[] = [
        { label: "サービス", text: account.service },
        { label: "アカウント", url: account.url },
        { label: "回復した日", date: tokyoDate(row.recoveredAt) },
      ];
      return [
        {
          anchor: `hijack-recovered-${row.id}`,
          title: `${account.service}の公式アカウント「${account.alias || account.name}」は、不正アクセスから回復しました`,
          kindLabel: "回復",
          tone: "info" as const,
          account,
          facts,
          body: `現在は市が運用しています。${hijackRecoveryText(row.compromisedSince, row.recoveredAt)}。その間に届いたメッセージやリンクにはご注意ください。`,
        },
      ];
    });
  },
};
