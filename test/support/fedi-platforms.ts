/**
 * A test application wired to the loopback fakes of Mastodon, Bluesky and Threads (besides LINE
 * and X, from platforms.ts): the setup the tests of those connections share. No test reaches the
 * internet.
 */
import { type FakeBluesky, startFakeBluesky } from "../../src/publishing/fakes/bluesky.ts";
import { type FakeMastodon, startFakeMastodon } from "../../src/publishing/fakes/mastodon.ts";
import { type FakeThreads, startFakeThreads } from "../../src/publishing/fakes/threads.ts";
import type { TestApp } from "./context.ts";
import { type PlatformsApp, testAppWithPlatforms } from "./platforms.ts";

/** The accounts the fakes speak for, as the tests register them. */
export const FEDI = {
  mastodon: { username: "iwaki_m", token: "mastodon-token", server: "https://mstdn.example.jp" },
  bluesky: { handle: "iwaki.bsky.social", appPassword: "abcd-efgh-ijkl-mnop" },
  threads: { username: "iwaki_t", token: "threads-token" },
} as const;

export type FediApp = PlatformsApp & { mastodon: FakeMastodon; bluesky: FakeBluesky; threads: FakeThreads };

/** Starts the three fakes (keeping the application's time), then the application pointing at them. */
export async function testAppWithFediPlatforms(): Promise<FediApp> {
  let app: TestApp | undefined;
  const now = () => app?.clock.now() ?? new Date();
  const mastodon = await startFakeMastodon({
    username: FEDI.mastodon.username,
    token: FEDI.mastodon.token,
    publicUrl: FEDI.mastodon.server,
    now,
  });
  const bluesky = await startFakeBluesky({ ...FEDI.bluesky, now });
  const threads = await startFakeThreads({ username: FEDI.threads.username, token: FEDI.threads.token, now });
  const platforms = await testAppWithPlatforms({
    line: { token: "line-token", basicId: "@iwaki_line" },
    x: { username: "iwaki_x" },
    running: true,
    fakesKeepAppTime: true,
    env: {
      SNSGOV_MASTODON_API_URL: mastodon.url,
      SNSGOV_BLUESKY_PDS_URL: bluesky.url,
      SNSGOV_THREADS_API_URL: threads.apiUrl,
    },
  });
  app = platforms.app;
  return {
    ...platforms,
    mastodon,
    bluesky,
    threads,
    async close() {
      await platforms.close();
      await mastodon.close();
      await bluesky.close();
      await threads.close();
    },
  };
}
