/**
 * The audience of a LINE post as an edit gives it (5.1.4: who receives it is part of what is
 * approved): the form's radio 「すべての友だち」/「条件で絞り込む」 with its fields, or the API's
 * `audience` (null, or the object). Only LINE accounts have an audience; anything else is refused
 * with the field named, in Japanese.
 */
import { type LineAudience, readLineAudience } from "../../domain/line-audience.ts";
import { validation } from "../../errors.ts";
import type { AudienceInput } from "./input.ts";

/**
 * The audience an edit asks for: `undefined` when the edit leaves it as it is, `null` for every
 * friend (broadcast), or the narrowcast audience.
 * @throws 422 naming the field when a code or range is wrong, or the account is not on LINE
 */
export function audienceOfEdit(input: AudienceInput, platform: string): LineAudience | null | undefined {
  const given = input.audience;
  if (given === undefined) return undefined;
  if (given === null || given === "all") return null;
  const read = readLineAudience(
    given === "narrowcast"
      ? {
          ageFrom: input.audienceAgeFrom,
          ageTo: input.audienceAgeTo,
          gender: input.audienceGender,
          appType: input.audienceAppType,
          subscriptionFrom: input.audienceSubscriptionFrom,
          subscriptionTo: input.audienceSubscriptionTo,
          areas: input.audienceAreas,
          audienceGroupId: input.audienceGroupId,
          limitMax: input.audienceLimitMax,
        }
      : given,
  );
  if (platform !== "line") {
    const message = "配信先の絞り込みは、LINE公式アカウントの投稿にだけ指定できます。";
    throw validation(message, [{ field: "audience", message }]);
  }
  if ("issues" in read) {
    const [first] = read.issues;
    throw validation(first?.message ?? "配信先の指定を確認してください。", read.issues);
  }
  return read.audience;
}
