/**
 * What `/public/notices` shows: sections of notices in their display window, each section from
 * one *notice source*. The first source is the change and closure notices of accounts (4.5.2:
 * shown from the announcement date until one year after a change, six months after a closure).
 *
 * Extension point: impersonation warnings (7.3.1: 成りすましを HP で周知) are another source.
 * The feature that records impersonation incidents adds its source to `noticeSources` below; the
 * page renders any source's items with no change to the HTTP layer. Its items should use the
 * anchor `impersonation-{id}`: the verification page links known impersonations there.
 */
import { listNoticesShownOn, type PublicNoticeRow } from "../../db/repos/public.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { toNoticeDetails } from "../../domain/notices.ts";
import { platformLabel } from "../../guideline/pack.ts";
import type { AppContext } from "../context.ts";
import { type PublicAccount, publicRegistry } from "./registry.ts";

/** One line of a notice: a label and a text, a plain date (shown in 和暦 and 西暦) or a URL. */
export type NoticeFact =
  | { label: string; text: string }
  | { label: string; date: string }
  | { label: string; url: string };

/** One notice as citizens read it. */
export type PublicNoticeItem = {
  /** Stable anchor on the page (`notice-12`). */
  anchor: string;
  title: string;
  /** A short word for the kind (変更, 廃止, 成りすまし注意…) shown as a badge. */
  kindLabel: string;
  tone: "info" | "warning";
  /** The official account concerned, when there is one (linked to its page). */
  account: PublicAccount | null;
  facts: NoticeFact[];
  /** Free text (the reason, the warning), when any. */
  body: string;
};

/** A section of the notices page. */
export type PublicNoticeSection = {
  key: string;
  title: string;
  description: string;
  /** Said when the section has nothing in its window today. */
  empty: string;
  items: PublicNoticeItem[];
};

/** A kind of public notice: how to load the ones shown on `today` (Tokyo). */
export type NoticeSource = {
  key: string;
  title: string;
  description: string;
  empty: string;
  load(ctx: AppContext, today: string): Promise<PublicNoticeItem[]>;
};

/** Turns one change/closure notice into what the page shows (pure). */
export function accountNoticeItem(row: PublicNoticeRow, account: PublicAccount | null): PublicNoticeItem {
  const closure = row.kind === "closure";
  const effective = row.status === "effective";
  const facts: NoticeFact[] = [];
  if (account) {
    facts.push({ label: "サービス", text: account.service });
    facts.push({
      label: "アカウント名",
      text: account.alias ? `${account.name}（${account.alias}）` : account.name,
    });
    facts.push({ label: "アカウントURL", url: account.url });
    facts.push({ label: "担当課", text: `${account.departmentName} ${account.divisionName}` });
  }
  facts.push({ label: closure ? "運用終了日" : "変更日", date: row.effectiveDate });
  if (!closure) {
    const d = toNoticeDetails(row.details);
    if (d.platform) facts.push({ label: "変更後のサービス", text: platformLabel(d.platform) });
    if (d.name) facts.push({ label: "変更後のアカウント名", text: d.name });
    if (d.alias) facts.push({ label: "変更後の通称", text: d.alias });
    if (d.handle) facts.push({ label: "変更後のユーザー名（ID）", text: d.handle });
    if (d.url) facts.push({ label: "変更後のアカウントURL", url: d.url });
  }
  if (row.announcementDate) facts.push({ label: "お知らせ開始日", date: row.announcementDate });
  const name = account ? `${account.service}「${account.alias || account.name}」` : "公式アカウント";
  const title = closure
    ? effective
      ? `${name}の運用を終了しました`
      : `${name}の運用を終了します`
    : effective
      ? `${name}を変更しました`
      : `${name}を変更します`;
  return {
    anchor: `notice-${row.id}`,
    title,
    kindLabel: closure ? "廃止" : "変更",
    tone: closure ? "warning" : "info",
    account,
    facts,
    body: row.reason,
  };
}

/** 4.5.2: change and closure notices of official accounts. */
export const accountNoticeSource: NoticeSource = {
  key: "accounts",
  title: "公式アカウントの変更・運用終了のお知らせ",
  description:
    "公式アカウントの名前やURLの変更、運用の終了は、1か月以上前からこのページと各アカウントでお知らせします。変更後は1年程度、運用終了後は半年程度掲載します（ガイドライン第4-5(2)）。",
  empty: "現在、お知らせはありません。",
  async load(ctx, today) {
    const registry = await publicRegistry(ctx);
    const rows = await listNoticesShownOn(ctx.db, today);
    return rows.map((row) => accountNoticeItem(row, registry.byId.get(row.accountId) ?? null));
  },
};

/**
 * Every source of public notices, in page order. Impersonation warnings (7.3.1) are added here
 * by the incidents feature.
 */
export const noticeSources: NoticeSource[] = [accountNoticeSource];

/** The notices page's sections for today (Tokyo). */
export async function publicNotices(ctx: AppContext): Promise<PublicNoticeSection[]> {
  const today = tokyoDate(ctx.clock.now());
  const sections: PublicNoticeSection[] = [];
  for (const source of noticeSources) {
    sections.push({
      key: source.key,
      title: source.title,
      description: source.description,
      empty: source.empty,
      items: await source.load(ctx, today),
    });
  }
  return sections;
}
