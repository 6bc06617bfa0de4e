/**
 * Guideline versions (8.1 総合政策部長が見直し): the shipped version recorded at first start, the
 * list and one version with what it changed (clause by clause, and in the rules), drafts made
 * from the current version or imported from a pack file, and publishing with an effective date
 * and a summary — by the policy director only. A published version never changes.
 */
import { z } from "zod";
import * as repo from "../../db/repos/guideline.ts";
import { tokyoDate } from "../../domain/dates.ts";
import { type ClauseChange, clauseChangeCounts, clauseDiff } from "../../domain/guideline-diff.ts";
import { type PackChange, packChanges } from "../../domain/guideline-pack-changes.ts";
import { conflict, notFound, validation } from "../../errors.ts";
import { change } from "../audit/record.ts";
import { allowed, authorize } from "../authorize.ts";
import { type Actor, type AppContext, actorId, systemActor } from "../context.ts";
import { parse, plainDate } from "../validate.ts";
import { type PackFile, packFile, readPackFile } from "./pack-file.ts";
import { type ClauseMap, SHIPPED_EFFECTIVE_DATE, shippedContent } from "./shipped.ts";
import { contentOf, packToStore, sourceOf } from "./stored.ts";

/** The audit target of a version. */
export const versionTarget = (id: number) => ({ type: "guideline_version", id });

/** Thrown inside a transaction to leave it without a change (and without an audit entry). */
class NothingToDo extends Error {}

/**
 * Records the shipped guideline as version 1 (effective 2016-04-01) when no version exists yet.
 * Idempotent and safe from several instances (an advisory lock, then a second look). Returns
 * true when it recorded it.
 */
export async function ensureShippedVersion(ctx: AppContext): Promise<boolean> {
  if ((await repo.countVersions(ctx.db)) > 0) return false;
  const shipped = await shippedContent();
  try {
    await change(ctx, systemActor("system"), "guideline.publish", async (tx, at) => {
      await repo.lockGuideline(tx);
      if ((await repo.countVersions(tx)) > 0) throw new NothingToDo();
      const row = await repo.insertVersion(tx, {
        label: shipped.guideline.versionLabel,
        effectiveDate: shipped.guideline.effectiveDate || SHIPPED_EFFECTIVE_DATE,
        pack: packToStore("shipped", shipped),
        clauses: shipped.clauses,
        summary: `${shipped.guideline.name}（${shipped.guideline.versionLabel}）をこのシステムの初版として登録しました。`,
        status: "published",
        publishedAt: at,
      });
      return {
        result: row,
        target: versionTarget(row.id),
        summary: { label: row.label, effectiveDate: row.effectiveDate, source: "shipped" },
      };
    });
    return true;
  } catch (error) {
    if (error instanceof NothingToDo) return false;
    throw error;
  }
}

/** Versions the actor may see: published ones; drafts too for the policy director. */
export async function listGuidelineVersions(ctx: AppContext, props: { actor: Actor }) {
  await authorize(ctx, props.actor, "guideline.read");
  await ensureShippedVersion(ctx);
  return repo.listVersions(ctx.db, { drafts: allowed(props.actor, "guideline.publish") });
}

/** One version with its text and what it changed against the version before it. */
export type VersionDetail = {
  version: repo.GuidelineVersionSummary;
  source: "shipped" | "file";
  clauses: ClauseMap;
  /** The guideline's headings (section id → heading), shown apart from the clauses' text. */
  headings: Record<string, string>;
  previous: { id: number; label: string } | null;
  /** Every clause compared with the previous version (all `added` for the first). */
  clauseChanges: ClauseChange[];
  /** Changes in the rules (vocabularies, deadlines, templates…), capped. */
  ruleChanges: PackChange[];
  ruleChangesTotal: number;
};

async function visibleVersion(ctx: AppContext, actor: Actor, id: number) {
  await authorize(ctx, actor, "guideline.read");
  const version = await repo.findVersion(ctx.db, id);
  // A draft is the policy director's working copy: others are told it does not exist.
  if (!version || (version.status === "draft" && !allowed(actor, "guideline.publish"))) {
    throw notFound("ガイドラインの版");
  }
  return version;
}

