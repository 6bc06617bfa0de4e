/**
 * A test application wired to loopback fakes of LINE and X (and, when asked, Facebook and
 * Instagram) (src/publishing/fakes), with its own token key file: the setup the publishing tests
 * share. With Instagram, the web application also listens on loopback, so the fake fetches the
 * signed image URLs (`/media/s/…`) as Instagram would. No test reaches the internet.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { createHttpApp } from "../../src/http/app.tsx";
import { type FakeFacebook, startFakeFacebook } from "../../src/publishing/fakes/facebook.ts";
import { type FakeInstagram, startFakeInstagram } from "../../src/publishing/fakes/instagram.ts";
import { type FakeLine, startFakeLine } from "../../src/publishing/fakes/line.ts";
import { type FakeX, startFakeX } from "../../src/publishing/fakes/x.ts";
import { type TestApp, testApp } from "./context.ts";

export type PlatformsApp = {
  app: TestApp;
  line: FakeLine;
  x: FakeX;
  /** Started when `options.facebook` / `options.instagram` is given. */
  facebook: FakeFacebook | undefined;
  instagram: FakeInstagram | undefined;
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
  /** `app`: the city's Meta app is configured (Facebook Login offered beside the pasted token). */
  facebook?: { token: string; username: string; app?: { id: string; secret: string } };
  /** `app`: the city's Meta app is configured (Facebook Login offered for Instagram too). */
  instagram?: { token: string; username: string; app?: { id: string; secret: string } };
  running?: boolean;
  fakesKeepAppTime?: boolean;
  env?: Record<string, string>;
}): Promise<PlatformsApp> {
  let app: TestApp | undefined;
  const clock = options.fakesKeepAppTime ? { now: () => app?.clock.now() ?? new Date() } : {};
  const line = await startFakeLine({ ...options.line, ...clock });
  const x = await startFakeX({ username: options.x.username, clientId: "city-app", ...clock });
  const facebook = options.facebook ? await startFakeFacebook({ ...options.facebook, ...clock }) : undefined;
  const instagram = options.instagram
    ? await startFakeInstagram({ ...options.instagram, ...clock })
    : undefined;
  // The application on loopback for Instagram's image fetches (its handler is set once it exists).
  let listener: ReturnType<typeof getRequestListener> | undefined;
  const web: Server | undefined = instagram
    ? createServer((req, res) => {
        if (listener) void listener(req, res);
        else res.writeHead(503).end();
      })
    : undefined;
  if (web) await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  const webAddress: AddressInfo | string | null | undefined = web?.address();
  const webUrl = typeof webAddress === "object" && webAddress ? `http://127.0.0.1:${webAddress.port}` : "";
  const keyFile = join(tmpdir(), `snsgov-token-keys-${randomUUID()}.json`);
  const started = await testApp({
    ...(options.running ? { running: true } : {}),
    env: {
      SNSGOV_TOKEN_KEY_FILE: keyFile,
      SNSGOV_LINE_API_URL: line.url,
      SNSGOV_X_API_URL: x.url,
      SNSGOV_X_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
      SNSGOV_X_CLIENT_ID: "city-app",
      // Link cards only from loopback: no test looks up or reaches an address outside this machine.
      SNSGOV_LINK_CARDS: "loopback",
      ...(facebook ? { SNSGOV_FACEBOOK_API_URL: facebook.apiUrl } : {}),
      ...(facebook && options.facebook?.app
        ? {
            SNSGOV_FACEBOOK_DIALOG_URL: `${facebook.apiUrl}/dialog/oauth`,
            SNSGOV_META_APP_ID: options.facebook.app.id,
            SNSGOV_META_APP_SECRET: options.facebook.app.secret,
          }
        : {}),
      ...(instagram ? { SNSGOV_INSTAGRAM_API_URL: instagram.apiUrl, SNSGOV_MEDIA_PUBLIC_URL: webUrl } : {}),
      ...(instagram && options.instagram?.app
        ? {
            SNSGOV_FACEBOOK_DIALOG_URL: `${instagram.apiUrl}/dialog/oauth`,
            SNSGOV_META_APP_ID: options.instagram.app.id,
            SNSGOV_META_APP_SECRET: options.instagram.app.secret,
          }
        : {}),
      ...options.env,
    },
  });
  app = started;
  if (web) listener = getRequestListener(createHttpApp(started.ctx).fetch);
  return {
    app: started,
    line,
    x,
    facebook,
    instagram,
    keyFile,
    async close() {
      if (web) {
        web.closeAllConnections();
        await new Promise<void>((resolve) => web.close(() => resolve()));
      }
      await started.close();
      await line.close();
      await x.close();
      await facebook?.close();
      await instagram?.close();
      await rm(keyFile, { force: true });
    },
  };
}
