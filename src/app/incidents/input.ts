/**
 * What incident forms and API requests may contain, validated with Japanese messages: the
 * report (type, what happened, links, when noticed, the account or post, the fake account of a
 * なりすまし, the false claim of a デマ), step completion and assignment, notes, the closing
 * review, and each type's records (takedown, contacts, warnings, notices, drafts, statements).
 */
import { z } from "zod";
import { draftKinds, incidentSeverities, incidentStatuses, incidentTypes } from "../../domain/incidents.ts";
import { tokyoDateTime } from "../credentials/rules.ts";
import { flag, optionalIdOf, optionalText, plainDate, text } from "../validate.ts";

/** An optional date and time (「2026-04-01T09:30」 in Tokyo time, or ISO 8601); "" means none. */
export const optionalDateTime = (label: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), tokyoDateTime(label).optional());

/** An optional plain date; "" means none. */
const optionalDate = (label: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), plainDate(label).optional());

const httpUrl = (label: string) =>
  z
    .string()
    .trim()
    .max(2000, { error: `${label}は2000文字以内で入力してください。` })
    .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), {
      error: `${label}は https:// から始まるURLで入力してください。`,
    });

/** Links: one per line from a form, or a list from JSON; empty lines dropped; at most 20. */
const links = z.preprocess(
  (v) => {
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v : String(v).split(/\r?\n/);
    return list.map((s) => (typeof s === "string" ? s.trim() : s)).filter((s) => s !== "");
  },
  z.array(httpUrl("関連するURL")).max(20, { error: "関連するURLは20件までです。" }),
);

export const reportInput = z.object({
  type: z.enum(incidentTypes, { error: "インシデントの種類を選んでください。" }),
  title: text("件名", 200),
  description: text("何が起きたか", 5000),
  severity: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(incidentSeverities, { error: "深刻度を選んでください。" }).optional(),
  ),
  noticedAt: optionalDateTime("気づいた日時"),
  accountId: optionalIdOf("アカウント"),
  postId: optionalIdOf("投稿"),
  links,
  /** 7.3: the fake account's URL (required for なりすまし). */
  fakeUrl: z.preprocess((v) => (v === "" ? undefined : v), httpUrl("なりすましアカウントのURL").optional()),
  fakeHandle: optionalText("なりすましアカウントのユーザー名", 200),
  /** 乗っ取り (7.3(1)): since when the official account has been compromised (required then). */
  compromisedSince: optionalDateTime("不正アクセスが始まった日時"),
  /** 7.4: the false claim and where it appeared. */
  claim: optionalText("誤った情報の内容", 2000),
  claimWhere: optionalText("誤った情報が掲載された場所", 500),
});
export type ReportInput = z.output<typeof reportInput>;

export const stepCompleteInput = z.object({
  note: optionalText("記録", 2000),
  /** 7.1 containment: why the post was removed (recorded on the post). */
  deletionReason: optionalText("削除した理由", 1000),
  /** The post went out through a connection but was deleted on the platform's own screen. */
  deletedManually: flag(),
});

export const stepAssignInput = z.object({
  ownerId: optionalIdOf("担当者"),
  dueAt: optionalDateTime("期限"),
});

export const noteInput = z.object({ note: text("メモ", 5000) });

export const severityInput = z.object({
  severity: z.enum(incidentSeverities, { error: "深刻度を選んでください。" }),
  note: optionalText("理由", 1000),
});

export const statusInput = z.object({
  status: z.enum(incidentStatuses, { error: "状態を選んでください。" }),
  note: optionalText("理由", 1000),
});

export const closeInput = z.object({
  whatHappened: optionalText("何が起きたか", 5000),
  whatToChange: optionalText("今後どう改めるか", 5000),
  /** Also end the public warnings of a なりすまし (7.3.1) when closing. */
  endWarnings: flag(),
});

export const impersonationInput = z.object({
  url: httpUrl("なりすましアカウントのURL"),
  handle: optionalText("ユーザー名", 200),
});

export const takedownInput = z.object({
  requestedAt: optionalDateTime("削除を依頼した日時"),
  reference: optionalText("受付番号など", 200),
  note: optionalText("メモ", 1000),
});

export const answerInput = z.object({
  answer: text("プラットフォームの回答", 2000),
  takenDownAt: optionalDateTime("削除された日時"),
});

export const warningInput = z.object({ text: text("注意喚起の文面", 2000) });

export const contactInput = z.object({
  organisation: text("連絡した機関・メディア", 200),
  contactedAt: optionalDateTime("連絡した日時"),
  person: optionalText("先方の担当者", 200),
  note: optionalText("伝えた内容", 2000),
});

export const claimInput = z.object({
  claim: text("誤った情報の内容", 2000),
  where: optionalText("掲載された場所", 500),
});

export const publicNoticeInput = z.object({
  title: text("お知らせの見出し", 200),
  text: text("お知らせの本文", 4000),
  until: optionalDate("掲載する最終日"),
});

export const draftInput = z.object({
  kind: z.enum(draftKinds, { error: "作成する下書きを選んでください。" }),
  accountId: optionalIdOf("投稿するアカウント"),
  /** 乗っ取り: the other official accounts to warn from (checkboxes, or a list from JSON). */
  accountIds: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.coerce.number().int().positive({ error: "投稿するアカウントを選び直してください。" })).max(50),
  ),
});

export const statementInput = z.object({
  madeAt: optionalDateTime("発信した日時"),
  note: text("発信した内容・場所", 2000),
});

export const attachmentMeta = z.object({ description: optionalText("ファイルの説明", 500) });
