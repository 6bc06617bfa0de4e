/**
 * Reading a LINE audience (codes, ranges, Japanese errors naming the field), the sentence the
 * approver reads, and the recipient/filter/limit of LINE's narrowcast request.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  audienceLabel,
  type LineAudience,
  narrowcastFailureReason,
  narrowcastTarget,
  readLineAudience,
  sameAudience,
} from "./line-audience.ts";

const issuesOf = (input: Parameters<typeof readLineAudience>[0]) => {
  const read = readLineAudience(input);
  return "issues" in read ? read.issues : [];
};
const audienceOf = (input: Parameters<typeof readLineAudience>[0]): LineAudience => {
  const read = readLineAudience(input);
  assert.ok("audience" in read, JSON.stringify(read));
  return read.audience;
};

test("an age range, a gender and a prefecture read as LINE's codes and say who receives it", () => {
  const a = audienceOf({ ageFrom: "age_20", ageTo: "age_40", gender: "female", areas: "jp_07" });
  assert.equal(audienceLabel(a), "20〜39歳・女性・福島県の友だち");
  assert.equal(audienceLabel(null), "すべての友だち（一斉配信）");
  assert.equal(audienceLabel(audienceOf({ ageFrom: "age_65" })), "65歳以上の友だち");
  assert.equal(
    audienceLabel(
      audienceOf({ audienceGroupId: 1234567890123, limitMax: "1,000", areas: ["jp_13", "jp_07"] }),
    ),
    "オーディエンス（ID 1234567890123）に含まれる福島県・東京都の友だち（最大1,000人、LINEが無作為に選びます）",
  );
});

test("wrong codes and ranges are refused with the field named, in Japanese", () => {
  assert.deepEqual(issuesOf({ ageFrom: "age_40", ageTo: "age_40" }), [
    { field: "audienceAgeTo", message: "年齢（まで）は、年齢（から）の40歳より上にしてください。" },
  ]);
  assert.equal(issuesOf({ ageFrom: "age_12" })[0]?.field, "audienceAgeFrom");
  assert.equal(issuesOf({ ageTo: "age_15" })[0]?.field, "audienceAgeTo");
  assert.equal(issuesOf({ areas: ["jp_00"] })[0]?.field, "audienceAreas");
  assert.equal(issuesOf({ areas: ["jp_47", "tw_01"] })[0]?.field, "audienceAreas");
  assert.equal(issuesOf({ gender: "unknown" })[0]?.field, "audienceGender");
  assert.equal(issuesOf({ appType: "windows" })[0]?.field, "audienceAppType");
  assert.equal(
    issuesOf({ subscriptionFrom: "day_90", subscriptionTo: "day_30" })[0]?.field,
    "audienceSubscriptionTo",
  );
  assert.equal(issuesOf({ audienceGroupId: "12a" })[0]?.field, "audienceGroupId");
  assert.equal(issuesOf({ audienceGroupId: "99999999999999999" })[0]?.field, "audienceGroupId");
  assert.equal(issuesOf({ limitMax: "1.5" })[0]?.field, "audienceLimitMax");
  assert.match(issuesOf({})[0]?.message ?? "", /1つ以上指定してください/, "a narrowcast without conditions");
});

test("the audience becomes LINE's recipient, demographic filter and limit", () => {
  assert.deepEqual(narrowcastTarget(audienceOf({ areas: ["jp_07"] })), {
    filter: { demographic: { type: "area", oneOf: ["jp_07"] } },
  });
  assert.deepEqual(
    narrowcastTarget(
      audienceOf({
        ageTo: "age_30",
        appType: "ios",
        subscriptionFrom: "day_7",
        audienceGroupId: "42",
        limitMax: 10,
      }),
    ),
    {
      recipient: { type: "audience", audienceGroupId: 42 },
      filter: {
        demographic: {
          type: "operator",
          and: [
            { type: "age", lt: "age_30" },
            { type: "appType", oneOf: ["ios"] },
            { type: "subscriptionPeriod", gte: "day_7" },
          ],
        },
      },
      limit: { max: 10 },
    },
  );
  assert.deepEqual(narrowcastTarget(audienceOf({ audienceGroupId: "42" })), {
    recipient: { type: "audience", audienceGroupId: 42 },
  });
});

test("the same recipients compare equal whatever the order of the prefectures; everyone differs from a filter", () => {
  assert.ok(sameAudience(audienceOf({ areas: ["jp_13", "jp_07"] }), audienceOf({ areas: "jp_07,jp_13" })));
  assert.ok(!sameAudience(null, audienceOf({ areas: ["jp_07"] })));
  assert.ok(sameAudience(null, null));
});

test("LINE's errorCode of a failed narrowcast reads in Japanese with LINE's own words kept", () => {
  const reason = narrowcastFailureReason(2, "the number of recipients is too small");
  assert.match(reason, /条件に合う友だちが少なすぎるため/);
  assert.match(reason, /errorCode 2: the number of recipients is too small/);
  assert.match(narrowcastFailureReason(null, ""), /完了できませんでした/);
});
