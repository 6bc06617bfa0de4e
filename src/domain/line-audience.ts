/**
 * Who receives a LINE post (the audience is part of what is approved, 5.1.4): everyone (a
 * broadcast, `null`) or a narrowcast audience — LINE's demographic filter (age, gender, friend
 * period, app, prefecture) and/or an audience group the city made in LINE Official Account
 * Manager, with an optional maximum number of recipients. Pure: reading what a person typed
 * (Japanese errors naming the field), the plain Japanese sentence the approver reads
 * (「20〜39歳・女性・福島県の友だち」), and the `recipient`/`filter`/`limit` of LINE's narrowcast
 * request (developers.line.biz/en/reference/messaging-api/#send-narrowcast-message).
 */

/** LINE's age boundaries (`gte`: from this age; `lt`: under this age). */
export const lineAgeCodes = [
  "age_15",
  "age_20",
  "age_25",
  "age_30",
  "age_35",
  "age_40",
  "age_45",
  "age_50",
  "age_55",
  "age_60",
  "age_65",
  "age_70",
] as const;
export type LineAgeCode = (typeof lineAgeCodes)[number];

/** LINE's friend-period boundaries (days since the person became a friend). */
export const lineSubscriptionCodes = ["day_7", "day_30", "day_90", "day_180", "day_365"] as const;
export type LineSubscriptionCode = (typeof lineSubscriptionCodes)[number];

export const lineGenders = ["male", "female"] as const;
export type LineGender = (typeof lineGenders)[number];

export const lineAppTypes = ["ios", "android"] as const;
export type LineAppType = (typeof lineAppTypes)[number];

/** The 47 prefectures in LINE's `area` codes (jp_01 北海道 … jp_47 沖縄県), JIS X 0401 order. */
export const prefectures = [
  "北海道",
  "青森県",
  "岩手県",
  "宮城県",
  "秋田県",
  "山形県",
  "福島県",
  "茨城県",
  "栃木県",
  "群馬県",
  "埼玉県",
  "千葉県",
  "東京都",
  "神奈川県",
  "新潟県",
  "富山県",
  "石川県",
  "福井県",
  "山梨県",
  "長野県",
  "岐阜県",
  "静岡県",
  "愛知県",
  "三重県",
  "滋賀県",
  "京都府",
  "大阪府",
  "兵庫県",
  "奈良県",
  "和歌山県",
  "鳥取県",
  "島根県",
  "岡山県",
  "広島県",
  "山口県",
  "徳島県",
  "香川県",
  "愛媛県",
  "高知県",
  "福岡県",
  "佐賀県",
  "長崎県",
  "熊本県",
  "大分県",
  "宮崎県",
  "鹿児島県",
  "沖縄県",
] as const;

/** LINE's area codes with the prefecture's name: `[["jp_01","北海道"], …]`. */
export const lineAreas: readonly (readonly [string, string])[] = prefectures.map((name, i) => [
  `jp_${String(i + 1).padStart(2, "0")}`,
  name,
]);
const areaNames = new Map(lineAreas);

/** A narrowcast audience as stored on a post and each of its versions (`null`: everyone). */
export type LineAudience = {
  ageFrom: LineAgeCode | null;
  ageTo: LineAgeCode | null;
  gender: LineGender | null;
  appType: LineAppType | null;
  subscriptionFrom: LineSubscriptionCode | null;
  subscriptionTo: LineSubscriptionCode | null;
  /** Area codes (jp_01 … jp_47), in code order. */
  areas: string[];
  /** An audience group id made in LINE Official Account Manager (digits). */
  audienceGroupId: string | null;
  /** At most this many recipients (LINE picks them at random). */
  limitMax: number | null;
};

/** What a person gave for the audience: the form's fields, or the API's object (strings or numbers). */
export type LineAudienceInput = {
  ageFrom?: unknown;
  ageTo?: unknown;
  gender?: unknown;
  appType?: unknown;
  subscriptionFrom?: unknown;
  subscriptionTo?: unknown;
  areas?: unknown;
  audienceGroupId?: unknown;
  limitMax?: unknown;
};