/** A version with what it changed. Drafts are seen only by the policy director. */
export async function getGuidelineVersion(
  ctx: AppContext,
  props: { actor: Actor; id: number },
): Promise<VersionDetail> {
  const row = await visibleVersion(ctx, props.actor, props.id);
  const [summary, previous] = await Promise.all([
    repo.findVersionSummary(ctx.db, row.id),
    repo.publishedBefore(ctx.db, row),
  ]);
  if (!summary) throw notFound("ガイドラインの版");
  const content = await contentOf(row);
  const before = previous ? await contentOf(previous) : undefined;
  const rules = before
    ? packChanges(
        { guideline: before.guideline, checker: before.checker },
        { guideline: content.guideline, checker: content.checker },
      )
    : { changes: [], total: 0 };
  return {
    version: summary,
    source: sourceOf(row.pack),
    clauses: content.clauses,
    headings: content.guideline.headings,
    previous: previous ? { id: previous.id, label: previous.label } : null,
    clauseChanges: clauseDiff(before?.clauses, content.clauses),
    ruleChanges: rules.changes,
    ruleChangesTotal: rules.total,
  };
}

/** The pack file of a version (export). */
export async function exportGuidelineVersion(
  ctx: AppContext,
  props: { actor: Actor; id: number },
): Promise<PackFile> {
  const row = await visibleVersion(ctx, props.actor, props.id);
  return packFile(row, await contentOf(row));
}

/** A new draft copying the newest published version (rules and text), to edit its wording. */
export async function draftFromCurrent(ctx: AppContext, props: { actor: Actor }) {
  await authorize(ctx, props.actor, "guideline.publish");
  await ensureShippedVersion(ctx);
  return change(ctx, props.actor, "guideline.draft", async (tx, at) => {
    const current = await repo.newestPublished(tx);
    const base = current ? await repo.findVersion(tx, current.id) : undefined;
    if (!base) throw conflict("元にする公開済みの版がありません。");
    const row = await repo.insertVersion(tx, {
      label: `${base.label}の改正案`,
      effectiveDate: tokyoDate(at),
      pack: base.pack,
      clauses: base.clauses,
      summary: "",
      status: "draft",
      createdBy: actorId(props.actor),
    });
    return {
      result: row,
      target: versionTarget(row.id),
      summary: { from: base.id, label: row.label, source: sourceOf(base.pack) },
    };
  });
}

/**
 * A new draft from a pack file (another municipality's guideline, or an edited export). The
 * file is validated in full before anything is written.
 */
export async function importGuidelinePack(ctx: AppContext, props: { actor: Actor; input: unknown }) {
  await authorize(ctx, props.actor, "guideline.publish");
  const parsed = await readPackFile(props.input);
  return change(ctx, props.actor, "guideline.import", async (tx, at) => {
    const row = await repo.insertVersion(tx, {
      label: parsed.label || `${parsed.guideline.name}（取り込み）`,
      effectiveDate: parsed.effectiveDate ?? tokyoDate(at),
      pack: packToStore("file", parsed),
      clauses: parsed.clauses,
      summary: parsed.summary,
      status: "draft",
      createdBy: actorId(props.actor),
    });
    return {
      result: row,
      target: versionTarget(row.id),
      summary: {
        label: row.label,
        municipality: parsed.guideline.municipality,
        clauses: Object.keys(parsed.clauses).length,
        vocabularyEntries: parsed.checker.vocabulary.entries.length,
      },
    };
  });
}

const clauseId = z
  .string()
  .trim()
  .regex(/^(\d+(\.\d+)*|[^\s.]{1,10})$/, {
    error: "条項の番号は「5.2.2.1」のように数字とピリオドで入力してください。",
  });

export const draftInput = z.object({
  label: z
    .string({ error: "版の名称を入力してください。" })
    .trim()
    .min(1, { error: "版の名称を入力してください。" })
    .max(100, { error: "版の名称は100文字以内で入力してください。" }),
  effectiveDate: plainDate("施行日"),
  summary: z.string().trim().max(5000, { error: "改正の概要は5000文字以内で入力してください。" }).default(""),
  /** Clause id → text; an empty text removes the clause. Omitted: the clauses stay as they are. */
  clauses: z
    .record(clauseId, z.string().max(10_000, { error: "条項の本文は10,000文字以内で入力してください。" }))
    .optional(),
});

