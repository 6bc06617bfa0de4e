import assert from "node:assert/strict";
import { test } from "node:test";
import { guidelinePack } from "../guideline/pack.ts";
import {
  accountUrlProblem,
  checkPostUrl,
  parseAccountUrl,
  parseAnyAccountUrl,
  postUrlNote,
  postUrlRequired,
} from "./platforms.ts";

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

test("a post URL must be this account's where the URL names the account", () => {
  const x = { platform: "x" as const, url: "https://x.com/iwaki_city", handle: "iwaki_city" };
  const ok = (account: Parameters<typeof checkPostUrl>[1], url: string) => checkPostUrl(pack, account, url);
  assert.deepEqual(ok(x, "https://x.com/Iwaki_City/status/186?s=20"), {
    ok: true,
    url: "https://x.com/Iwaki_City/status/186?s=20",
    scope: "account",
  });
  assert.match(
    JSON.stringify(ok(x, "https://x.com/someoneelse/status/123")),
    /別のアカウント（someoneelse）/,
  );
  assert.match(JSON.stringify(ok(x, "https://x.com/iwaki_city")), /アカウントのページではなく/);
  assert.match(JSON.stringify(ok(x, "https://t.co/abc")), /x\.com の投稿のURL/);

  const facebook = {
    platform: "facebook" as const,
    url: "https://www.facebook.com/iwakicity",
    handle: "iwakicity",
  };
  assert.equal(ok(facebook, "https://www.facebook.com/iwakicity/posts/pfbid0abcDEF").ok, true);
  assert.match(
    JSON.stringify(ok(facebook, "https://www.facebook.com/permalink.php?story_fbid=1&id=10000123")),
    /ページのID/,
  );
  const numeric = {
    platform: "facebook" as const,
    url: "https://www.facebook.com/100001234",
    handle: "100001234",
  };
  assert.equal(ok(numeric, "https://www.facebook.com/permalink.php?story_fbid=77&id=100001234").ok, true);

  const threads = {
    platform: "threads" as const,
    url: "https://www.threads.net/@iwaki_city",
    handle: "@iwaki_city",
  };
  assert.equal(ok(threads, "https://www.threads.net/@iwaki_city/post/C1abcdef").ok, true);
  assert.equal(ok(threads, "https://www.threads.net/@other/post/C1abcdef").ok, false);
  const bluesky = {
    platform: "bluesky" as const,
    url: "https://bsky.app/profile/city.iwaki.lg.jp",
    handle: "city.iwaki.lg.jp",
  };
  assert.equal(ok(bluesky, "https://bsky.app/profile/city.iwaki.lg.jp/post/3kabcdefg2").ok, true);
  assert.equal(ok(bluesky, "https://bsky.app/profile/other.bsky.social/post/3kabcdefg2").ok, false);
  const mastodon = {
    platform: "mastodon" as const,
    url: "https://social.example.jp/@iwaki",
    handle: "@iwaki",
  };
  assert.equal(ok(mastodon, "https://social.example.jp/@iwaki/112233").ok, true);
  assert.equal(ok(mastodon, "https://mastodon.social/@iwaki/112233").ok, false, "another instance");
});

test("where post URLs carry no account name, the host and form are checked and the page says so", () => {
  const youtube = {
    platform: "youtube" as const,
    url: "https://www.youtube.com/@iwakicity",
    handle: "@iwakicity",
  };
  assert.deepEqual(checkPostUrl(pack, youtube, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"), {
    ok: true,
    url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    scope: "host",
  });
  assert.equal(checkPostUrl(pack, youtube, "https://www.youtube.com/shorts/dQw4w9WgXcQ").ok, true);
  assert.equal(checkPostUrl(pack, youtube, "https://youtu.be/dQw4w9WgXcQ").ok, false);
  assert.match(postUrlNote(pack, youtube), /チャンネル名が含まれないため/);
  const line = { platform: "line" as const, url: "https://page.line.me/iwakicity", handle: "iwakicity" };
  assert.equal(postUrlRequired("line"), false);
  assert.equal(checkPostUrl(pack, line, "https://linevoom.line.me/post/1170000000000000001").ok, true);
  assert.match(postUrlNote(pack, line), /空欄のままで記録できます/);
});