/** A problem with one field (its name as in the form), in Japanese. */
export type AudienceIssue = { field: string; message: string };

/** The form's field name of each part of the audience. */
export const audienceFields = {
  ageFrom: "audienceAgeFrom",
  ageTo: "audienceAgeTo",
  gender: "audienceGender",
  appType: "audienceAppType",
  subscriptionFrom: "audienceSubscriptionFrom",
  subscriptionTo: "audienceSubscriptionTo",
  areas: "audienceAreas",
  audienceGroupId: "audienceGroupId",
  limitMax: "audienceLimitMax",
} as const satisfies Record<keyof LineAudience, string>;

/** LINE's limit on `limit.max` is a positive integer; a city never needs more than this. */
export const LINE_LIMIT_MAX = 100_000_000;

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const text = (v: unknown) => (typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "");

function code<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  message: string,
  issues: AudienceIssue[],
): T | null {
  if (blank(value)) return null;
  const found = allowed.find((a) => a === text(value));
  if (!found) issues.push({ field, message });
  return found ?? null;
}

/** The number in an age code (`age_20` → 20). */
export const ageOf = (code: LineAgeCode): number => Number(code.slice(4));
/** The number of days in a friend-period code (`day_30` → 30). */
export const daysOf = (code: LineSubscriptionCode): number => Number(code.slice(4));

/**
 * Reads a narrowcast audience from what a person gave, checking LINE's codes and ranges.
 * Returns the audience, or the problems (each naming its form field, in Japanese).
 */
export function readLineAudience(
  input: LineAudienceInput,
): { audience: LineAudience } | { issues: AudienceIssue[] } {
  const issues: AudienceIssue[] = [];
  const f = audienceFields;
  const ageFrom = code(
    input.ageFrom,
    lineAgeCodes,
    f.ageFrom,
    "年齢（から）は一覧から選んでください。",
    issues,
  );
  const ageTo = code(input.ageTo, lineAgeCodes, f.ageTo, "年齢（まで）は一覧から選んでください。", issues);
  if (ageTo === "age_15")
    issues.push({
      field: f.ageTo,
      message: "年齢（まで）は19歳以上から選んでください（LINEの区分は15歳からです）。",
    });
  else if (ageFrom && ageTo && ageOf(ageFrom) >= ageOf(ageTo))
    issues.push({
      field: f.ageTo,
      message: `年齢（まで）は、年齢（から）の${ageOf(ageFrom)}歳より上にしてください。`,
    });
  const gender = code(
    input.gender,
    lineGenders,
    f.gender,
    "性別は「男性」か「女性」を選んでください。",
    issues,
  );
  const appType = code(
    input.appType,
    lineAppTypes,
    f.appType,
    "スマートフォンの種類は「iPhone」か「Android」を選んでください。",
    issues,
  );
  const subscriptionFrom = code(
    input.subscriptionFrom,
    lineSubscriptionCodes,
    f.subscriptionFrom,
    "友だち期間（から）は一覧から選んでください。",
    issues,
  );
  const subscriptionTo = code(
    input.subscriptionTo,
    lineSubscriptionCodes,
    f.subscriptionTo,
    "友だち期間（まで）は一覧から選んでください。",
    issues,
  );
  if (subscriptionFrom && subscriptionTo && daysOf(subscriptionFrom) >= daysOf(subscriptionTo))
    issues.push({
      field: f.subscriptionTo,
      message: `友だち期間（まで）は、友だち期間（から）の${daysOf(subscriptionFrom)}日より長くしてください。`,
    });
  const rawAreas = Array.isArray(input.areas)
    ? input.areas
    : typeof input.areas === "string"
      ? input.areas.split(",")
      : blank(input.areas)
        ? []
        : [input.areas];
  const areas: string[] = [];
  for (const a of rawAreas) {
    if (blank(a)) continue;
    const value = text(a);
    if (!areaNames.has(value)) {
      issues.push({
        field: f.areas,
        message: `都道府県「${value}」はLINEの地域の区分にありません。一覧から選んでください。`,
      });
      break;
    }
    if (!areas.includes(value)) areas.push(value);
  }
  areas.sort();
  let audienceGroupId: string | null = null;
  if (!blank(input.audienceGroupId)) {
    const value = text(input.audienceGroupId);
    if (!/^[1-9][0-9]{0,15}$/.test(value) || !Number.isSafeInteger(Number(value)))
      issues.push({
        field: f.audienceGroupId,
        message: "オーディエンスIDは、LINE公式アカウントの管理画面に表示される数字だけで入力してください。",
      });
    else audienceGroupId = value;
  }
  let limitMax: number | null = null;
  if (!blank(input.limitMax)) {
    const value = Number(text(input.limitMax).replaceAll(",", ""));
    if (!Number.isInteger(value) || value < 1 || value > LINE_LIMIT_MAX)
      issues.push({
        field: f.limitMax,
        message: `最大の配信人数は1以上${LINE_LIMIT_MAX.toLocaleString("ja-JP")}以下の整数で入力してください。`,
      });
    else limitMax = value;
  }
  const audience: LineAudience = {
    ageFrom,
    ageTo,
    gender,
    appType,
    subscriptionFrom,
    subscriptionTo,
    areas,
    audienceGroupId,
    limitMax,
  };
  if (issues.length === 0 && !narrows(audience))
    issues.push({
      field: f.ageFrom,
      message:
        "絞り込み配信では、年齢・性別・地域などの条件かオーディエンスIDを1つ以上指定してください。全員に送る場合は「すべての友だち」を選んでください。",
    });
  return issues.length > 0 ? { issues } : { audience };
}