/** Edits a draft: its name, planned effective date, summary and clauses' wording. */
export async function updateGuidelineDraft(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
) {
  await authorize(ctx, props.actor, "guideline.publish");
  const input = parse(draftInput, props.input);
  return change(ctx, props.actor, "guideline.update", async (tx) => {
    const row = await repo.lockVersion(tx, props.id);
    if (!row) throw notFound("ガイドラインの版");
    if (row.status !== "draft")
      throw conflict("公開済みの版は変更できません。新しい版の下書きを作成してください。");
    let clauses: ClauseMap | undefined;
    if (input.clauses) {
      clauses = {};
      for (const [id, text] of Object.entries(input.clauses)) {
        const trimmed = text.trim();
        if (trimmed) clauses[id] = trimmed.replace(/\r\n/g, "\n");
      }
      if (Object.keys(clauses).length === 0)
        throw validation("条項が1件もありません。少なくとも1件の条項を残してください。");
    }
    const before = z.record(z.string(), z.string()).catch({}).parse(row.clauses);
    const updated = await repo.updateVersion(tx, row.id, {
      label: input.label,
      effectiveDate: input.effectiveDate,
      summary: input.summary,
      ...(clauses ? { clauses } : {}),
    });
    const counts = clauses ? clauseChangeCounts(clauseDiff(before, clauses)) : null;
    return {
      result: updated ?? row,
      target: versionTarget(row.id),
      summary: {
        label: input.label,
        effectiveDate: input.effectiveDate,
        ...(counts
          ? { clauses: { added: counts.added, removed: counts.removed, changed: counts.changed } }
          : {}),
      },
    };
  });
}

export const publishInput = z.object({
  effectiveDate: plainDate("施行日"),
  summary: z
    .string({ error: "改正の概要を入力してください。" })
    .trim()
    .min(1, { error: "改正の概要（何を変えたか）を入力してください。職員が確認する画面に表示されます。" })
    .max(5000, { error: "改正の概要は5000文字以内で入力してください。" }),
});

/**
 * Publishes a draft (8.1): from its effective date it is the version in force. The date may not
 * be in the past (the rules a post was checked by never change afterwards). The policy director
 * who publishes it has thereby acknowledged it (8.2).
 */
export async function publishGuidelineVersion(
  ctx: AppContext,
  props: { actor: Actor; id: number; input: unknown },
) {
  await authorize(ctx, props.actor, "guideline.publish");
  const input = parse(publishInput, props.input);
  const today = tokyoDate(ctx.clock.now());
  if (input.effectiveDate < today) {
    throw validation(
      "施行日には今日以降の日付を入力してください（過去の日付にすると、すでに確認した投稿の基準が変わってしまいます）。",
      [{ field: "effectiveDate", message: "施行日には今日以降の日付を入力してください。" }],
    );
  }
  return change(ctx, props.actor, "guideline.publish", async (tx, at) => {
    const row = await repo.lockVersion(tx, props.id);
    if (!row) throw notFound("ガイドラインの版");
    if (row.status !== "draft") throw conflict("この版はすでに公開されています。");
    const previous = await repo.publishedBefore(tx, row);
    const published = await repo.updateVersion(tx, row.id, {
      status: "published",
      effectiveDate: input.effectiveDate,
      summary: input.summary,
      publishedBy: actorId(props.actor),
      publishedAt: at,
    });
    const staffId = actorId(props.actor);
    if (staffId !== null) await repo.insertAcknowledgement(tx, { versionId: row.id, staffId, at });
    const before = previous ? z.record(z.string(), z.string()).catch({}).parse(previous.clauses) : undefined;
    const after = z.record(z.string(), z.string()).catch({}).parse(row.clauses);
    const counts = clauseChangeCounts(clauseDiff(before, after));
    return {
      result: published ?? row,
      target: versionTarget(row.id),
      summary: {
        label: row.label,
        effectiveDate: input.effectiveDate,
        previous: previous?.id ?? null,
        clauses: { added: counts.added, removed: counts.removed, changed: counts.changed },
        source: sourceOf(row.pack),
      },
    };
  });
}

/** Discards a draft (published versions stay forever). */
export async function discardGuidelineDraft(ctx: AppContext, props: { actor: Actor; id: number }) {
  await authorize(ctx, props.actor, "guideline.publish");
  return change(ctx, props.actor, "guideline.discard", async (tx) => {
    const row = await repo.lockVersion(tx, props.id);
    if (!row) throw notFound("ガイドラインの版");
    if (row.status !== "draft") throw conflict("公開済みの版は削除できません。");
    await repo.deleteDraftVersion(tx, row.id);
    return { result: null, target: versionTarget(row.id), summary: { label: row.label } };
  });
}
