/**
 * The registry as CSV (UTF-8 with BOM, opens in Excel): every account the person may see, with
 * its status and the facts the guideline asks to keep.
 */
import type { AccountFilter } from "../../db/repos/accounts.ts";
import { accountStatusLabels } from "../../domain/accounts.ts";
import { platformLabel } from "../../guideline/pack.ts";
import type { Actor, AppContext } from "../context.ts";
import { toCsvBytes } from "../csv.ts";
import { searchAccounts } from "./read.ts";

export const registryHeaders = [
  "番号",
  "サービス",
  "アカウント名",
  "通称",
  "ユーザー名",
  "URL",
  "所管部",
  "所管課",
  "アカウント管理者",
  "状態",
  "情報統括管理者への届出",
  "アカウント作成日",
  "二段階認証",
  "所管サイトURL",
  "登録の経緯",
];

export async function exportRegistry(
  ctx: AppContext,
  props: { actor: Actor; filter: Omit<AccountFilter, "visibleDivisionIds"> },
): Promise<{ filename: string; body: Uint8Array; count: number }> {
  const accounts = await searchAccounts(ctx, props);
  const rows = accounts.map((a) => [
    String(a.id),
    platformLabel(a.platform),
    a.name,
    a.alias,
    a.handle,
    a.url,
    a.departmentName,
    a.divisionName,
    a.managerName ?? "",
    accountStatusLabels[a.status],
    a.securityConfirmedAt ? "確認済" : a.securityNotifiedAt ? "届出未確認" : "",
    a.platformCreatedOn ?? "",
    a.registeredAt ? (a.mfaEnabled ? "有効" : "無効") : "",
    a.homepageUrl,
    a.origin === "existing" ? "既存アカウントとして登録" : "申請",
  ]);
  return {
    filename: "公式アカウント一覧.csv",
    body: toCsvBytes([registryHeaders, ...rows]),
    count: rows.length,
  };
}
