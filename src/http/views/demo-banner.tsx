/**
 * The line every page of the demo (`npm run demo`) opens with: the demo's city, accounts, media
 * policies, notices and posts are invented, and must not pass for a real city's official texts.
 */
import type { FC } from "hono/jsx";

export const DemoBanner: FC<{ demo: boolean | undefined }> = ({ demo }) =>
  demo ? (
    <p class="notice notice-warning demo-banner" role="note">
      <strong>デモ環境（サンプル）です。</strong>
      表示内容はすべてデモ用のサンプルで、実在の自治体の公式情報ではありません。
    </p>
  ) : null;
