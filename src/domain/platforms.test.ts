import assert from "node:assert/strict";
import { test } from "node:test";
import { guidelinePack } from "../guideline/pack.ts";
import { accountUrlProblem, parseAccountUrl, parseAnyAccountUrl } from "./platforms.ts";

const pack = guidelinePack();

test("account URLs are read per platform, with the handle", () => {
  assert.equal(parseAccountUrl(pack, "x", "https://x.com/Iwaki_City")?.handle, "iwaki_city");
  assert.equal(parseAccountUrl(pack, "x", "https://twitter.com/iwaki_city/")?.handle, "iwaki_city");
  assert.equal(
    parseAccountUrl(pack, "instagram", "https://www.instagram.com/iwaki.kanko/")?.handle,
    "iwaki.kanko",
  );
  assert.equal(parseAccountUrl(pack, "youtube", "https://www.youtube.com/@iwakicity")?.handle, "@iwakicity");
  assert.equal(
    parseAccountUrl(pack, "bluesky", "https://bsky.app/profile/city.iwaki.lg.jp")?.handle,
    "city.iwaki.lg.jp",
  );
  assert.equal(
    parseAccountUrl(pack, "mastodon", "https://social.example.jp/@iwaki")?.handle,
    "social.example.jp/@iwaki",
  );
});

test("shorteners, plain http, other hosts and non-account paths are refused with an example", () => {
  assert.equal(parseAccountUrl(pack, "x", "https://bit.ly/abc"), null);
  assert.equal(parseAccountUrl(pack, "x", "http://x.com/iwaki_city"), null);
  assert.equal(parseAccountUrl(pack, "x", "https://x.com/iwaki_city/status/1"), null);
  assert.equal(parseAccountUrl(pack, "instagram", "https://x.com/iwaki_city"), null);
  assert.match(accountUrlProblem(pack, "x", "iwaki_city") ?? "", /例: https:\/\/x\.com\/iwaki_city/);
});

test("any URL is recognised by its platform", () => {
  assert.equal(parseAnyAccountUrl(pack, "https://www.tiktok.com/@iwaki_city")?.platform, "tiktok");
  assert.equal(parseAnyAccountUrl(pack, "https://x.com/iwaki_city")?.platform, "x");
  assert.equal(parseAnyAccountUrl(pack, "not a url"), null);
});