/** Whether the audience names at least one condition (else it would be a broadcast). */
function narrows(a: LineAudience): boolean {
  return Boolean(
    a.ageFrom ||
      a.ageTo ||
      a.gender ||
      a.appType ||
      a.subscriptionFrom ||
      a.subscriptionTo ||
      a.areas.length > 0 ||
      a.audienceGroupId ||
      a.limitMax,
  );
}

/** Two audiences are the same recipients (null: everyone). */
export function sameAudience(a: LineAudience | null, b: LineAudience | null): boolean {
  return canonicalAudience(a) === canonicalAudience(b);
}

/** A stable string of the audience (keys in a fixed order), for the content hash and comparisons. */
export function canonicalAudience(a: LineAudience | null): string {
  if (!a) return "null";
  return JSON.stringify([
    a.ageFrom,
    a.ageTo,
    a.gender,
    a.appType,
    a.subscriptionFrom,
    a.subscriptionTo,
    [...a.areas].sort(),
    a.audienceGroupId,
    a.limitMax,
  ]);
}

/** Reads a stored audience back (jsonb of a post or version): null when it is none or unreadable. */
export function storedAudience(value: unknown): LineAudience | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const read = readLineAudience(value);
  return "audience" in read ? read.audience : null;
}

const genderLabels: Record<LineGender, string> = { male: "男性", female: "女性" };
const appLabels: Record<LineAppType, string> = { ios: "iPhone（iOS）", android: "Android" };

/** The age range in words: 「20〜39歳」「20歳以上」「39歳以下」. */
function ageWords(from: LineAgeCode | null, to: LineAgeCode | null): string {
  if (from && to) return `${ageOf(from)}〜${ageOf(to) - 1}歳`;
  if (from) return `${ageOf(from)}歳以上`;
  if (to) return `${ageOf(to) - 1}歳以下`;
  return "";
}

function periodWords(from: LineSubscriptionCode | null, to: LineSubscriptionCode | null): string {
  if (from && to) return `友だちになって${daysOf(from)}日以上${daysOf(to)}日未満`;
  if (from) return `友だちになって${daysOf(from)}日以上`;
  if (to) return `友だちになって${daysOf(to)}日未満`;
  return "";
}

