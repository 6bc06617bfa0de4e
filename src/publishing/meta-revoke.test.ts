/**
 * Meta's platforms have no documented way to revoke one page token or a Threads token through the
 * API: each connector answers `unsupported` at once (asking nothing: the base URL here answers
 * nobody, so a request would fail as transient instead) with where the token is invalidated.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PlatformError } from "./connector.ts";
import { facebookConnector } from "./facebook.ts";
import { instagramConnector } from "./instagram.ts";
import { threadsConnector } from "./threads.ts";

const nowhere = "http://127.0.0.1:9/v25.0";

test("Facebook, Instagram and Threads: revoke says 'unsupported', why, and where to do it", async () => {
  const cases = [
    [
      facebookConnector(nowhere),
      /Facebookの接続に使うページのアクセストークンを1つだけ無効にする手段は、MetaのAPIにありません/,
    ],
    [
      instagramConnector({ baseUrl: nowhere }),
      /Instagramの接続に使うページのアクセストークン.*「設定とプライバシー → 設定 → ビジネス統合」/,
    ],
    [threadsConnector({ apiUrl: nowhere }), /Threadsの「設定 → アカウント → ウェブサイトのアクセス許可」/],
  ] as const;
  for (const [connector, message] of cases)
    await assert.rejects(
      connector.revoke?.({ accessToken: "t", accountId: "1" }) ?? Promise.resolve(),
      (e: unknown) => {
        assert.ok(e instanceof PlatformError);
        assert.equal(e.kind, "unsupported", connector.platform);
        assert.match(e.message, message);
        return true;
      },
    );
});
