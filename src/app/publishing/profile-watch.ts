/**
 * The profile watch (4.4.3, 7): once a day and on demand, each connected account's profile is
 * read from the platform (name, handle, bio, link). The bio is checked with the checker for what
 * 4.4.3 requires (the media policy and the full URL of the account's page on the city site); a
 * finding tells the account manager. When the name, handle, bio or link changed since the last
 * reading and the new value is not what the registry records (no recorded change: the account's
 * name, handle, homepage and the bio the manager checked), the account manager is alerted at once
 * and offered the incident report form with the account preselected (a hijacked account, 7).
 * The first reading is the baseline.
 */
import { createHash } from "node:crypto";
import { loadChecker } from "../../checker/index.ts";
import { findAccountView } from "../../db/repos/accounts.ts";
import {
  activeConnections,
  type ConnectionRow,
  findConnection,
  updateConnection,
} from "../../db/repos/platform-publishing.ts";
import { notFound } from "../../errors.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { PlatformError, type Profile } from "../../publishing/connector.ts";
import { accountTarget, getAccount } from "../accounts/read.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import type { Actor, AppContext } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { checkerAccount, checkerPlatform } from "../policies/profile.ts";
import { connectorFor } from "./connectors.ts";
import { freshCredentials } from "./fresh-credentials.ts";

type Field = "name" | "handle" | "bio" | "link";
const fields: readonly Field[] = ["name", "handle", "bio", "link"];
export const fieldLabels: Record<Field, string> = {
  name: "表示名",
  handle: "ユーザー名（ハンドル）",
  bio: "プロフィール（自由記述欄）",
  link: "リンク",
};

/** A change found on one account. */
export type ProfileChange = {
  accountId: number;
  field: Field;
  before: string;
  after: string;
  /** Not what the registry records: nobody recorded this change. */
  unrecorded: boolean;
};

export type WatchResult = {
  checked: number;
  changed: ProfileChange[];
  /** 4.4.3 findings on a bio (error severity), per account. */
  bioErrors: { accountId: number; messages: string[] }[];
  failed: { accountId: number; reason: string }[];
};

const normal = (s: string) => s.normalize("NFKC").trim().replace(/^@/, "").toLowerCase();

function storedProfile(value: unknown): Profile | null {
  if (typeof value !== "object" || value === null) return null;
  const get = (k: string) => {
    const v: unknown = Object.entries(value).find(([key]) => key === k)?.[1];
    return typeof v === "string" ? v : "";
  };
  return {
    externalId: get("externalId"),
    name: get("name"),
    handle: get("handle"),
    bio: get("bio"),
    link: get("link"),
  };
}

/** Whether the registry records `value` for `field` (a recorded change). */
function recorded(
  account: { name: string; alias: string; handle: string; homepageUrl: string; currentBio: string },
  field: Field,
  value: string,
): boolean {
  const v = normal(value);
  if (field === "handle") return v === normal(account.handle);
  if (field === "name")
    return v === normal(account.name) || (account.alias !== "" && v === normal(account.alias));
  if (field === "link") return v.replace(/\/+$/, "") === normal(account.homepageUrl).replace(/\/+$/, "");
  return v.replace(/\s+/g, "") === normal(account.currentBio).replace(/\s+/g, "");
}

