/**
 * What a post form or API request may contain, validated with Japanese messages: the accounts
 * and their texts, the category of 5.1.4 (通常 or ①–④), the earlier post a repost repeats, the
 * embargo (5.2.2.2) and schedule times, the justification for an error finding, the values of a
 * pre-approved scope; decisions with their comments; images with alt text and rights (5.1.3).
 */
import { z } from "zod";
import { postCategories } from "../../domain/posts.ts";
import { optionalText, plainDate } from "../validate.ts";
import { tokyoLocalToIso } from "./check-input.ts";

/** Longest post text accepted (the checker's own limit; platform limits are findings). */
export const POST_TEXT_MAX = 20000;

/**
 * An instant: ISO 8601 with an offset, or a form's `datetime-local` value read as Tokyo time.
 * "" or null clears it; leaving it out keeps it as it is.
 */
export const instant = (label: string) =>
  z.preprocess(
    (v) => {
      if (v === null || v === "") return null;
      if (typeof v === "string") return tokyoLocalToIso(v) ?? v;
      return v;
    },
    z.iso
      .datetime({
        offset: true,
        error: `${label}は「2026-12-05 10:00」のように日付と時刻で入力してください。`,
      })
      .nullable()
      .optional(),
  );

const category = z.enum(postCategories, { error: "区分を選んでください（第5-1(4)）。" });

const optionalId = (label: string) =>
  z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? null : v),
    z.coerce
      .number({ error: `${label}を選択してください。` })
      .int()
      .positive()
      .nullable(),
  );

const justification = optionalText("理由", 2000);

/** Text that may be cleared ("" or null → null); leaving it out keeps it as it is. */
const clearableText = (label: string, max: number) =>
  z.preprocess(
    (v) => (v === null || (typeof v === "string" && v.trim() === "") ? null : v),
    z
      .string({ error: `${label}を文字で入力してください。` })
      .trim()
      .max(max, { error: `${label}は${max}文字以内で入力してください。` })
      .nullable()
      .optional(),
  );

/** ① from a page of the city: its URL and the passage quoted from it (5.1.4). */
const repostSourceUrl = clearableText("引用した市のページのURL", 2000);
const repostQuote = clearableText("ページから引用した文", POST_TEXT_MAX);

const scopeValues = z.record(z.string().regex(/^[A-Za-z0-9_]{1,40}$/), z.string().max(500)).optional();

/**
 * LINE: who receives a post. The form sends "all" or "narrowcast" with the `audience…` fields; the
 * API sends null or the audience object (src/domain/line-audience.ts checks the codes).
 */
const audienceInput = {
  audience: z
    .union([z.literal("all"), z.literal("narrowcast"), z.null(), z.record(z.string(), z.unknown())], {
      error: "配信先は「すべての友だち」か「条件で絞り込む」を選んでください。",
    })
    .optional(),
  audienceAgeFrom: z.unknown().optional(),
  audienceAgeTo: z.unknown().optional(),
  audienceGender: z.unknown().optional(),
  audienceAppType: z.unknown().optional(),
  audienceSubscriptionFrom: z.unknown().optional(),
  audienceSubscriptionTo: z.unknown().optional(),
  audienceAreas: z.unknown().optional(),
  audienceGroupId: z.unknown().optional(),
  audienceLimitMax: z.unknown().optional(),
};
/** The audience fields of a post form or request, as given. */
export type AudienceInput = z.output<z.ZodObject<typeof audienceInput>>;

/**
 * A new post for one or more accounts (3: only their operators). `text` is the common text; an
 * account whose own text is empty gets it (the same text for all, editable per account).
 */
export const draftInput = z.object({
  text: z
    .string()
    .max(POST_TEXT_MAX, { error: `本文は${POST_TEXT_MAX}文字以内で入力してください。` })
    .optional(),
  accounts: z
    .array(
      z.object({
        accountId: z.coerce.number().int().positive(),
        text: z
          .string()
          .max(POST_TEXT_MAX, { error: `本文は${POST_TEXT_MAX}文字以内で入力してください。` })
          .optional(),
      }),
      { error: "投稿するアカウントを選んでください。" },
    )
    .min(1, { error: "投稿するアカウントを1つ以上選んでください。" })
    .max(20),
  category: category.default("normal"),
  repostOf: optionalId("再発信する投稿").optional(),
  repostSourceUrl,
  repostQuote,
  embargoUntil: instant("公表日時"),
  scheduledAt: instant("予約日時"),
  justification: justification,
  scopeId: optionalId("範囲の許可").optional(),
  scopeValues,
  /** LINE: who receives the posts of the LINE accounts named (others have no audience). */
  ...audienceInput,
});
export type DraftInput = z.output<typeof draftInput>;

/**
 * A change to one post. `version` is the version the person edited (a newer one is a conflict);
 * `expectedStatus`, when given, is the status they saw (an approval in between is a conflict).
 * Fields left out stay as they are.
 */
export const editInput = z.object({
  version: z.coerce.number({ error: "版が指定されていません。" }).int().positive(),
  expectedStatus: z.string().optional(),
  text: z
    .string()
    .max(POST_TEXT_MAX, { error: `本文は${POST_TEXT_MAX}文字以内で入力してください。` })
    .optional(),
  category: category.optional(),
  repostOf: optionalId("再発信する投稿").optional(),
  repostSourceUrl,
  repostQuote,
  embargoUntil: instant("公表日時"),
  scheduledAt: instant("予約日時"),
  justification: justification.optional(),
  scopeValues,
  ...audienceInput,
});
export type EditInput = z.output<typeof editInput>;

