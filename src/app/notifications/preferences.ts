/**
 * How each person wants notifications e-mailed, per kind: immediately, in the 08:00 digest, or not
 * at all. Urgent kinds are shown but cannot be changed (always immediately). Only the person
 * themselves reads and changes their preferences.
 */
import { z } from "zod";
import * as repo from "../../db/repos/notifications.ts";
import { findStaff } from "../../db/repos/staff.ts";
import { notFound } from "../../errors.ts";
import { change } from "../audit/record.ts";
import type { AppContext, StaffActor } from "../context.ts";
import { parse } from "../validate.ts";
import {
  type DeliveryMode,
  deliveryModes,
  isDeliveryMode,
  kindInfo,
  type NotificationKind,
  notificationKinds,
} from "./kinds.ts";

export type KindPreference = {
  kind: NotificationKind;
  label: string;
  hint: string;
  mode: DeliveryMode;
  defaultMode: DeliveryMode;
  /** Always immediately; the choice is not offered. */
  alwaysUrgent: boolean;
};

export type Preferences = {
  /** False when no SMTP server is configured: notifications appear in the app only. */
  emailEnabled: boolean;
  email: string;
  kinds: KindPreference[];
};

/** The person's preferences, every kind listed (defaults where they have not chosen). */
export async function myPreferences(ctx: AppContext, props: { actor: StaffActor }): Promise<Preferences> {
  const [person, chosen] = await Promise.all([
    findStaff(ctx.db, props.actor.staffId),
    repo.preferencesOf(ctx.db, props.actor.staffId),
  ]);
  if (!person) throw notFound("職員");
  return {
    emailEnabled: ctx.config.smtp !== undefined,
    email: person.email,
    kinds: notificationKinds.map((kind) => {
      const info = kindInfo[kind];
      const stored = chosen.get(kind);
      const mode = info.alwaysUrgent
        ? "immediate"
        : stored !== undefined && isDeliveryMode(stored)
          ? stored
          : info.defaultMode;
      return {
        kind,
        label: info.label,
        hint: info.hint,
        mode,
        defaultMode: info.defaultMode,
        alwaysUrgent: info.alwaysUrgent,
      };
    }),
  };
}

const modeField = z.enum(deliveryModes, { error: "受け取り方を選択してください。" });

/** Input: a mode per kind (kinds left out keep their setting; urgent kinds are ignored). */
export const preferencesInput = z.strictObject(
  Object.fromEntries(notificationKinds.map((k) => [k, modeField.optional()])),
  { error: "通知の種類が正しくありません。" },
);

/** Saves the person's choices; returns the preferences as they now are. */
export async function savePreferences(
  ctx: AppContext,
  props: { actor: StaffActor; input: unknown },
): Promise<Preferences> {
  const input = parse(preferencesInput, props.input);
  const before = await myPreferences(ctx, props);
  const changes: Record<string, { before: DeliveryMode; after: DeliveryMode }> = {};
  for (const pref of before.kinds) {
    const wanted = input[pref.kind];
    if (wanted === undefined || pref.alwaysUrgent || wanted === pref.mode) continue;
    changes[pref.kind] = { before: pref.mode, after: wanted };
  }
  if (Object.keys(changes).length === 0) return before;
  await change(ctx, props.actor, "notification.preferences", async (tx) => {
    for (const [kind, { after }] of Object.entries(changes)) {
      await repo.putPreference(tx, props.actor.staffId, kind, after);
    }
    return { result: undefined, target: { type: "staff", id: props.actor.staffId }, summary: { changes } };
  });
  return myPreferences(ctx, props);
}
