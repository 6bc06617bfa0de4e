/**
 * A test application wired to loopback fakes of LINE and X (src/publishing/fakes), with its own
 * token key file: the setup the publishing tests share. No test reaches the internet.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeLine, startFakeLine } from "../../src/publishing/fakes/line.ts";
import { type FakeX, startFakeX } from "../../src/publishing/fakes/x.ts";
import { type TestApp, testApp } from "./context.ts";

export type PlatformsApp = {
  app: TestApp;
  line: FakeLine;
  x: FakeX;
  /** Where the token encryption keys are kept (mode 0600). */
  keyFile: string;
  /** Closes the application and the fakes and removes the key file. */
  close(): Promise<void>;
};

/**
 * Starts the fakes, then an application whose configuration points at them.
 * @param options.line the LINE channel's token and basic id
 * @param options.x the X account's username (the client id is `city-app`)
 * @param options.running a clock that runs with real time
 * @param options.fakesKeepAppTime the fakes read the application's clock, as platforms keep real time
 * @param options.env further configuration variables
 */
export async function testAppWithPlatforms(options: {
  line: { token: string; basicId: string };
  x: { username: string };
  running?: boolean;
  fakesKeepAppTime?: boolean;
  env?: Record<string, string>;
}): Promise<PlatformsApp> {
  let app: TestApp | undefined;
  const clock = options.fakesKeepAppTime ? { now: () => app?.clock.now() ?? new Date() } : {};
  const line = await startFakeLine({ ...options.line, ...clock });
  const x = await startFakeX({ username: options.x.username, clientId: "city-app", ...clock });
  const keyFile = join(tmpdir(), `snsgov-token-keys-${randomUUID()}.json`);
  const started = await testApp({
    ...(options.running ? { running: true } : {}),
    env: {
      SNSGOV_TOKEN_KEY_FILE: keyFile,
      SNSGOV_LINE_API_URL: line.url,
      SNSGOV_X_API_URL: x.url,
      SNSGOV_X_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
      SNSGOV_X_CLIENT_ID: "city-app",
      ...options.env,
    },
  });
  app = started;
  return {
    app: started,
    line,
    x,
    keyFile,
    async close() {
      await started.close();
      await line.close();
      await x.close();
      await rm(keyFile, { force: true });
    },
  };
}