/** Submitting, approving or publishing a version (the version the person saw). */
export const versionInput = z.object({
  version: z.coerce.number({ error: "版が指定されていません。" }).int().positive(),
  justification: justification.optional(),
  comment: optionalText("コメント", 2000),
});

/**
 * Publishing ①–④ at once (事後報告). When the checker finds an error, a second person who may
 * approve on the account confirms it on the spot (5.2): who (`confirmedBy`), when
 * (`confirmedAt`), and optionally what they said.
 */
export const postHocInput = versionInput.extend({
  confirmedBy: optionalId("内容を確認した方").optional(),
  confirmedAt: instant("確認を受けた日時"),
  confirmationNote: optionalText("確認の内容", 2000),
});

/** Returning or rejecting: the comment is what the operator reads, so it is required. */
export const decisionInput = z.object({
  version: z.coerce.number({ error: "版が指定されていません。" }).int().positive(),
  comment: z
    .string({ error: "理由・コメントを入力してください。" })
    .trim()
    .min(1, { error: "理由・コメントを入力してください。" })
    .max(2000, { error: "理由・コメントは2000文字以内で入力してください。" }),
});

/** Acknowledging a post-hoc report (事後報告), with an optional comment. */
export const acknowledgeInput = z.object({ comment: optionalText("コメント", 2000) });

/** A verbal approval (口頭) recorded afterwards, with when it was given. */
export const verbalInput = z.object({
  version: z.coerce.number({ error: "版が指定されていません。" }).int().positive(),
  givenAt: z.preprocess(
    (v) => (typeof v === "string" ? (tokyoLocalToIso(v) ?? v) : v),
    z.iso.datetime({
      offset: true,
      error: "口頭で承認した日時を「2026-12-05 10:00」のように入力してください。",
    }),
  ),
  comment: optionalText("コメント", 2000),
});

/** 5.1.3, 5.2.3: whose rights cover an image. */
export const imageRights = ["own", "consent", "licensed"] as const;
export type ImageRights = (typeof imageRights)[number];

export const imageRightsLabels: Record<ImageRights, string> = {
  own: "職員が撮影・作成したもの（市に権利があります）",
  consent: "写っている人・権利者の同意を得ています",
  licensed: "利用の許諾を得ています（ライセンス・提供元の許可）",
};

/** An image's description: alt text (required for accessibility) and the rights confirmation. */
export const imageInput = z
  .object({
    alt: z
      .string({ error: "代替テキストを入力してください。" })
      .trim()
      .min(1, { error: "代替テキスト（画像の内容を説明する文）を入力してください。" })
      .max(1000, { error: "代替テキストは1000文字以内で入力してください。" }),
    rights: z.enum(imageRights, {
      error: "画像の権利の確認を選んでください（第5-1(3)）。",
    }),
    rightsNote: optionalText("権利についての補足", 1000),
  })
  .superRefine((v, ctx) => {
    if (v.rights !== "own" && v.rightsNote === "") {
      ctx.addIssue({
        code: "custom",
        path: ["rightsNote"],
        message:
          v.rights === "consent"
            ? "誰から、どのように同意を得たかを入力してください（第5-1(3)）。"
            : "許諾の内容（提供元・ライセンス名など）を入力してください（第5-2(3)）。",
      });
    }
  });

/** A pre-approved scope (予め範囲を決めた許可, 5.1.4) as the manager defines it. */
export const scopeInput = z.object({
  name: z
    .string({ error: "範囲の名前を入力してください。" })
    .trim()
    .min(1, { error: "範囲の名前を入力してください。" })
    .max(100, { error: "範囲の名前は100文字以内で入力してください。" }),
  template: z
    .string({ error: "テンプレートを入力してください。" })
    .trim()
    .min(1, { error: "テンプレートを入力してください。" })
    .max(POST_TEXT_MAX),
  fields: z
    .array(
      z.object({
        name: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_]{1,40}$/, {
            error: "項目の記号は半角英数字と _ で入力してください（例: date）。",
          }),
        label: z
          .string()
          .trim()
          .min(1, { error: "項目の名前を入力してください。" })
          .max(100, { error: "項目の名前は100文字以内で入力してください。" }),
        pattern: z.string().trim().max(500).optional(),
        maxLength: z.coerce.number().int().positive().max(2000).optional(),
      }),
    )
    .max(20),
  categories: z.array(category).min(1, { error: "この範囲で投稿できる区分を1つ以上選んでください。" }),
  cityLinksOnly: z.boolean().default(true),
  validUntil: plainDate("有効期限"),
});
export type ScopeInput = z.output<typeof scopeInput>;

/** A deputy the manager names for an absence (5.1.4), with the period and the reason. */
export const deputyInput = z.object({
  divisionId: z.coerce.number({ error: "課を選択してください。" }).int().positive().optional(),
  deputyId: z.coerce
    .number({ error: "代理者を選択してください。" })
    .int({ error: "代理者を選択してください。" })
    .positive({ error: "代理者を選択してください。" }),
  fromDate: plainDate("開始日"),
  toDate: plainDate("終了日"),
  reason: z
    .string({ error: "理由を入力してください。" })
    .trim()
    .min(1, { error: "不在の理由を入力してください（例: 出張のため）。" })
    .max(500, { error: "理由は500文字以内で入力してください。" }),
});
