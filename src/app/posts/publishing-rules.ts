/**
 * Pure rules of the publishing part: the platform of an account, and the wording of the tasks it
 * opens. (Whether a URL is a post of the account: domain/platforms.ts `checkPostUrl`.) No I/O.
 */

import type { Platform } from "../../guideline/pack.ts";
import { platforms } from "../../guideline/pack.ts";

/** The platform of an account, or "other" for an unknown value. */
export function platformOf(value: string): Platform {
  return platforms.find((p) => p === value) ?? "other";
}

/** The title of the reminder opened at a post's schedule time. */
export function reminderTitle(accountName: string): string {
  return `予定時刻になりました。「${accountName}」の承認済みの投稿を発信し、発信を記録してください`;
}

/** The title of a correction task (5.3.2). */
export function correctionTitle(accountName: string, forManager: boolean): string {
  return forManager
    ? `「${accountName}」の誤りのある投稿の訂正を確認してください（第5-3(2)）`
    : `「${accountName}」の誤りのある投稿を訂正してください（第5-3(2)）`;
}