async function watchOne(
  ctx: AppContext,
  actor: Actor,
  connection: ConnectionRow,
  result: WatchResult,
): Promise<void> {
  const connector = connectorFor(ctx.config, connection.platform);
  const account = await findAccountView(ctx.db, connection.accountId);
  if (!connector || !account) return;
  let profile: Profile;
  try {
    profile = await connector.readProfile(await freshCredentials(ctx, connection, connector));
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    result.failed.push({ accountId: account.id, reason: error.message });
    return;
  }
  result.checked++;
  const checker = await loadChecker();
  const bioFindings =
    connector.platform === "line"
      ? [] // LINE's API does not give the status message: nothing to check.
      : checker
          .check(
            {
              text: profile.bio,
              platform: checkerPlatform(account.platform),
              kind: "bio",
              account: checkerAccount(account),
            },
            ctx.clock.now(),
          )
          .findings.filter((f) => f.severity === "error");
  const previous = storedProfile(connection.profile);
  const changes: ProfileChange[] = previous
    ? fields
        .filter((f) => normal(previous[f]) !== normal(profile[f]))
        .map((f) => ({
          accountId: account.id,
          field: f,
          before: previous[f],
          after: profile[f],
          unrecorded: !recorded(account, f, profile[f]),
        }))
    : [];
  result.changed.push(...changes);
  if (bioFindings.length > 0)
    result.bioErrors.push({
      accountId: account.id,
      messages: bioFindings.map((f) => `${f.message}（${f.clause}）`),
    });
  const unrecorded = changes.filter((c) => c.unrecorded);
  const fingerprint = createHash("sha256").update(JSON.stringify(profile)).digest("hex").slice(0, 16);
  await change(ctx, actor, "account.profile_watch", async (tx, at) => {
    await updateConnection(
      tx,
      connection.id,
      { profile: { ...profile, bioErrors: bioFindings.map((f) => f.message) }, profileCheckedAt: at },
      at,
    );
    const label = platformLabel(account.platform);
    if (unrecorded.length > 0)
      await notify(ctx, tx, {
        recipientIds: [account.managerId],
        kind: "incident",
        urgent: true,
        title: `「${account.name}」の${label}のプロフィールが、記録のないまま変更されています（乗っ取りのおそれ）`,
        body: [
          ...unrecorded.map((c) => `${fieldLabels[c.field]}: 「${c.before}」→「${c.after}」`),
          "心当たりがない場合は、すぐにパスワードを変更し、インシデントとして報告してください（第7）。",
        ].join("\n"),
        href: `/incidents/new?accountId=${account.id}&type=hijack`,
        dedupeKey: `profile:${connection.id}:${fingerprint}`,
      });
    if (bioFindings.length > 0)
      await notify(ctx, tx, {
        recipientIds: [account.managerId],
        kind: "task",
        title: `「${account.name}」の${label}のプロフィールに、第4-4(3)で必要な記載が足りません`,
        body: bioFindings.map((f) => f.message).join("\n"),
        href: `/accounts/${account.id}`,
        dedupeKey: `profile-bio:${connection.id}:${fingerprint}`,
      });
    return {
      result: null,
      target: { type: "account", id: account.id },
      summary: {
        connectionId: connection.id,
        baseline: previous === null,
        changed: changes.map((c) => ({
          field: c.field,
          before: c.before,
          after: c.after,
          unrecorded: c.unrecorded,
        })),
        bioErrors: bioFindings.map((f) => `${f.clause} ${f.rule}`),
      },
    };
  });
}

/**
 * Reads the profile of every connected account (or of one, `accountId`), checks it and alerts
 * as described above.
 */
export async function watchProfiles(
  ctx: AppContext,
  props: { actor: Actor; accountId?: number },
): Promise<WatchResult> {
  const result: WatchResult = { checked: 0, changed: [], bioErrors: [], failed: [] };
  const connections = (await activeConnections(ctx.db)).filter(
    (c) => props.accountId === undefined || c.accountId === props.accountId,
  );
  for (const connection of connections) {
    try {
      await watchOne(ctx, props.actor, connection, result);
    } catch (error) {
      ctx.log.error("profile watch failed", { connectionId: connection.id, error });
      result.failed.push({ accountId: connection.accountId, reason: "プロフィールを確認できませんでした。" });
    }
  }
  return result;
}

/**
 * Checks one account's profile now (the account page's button): its manager or the division's
 * staff (account.manage or policy.draft).
 */
export async function checkProfileNow(
  ctx: AppContext,
  props: { actor: Actor; accountId: number; connectionId: number },
): Promise<WatchResult> {
  const account = await getAccount(ctx, { actor: props.actor, id: props.accountId });
  const target = accountTarget(account);
  if (!allowed(props.actor, "policy.draft", target))
    await authorize(ctx, props.actor, "account.manage", target);
  const connection = await findConnection(ctx.db, props.connectionId);
  if (!connection || connection.accountId !== account.id || connection.status !== "active")
    throw notFound("接続");
  return watchProfiles(ctx, { actor: props.actor, accountId: account.id });
}
