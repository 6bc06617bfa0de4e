/**
 * The audit log viewer: filter by period, person, action (by its Japanese label, grouped by
 * area), target and free text; newest first, continuing page by page; each entry's details as
 * sentences with the recorded JSON one click away; the filtered entries as CSV. Read-only (the
 * export is recorded).
 */
import { Hono } from "hono";
import { auditFilterGroups, exportAuditCsv, searchAudit, verifyAuditNow } from "../../app/audit/read.ts";
import type { RewrittenRange as RewrittenRangeData } from "../../app/audit/verify.ts";
import { allowed } from "../../app/authorize.ts";
import type { AuditFilter } from "../../db/repos/audit.ts";
import { type AuditActionGroup, auditActionLabel } from "../../domain/audit-actions.ts";
import type { AuditEntryRecord } from "../../domain/audit-chain.ts";
import { auditSummaryJson, auditTargetText, describeAuditEntry } from "../../domain/audit-summary.ts";
import { addDays, isPlainDate, tokyoDayStart } from "../../domain/dates.ts";
import type { AppEnv } from "../env.ts";
import { actorOf, render } from "../render.tsx";
import { TextField } from "../views/components.tsx";
import { DateTime } from "../views/dates.tsx";

const PAGE = 50;

/** The action filter: every area (all its actions) and every action, grouped by area. */
function ActionSelect(props: { value: string | undefined; groups: AuditActionGroup[] }) {
  const value = props.value ?? "";
  return (
    <div class="field">
      <label for="field-action">操作</label>
      <select id="field-action" name="action">
        <option value="">すべての操作</option>
        {props.groups.map((group) => (
          <optgroup label={group.label}>
            <option value={`${group.area}.`} selected={value === `${group.area}.`}>
              {`${group.label}のすべての操作`}
            </option>
            {group.actions.map((a) => (
              <option value={a.action} selected={value === a.action}>
                {a.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** The 内容 cell: the recorded details as sentences, and the JSON behind a disclosure. */
function EntryDetails(props: { entry: AuditEntryRecord }) {
  const sentences = describeAuditEntry(props.entry);
  const json = auditSummaryJson(props.entry.summary);
  const empty = json === "" || json === "{}" || json === "null";
  return (
    <>
      {sentences.length ? (
        <ul class="audit-sentences">
          {sentences.map((s) => (
            <li>{s}</li>
          ))}
        </ul>
      ) : null}
      {empty ? null : (
        <details class="audit-json">
          <summary>記録（JSON）</summary>
          <pre class="mono">{json}</pre>
        </details>
      )}
    </>
  );
}

/** The entries a rewritten chain may have changed, between the last matching and the first differing checkpoint. */
function RewrittenRange(props: { range: RewrittenRangeData }) {
  const r = props.range;
  return (
    <p>
      <strong>
        番号 {r.from} から {r.to} までの記録が書き換えられた可能性があります。
      </strong>
      署名付きチェックポイント #{r.firstBad} が記録と一致しません
      {r.lastGood === null
        ? "（それより前に一致するチェックポイントはありません）。"
        : `（#${r.lastGood} までは一致しています）。`}
    </p>
  );
}

/** The viewer's filter from its query string. */
function filterOf(q: Record<string, string>): AuditFilter {
  return {
    from: isPlainDate(q.from) ? tokyoDayStart(q.from) : undefined,
    to: isPlainDate(q.to) ? tokyoDayStart(addDays(q.to, 1)) : undefined,
    actorId: Number(q.actor) || undefined,
    action: q.action?.trim() || undefined,
    targetType: q.targetType?.trim() || undefined,
    targetId: q.targetId?.trim() || undefined,
    text: q.text?.trim() || undefined,
  };
}

export function auditRoutes() {
  const r = new Hono<AppEnv>();
  r.get("/audit", async (c) => {
    const actor = actorOf(c);
    const q = c.req.query();
    const filter = filterOf(q);
    const before = Number(q.before) || undefined;
    const entries = await searchAudit(c.var.app, { actor, filter, beforeSeq: before, limit: PAGE + 1 });
    const shown = entries.slice(0, PAGE);
    const more = entries.length > PAGE;
    const nextParams = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v && k !== "before") nextParams.set(k, v);
    nextParams.set("before", String(shown.at(-1)?.seq ?? 0));
    const exportParams = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v && k !== "before") exportParams.set(k, v);
    return render(
      c,
      "監査ログ",
      <>
        <h1>監査ログ</h1>
        <p>
          すべての変更は、変更と同じ処理の中で1件ずつ記録され、前の記録のハッシュ値とつながっています（改ざん検知）。記録は追記のみで、変更・削除はできません。
        </p>
        <p>
          <a href="/audit/verify">改ざんがないかを確認する（全件を再計算します）</a>
        </p>
        <form method="get" action="/audit" class="filters" aria-label="監査ログの検索">
          <TextField name="from" label="期間（から）" type="date" value={q.from} />
          <TextField name="to" label="期間（まで）" type="date" value={q.to} />
          <ActionSelect value={q.action} groups={auditFilterGroups(actor)} />
          <TextField name="targetType" label="対象の種類（例: staff）" value={q.targetType} />
          <TextField name="targetId" label="対象の番号" value={q.targetId} />
          <TextField name="actor" label="操作した職員の番号" value={q.actor} inputmode="numeric" />
          <TextField name="text" label="キーワード" type="search" value={q.text} />
          <button type="submit">検索</button>
        </form>
        {allowed(actor, "audit.export") ? (
          <p>
            <a href={`/audit/export.csv${exportParams.size ? `?${exportParams.toString()}` : ""}`}>
              この条件の記録をCSVで書き出す（1万件まで。超えるときは条件を絞ってください。書き出したことも記録されます）
            </a>
          </p>
        ) : null}
        <div class="table-wrap">
          <table class="audit-log">
            <caption>{`監査ログ（新しい順、${shown.length}件表示）`}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  番号
                </th>
                <th scope="col">日時</th>
                <th scope="col">操作した人</th>
                <th scope="col">操作</th>
                <th scope="col">対象</th>
                <th scope="col">内容</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr>
                  <td class="num">{e.seq}</td>
                  <td>
                    <DateTime at={new Date(e.at)} seconds />
                  </td>
                  <td>{e.actorId ? <a href={`/staff/${e.actorId}`}>{e.actorLabel}</a> : e.actorLabel}</td>
                  <td>
                    {auditActionLabel(e.action)}
                    <div class="hint mono">{e.action}</div>
                  </td>
                  <td>{auditTargetText(e.targetType, e.targetId)}</td>
                  <td class="audit-details">
                    <EntryDetails entry={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {shown.length === 0 ? <p>条件に合う記録はありません。</p> : null}
        {more ? (
          <nav class="pagination" aria-label="ページ送り">
            <a href={`/audit?${nextParams.toString()}`}>さらに古い記録</a>
          </nav>
        ) : null}
      </>,
    );
  });
  r.get("/audit/export.csv", async (c) => {
    const file = await exportAuditCsv(c.var.app, { actor: actorOf(c), filter: filterOf(c.req.query()) });
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header(
      "Content-Disposition",
      `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return c.body(Buffer.from(file.body));
  });
  r.get("/audit/verify", async (c) => {
    const result = await verifyAuditNow(c.var.app, { actor: actorOf(c) });
    const body = !result ? (
      <div class="notice notice-warning" role="status">
        <p>
          署名鍵の公開鍵が見つからないため、署名付きチェックポイントを確認できません。サーバーの設定（SNSGOV_AUDIT_KEY_FILE）を確認してください。
        </p>
      </div>
    ) : result.ok ? (
      <div class="notice notice-success" role="status">
        <p>
          監査ログに改ざんは見つかりませんでした。記録 {result.entries}件（最新の番号 {result.lastSeq}
          ）、署名付きチェックポイント {result.checkpoints}件を確認しました。
          {result.confirmedThrough !== null
            ? `番号 ${result.confirmedThrough} までは署名で確認済みです。`
            : ""}
        </p>
      </div>
    ) : (
      <div class="notice notice-error" role="alert">
        <p>
          監査ログの番号 {result.firstProblem?.seq}{" "}
          以降に不整合があります。情報統括管理者とシステム管理者に直ちに報告してください。
        </p>
        {result.rewritten ? <RewrittenRange range={result.rewritten} /> : null}
        <p class="mono">{result.firstProblem?.reason}</p>
      </div>
    );
    return render(
      c,
      "監査ログの改ざん確認",
      <>
        <h1>監査ログの改ざん確認</h1>
        {body}
        <p>
          <a href="/audit">監査ログへ戻る</a>
        </p>
      </>,
    );
  });
  return r;
}
