/**
 * Platforms connected with a token the account manager pastes once (no OAuth in snsgov): what the
 * form asks for and which permissions the token is expected to carry. One connect path
 * (`connectWithToken`) and one form serve them all; a platform is added here, not copied.
 */
import type { Platform } from "../../guideline/pack.ts";
import { MASTODON_SCOPES } from "../../publishing/mastodon.ts";
import { THREADS_SCOPES } from "../../publishing/threads.ts";

export type TokenForm = {
  /** The label of the token field. */
  tokenLabel: string;
  /** Where the token comes from (shown under the field). */
  tokenHint: string;
  /**
   * A second field for the platform's id of the account, when the token alone does not say which
   * account it acts for (kept with the token as `Credentials.accountId`).
   */
  accountId?: { label: string; hint: string };
  /** The permissions (scopes) recorded on the connection. */
  scopes: string;
};

const KEPT = "保存後は暗号化して保管し、二度と表示しません。";

export const tokenForms: Partial<Record<Platform, TokenForm>> = {
  line: {
    tokenLabel: "チャネルアクセストークン（長期）",
    tokenHint: `LINE Developersコンソールの「Messaging API設定」で発行したものを貼り付けてください。${KEPT}`,
    scopes: "",
  },
  facebook: {
    tokenLabel: "ページアクセストークン（長期）",
    tokenHint: `Metaの開発者向けツールで、市のアプリにこのページの pages_manage_posts・pages_read_engagement・pages_show_list を許可して発行した、期限のないページアクセストークンを貼り付けてください。${KEPT}`,
    scopes: "pages_manage_posts pages_read_engagement pages_show_list",
  },
  instagram: {
    tokenLabel: "アクセストークン（長期）",
    tokenHint: `Instagramとつながっているページを管理できる人が、市のアプリに instagram_basic・instagram_content_publish・pages_read_engagement・pages_show_list を許可して発行した長期のトークンを貼り付けてください。${KEPT}`,
    accountId: {
      label: "InstagramビジネスアカウントのID",
      hint: "数字のIDです（ページの設定、またはグラフAPIエクスプローラーで instagram_business_account として確認できます）。",
    },
    scopes: "instagram_basic instagram_content_publish pages_read_engagement pages_show_list",
  },
  mastodon: {
    tokenLabel: "アクセストークン",
    tokenHint: `アカウントのサーバーの「設定」→「開発」→「新規アプリ」で、権限 ${MASTODON_SCOPES.join("・")} を選んで作ったアプリの「アクセストークン」を貼り付けてください。${KEPT}`,
    scopes: MASTODON_SCOPES.join(" "),
  },
  threads: {
    tokenLabel: "長期アクセストークン",
    tokenHint: `市のMetaアプリ（Threads API）で、権限 ${THREADS_SCOPES.join("・")} を許可して発行した長期アクセストークン（有効期間60日）を貼り付けてください。${KEPT}`,
    scopes: THREADS_SCOPES.join(" "),
  },
};

/** The token form of a platform, if it is connected with a pasted token. */
export function tokenFormOf(platform: string): TokenForm | undefined {
  return Object.entries(tokenForms).find(([p]) => p === platform)?.[1];
}