/**
 * Who receives it, in plain Japanese for the approver: 「すべての友だち（一斉配信）」, or
 * 「20〜39歳・女性・福島県の友だち」, with the audience group and the maximum when given.
 */
export function audienceLabel(a: LineAudience | null): string {
  if (!a) return "すべての友だち（一斉配信）";
  const parts = [
    ageWords(a.ageFrom, a.ageTo),
    a.gender ? genderLabels[a.gender] : "",
    a.areas.map((c) => areaNames.get(c) ?? c).join("・"),
    a.appType ? `${appLabels[a.appType]}を使う` : "",
    periodWords(a.subscriptionFrom, a.subscriptionTo),
  ].filter((p) => p !== "");
  const group = a.audienceGroupId ? `オーディエンス（ID ${a.audienceGroupId}）に含まれる` : "";
  const who = `${group}${parts.join("・")}${parts.length > 0 || group ? "の友だち" : "友だち"}`;
  const max = a.limitMax ? `（最大${a.limitMax.toLocaleString("ja-JP")}人、LINEが無作為に選びます）` : "";
  return `${who}${max}`;
}

/** A JSON value of LINE's request. */
type Json = string | number | boolean | Json[] | { [key: string]: Json };

/**
 * The `recipient`, `filter` and `limit` of LINE's narrowcast request: the audience group as an
 * audience recipient object; the demographic conditions as one filter (several joined by an
 * `and` operator); `limit.max` when given.
 */
export function narrowcastTarget(a: LineAudience): { [key: string]: Json } {
  const conditions: { [key: string]: Json }[] = [];
  if (a.ageFrom || a.ageTo)
    conditions.push({
      type: "age",
      ...(a.ageFrom ? { gte: a.ageFrom } : {}),
      ...(a.ageTo ? { lt: a.ageTo } : {}),
    });
  if (a.gender) conditions.push({ type: "gender", oneOf: [a.gender] });
  if (a.areas.length > 0) conditions.push({ type: "area", oneOf: [...a.areas] });
  if (a.appType) conditions.push({ type: "appType", oneOf: [a.appType] });
  if (a.subscriptionFrom || a.subscriptionTo)
    conditions.push({
      type: "subscriptionPeriod",
      ...(a.subscriptionFrom ? { gte: a.subscriptionFrom } : {}),
      ...(a.subscriptionTo ? { lt: a.subscriptionTo } : {}),
    });
  const [only] = conditions;
  const demographic = conditions.length === 1 && only ? only : { type: "operator", and: conditions };
  return {
    ...(a.audienceGroupId
      ? { recipient: { type: "audience", audienceGroupId: Number(a.audienceGroupId) } }
      : {}),
    ...(conditions.length > 0 ? { filter: { demographic } } : {}),
    ...(a.limitMax ? { limit: { max: a.limitMax } } : {}),
  };
}

/** LINE's `errorCode` of a failed narrowcast, in Japanese (progress endpoint). */
export function narrowcastFailureReason(errorCode: number | null, description: string): string {
  const why: Record<number, string> = {
    1: "LINEの内部でエラーが起きました。時間をおいて、LINE公式アカウントの管理画面から送り直してください。",
    2: "条件に合う友だちが少なすぎるため、LINEが配信しませんでした。条件を広げて承認を得直すか、全員への配信にしてください。",
    3: "同じ配信の依頼が重ねて送られたため、LINEが断りました（先の配信が有効です）。LINE公式アカウントの管理画面で配信されたかを確認してください。",
    4: "条件に使ったオーディエンスの人数が50人未満のため、LINEが配信しませんでした。オーディエンスを見直してください。",
    5: "一部の友だちにだけ届くのを避けるため、LINEが配信を取りやめました。",
  };
  const reason =
    (errorCode !== null ? why[errorCode] : undefined) ??
    "LINEが絞り込み配信を完了できませんでした。LINE公式アカウントの管理画面で確認してください。";
  const own = [errorCode !== null ? `errorCode ${errorCode}` : "", description].filter(Boolean).join(": ");
  return own ? `${reason}（LINEの説明: ${own}）` : reason;
}
