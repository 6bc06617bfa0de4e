/**
 * Who receives a LINE post, on its pages: the edit form's 「配信先」 fieldset (every friend, or a
 * narrowcast audience by age, gender, prefecture, app, friend period and/or an audience group of
 * LINE Official Account Manager, with an optional maximum), and the post page's section on its
 * automatic sending (自動発信の状況) with LINE's progress of a narrowcast and any refusal. Plain
 * forms: everything works without JavaScript.
 */
import type { FC } from "hono/jsx";
import type { AutoSendView } from "../../app/posts/read.ts";
import {
  ageOf,
  daysOf,
  type LineAudience,
  lineAgeCodes,
  lineAreas,
  lineSubscriptionCodes,
} from "../../domain/line-audience.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge, type FormState, issueFor, SelectField, TextField } from "./components.tsx";
import { DateTime } from "./dates.tsx";

/** The form's values of a stored audience (what the fieldset shows before anything is typed). */
export function audienceFormValues(a: LineAudience | null): Record<string, string> {
  if (!a) return { audience: "all" };
  return {
    audience: "narrowcast",
    audienceAgeFrom: a.ageFrom ?? "",
    audienceAgeTo: a.ageTo ?? "",
    audienceGender: a.gender ?? "",
    audienceAppType: a.appType ?? "",
    audienceSubscriptionFrom: a.subscriptionFrom ?? "",
    audienceSubscriptionTo: a.subscriptionTo ?? "",
    audienceAreas: a.areas.join(","),
    audienceGroupId: a.audienceGroupId ?? "",
    audienceLimitMax: a.limitMax === null ? "" : String(a.limitMax),
  };
}

const ageFromOptions = lineAgeCodes.map((c) => ({ value: c, label: `${ageOf(c)}歳から` }));
const ageToOptions = lineAgeCodes
  .filter((c) => c !== "age_15")
  .map((c) => ({ value: c, label: `${ageOf(c) - 1}歳まで` }));
const periodFromOptions = lineSubscriptionCodes.map((c) => ({ value: c, label: `${daysOf(c)}日以上` }));
const periodToOptions = lineSubscriptionCodes.map((c) => ({ value: c, label: `${daysOf(c)}日未満` }));

/**
 * The 「配信先」 of a LINE post: every friend (default) or the conditions of a narrowcast. On the
 * new-post form (`forDraft`) it applies to the LINE accounts chosen.
 */
export const AudienceFieldset: FC<{ state: FormState; stored: LineAudience | null; forDraft?: boolean }> = ({
  state,
  stored,
  forDraft,
}) => {
  const values = { ...audienceFormValues(stored), ...state.values };
  const shown: FormState = { ...state, values };
  const mode = values.audience === "narrowcast" ? "narrowcast" : "all";
  const areas = new Set((values.audienceAreas ?? "").split(",").filter(Boolean));
  const modeError = issueFor(state, "audience");
  const areaError = issueFor(state, "audienceAreas");
  return (
    <fieldset class="stack audience" aria-describedby="f-audience-hint">
      <legend>{forDraft ? "配信先（LINEのアカウントへの投稿）" : "配信先（LINE）"}</legend>
      <span class="hint" id="f-audience-hint">
        {forDraft ? "選んだアカウントのうち、LINEのアカウントへの投稿に使います。" : ""}
        配信先は承認の対象です。承認後に変えると、あらためて承認が必要になります（第5-1(4)）。条件で絞り込むと、LINEの「絞り込み配信」で送ります。条件に合う友だちが少なすぎると、LINEは配信しません。
      </span>
      {modeError ? (
        <span class="error" id="f-audience-error">
          <span class="visually-hidden">エラー: </span>
          {modeError}
        </span>
      ) : null}
      <div>
        <div class="checkbox">
          <input type="radio" name="audience" id="f-audience" value="all" checked={mode === "all"} />
          <label for="f-audience">すべての友だち（一斉配信）</label>
        </div>
        <div class="checkbox">
          <input
            type="radio"
            name="audience"
            id="f-audience-narrowcast"
            value="narrowcast"
            checked={mode === "narrowcast"}
          />
          <label for="f-audience-narrowcast">条件で絞り込む</label>
          <span class="hint">下の条件に合う友だちだけに送ります（LINEの絞り込み配信）。</span>
        </div>
      </div>
      <div class="audience-pair">
        <SelectField
          name="audienceAgeFrom"
          label="年齢（から）"
          options={ageFromOptions}
          blank="指定しない"
          state={shown}
        />
        <SelectField
          name="audienceAgeTo"
          label="年齢（まで）"
          options={ageToOptions}
          blank="指定しない"
          state={shown}
        />
      </div>
      <div class="audience-pair">
        <SelectField
          name="audienceGender"
          label="性別"
          options={[
            { value: "female", label: "女性" },
            { value: "male", label: "男性" },
          ]}
          blank="指定しない"
          state={shown}
        />
        <SelectField
          name="audienceAppType"
          label="スマートフォンの種類"
          options={[
            { value: "ios", label: "iPhone（iOS）" },
            { value: "android", label: "Android" },
          ]}
          blank="指定しない"
          state={shown}
        />
      </div>
      <div class="audience-pair">
        <SelectField
          name="audienceSubscriptionFrom"
          label="友だちになってからの期間（から）"
          options={periodFromOptions}
          blank="指定しない"
          state={shown}
        />
        <SelectField
          name="audienceSubscriptionTo"
          label="友だちになってからの期間（まで）"
          options={periodToOptions}
          blank="指定しない"
          state={shown}
        />
      </div>
      <fieldset
        aria-describedby={areaError ? "f-audienceAreas-hint f-audienceAreas-error" : "f-audienceAreas-hint"}
      >
        <legend>地域（都道府県、複数選べます）</legend>
        <span class="hint" id="f-audienceAreas-hint">
          LINEが推定した友だちの住まいの都道府県です。市町村では絞り込めません。
        </span>
        {areaError ? (
          <span class="error" id="f-audienceAreas-error">
            <span class="visually-hidden">エラー: </span>
            {areaError}
          </span>
        ) : null}
        <div class="area-grid">
          {lineAreas.map(([code, name], i) => (
            <div class="checkbox">
              <input
                type="checkbox"
                name="audienceAreas"
                id={i === 0 ? "f-audienceAreas" : `f-audienceAreas-${code}`}
                value={code}
                checked={areas.has(code)}
              />
              <label for={i === 0 ? "f-audienceAreas" : `f-audienceAreas-${code}`}>{name}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <TextField
        name="audienceGroupId"
        label="オーディエンスID（任意）"
        hint="LINE公式アカウントの管理画面（データ管理 › オーディエンス）で作ったオーディエンスの数字のIDです。条件と両方を指定すると、その両方に当てはまる友だちに送ります。"
        inputmode="numeric"
        state={shown}
      />
      <TextField
        name="audienceLimitMax"
        label="最大の配信人数（任意）"
        hint="指定すると、条件に合う友だちからLINEが無作為に選んだこの人数までに送ります。"
        inputmode="numeric"
        state={shown}
      />
    </fieldset>
  );
};

/** LINE's progress of a narrowcast, in words. */
const phaseLabels: Record<string, string> = {
  waiting: "配信の準備中",
  sending: "配信中",
  succeeded: "配信完了",
  failed: "配信できませんでした",
};

const tone = (status: string): "ok" | "warn" | "error" | "muted" =>
  status === "recorded" ? "ok" : status === "failed" ? "error" : status === "cancelled" ? "muted" : "warn";

/** The post page's 自動発信の状況: each platform's row with its state, LINE's progress and any refusal. */
export const AutoSendSection: FC<{ rows: readonly AutoSendView[] }> = ({ rows }) =>
  rows.length === 0 ? null : (
    <section aria-labelledby="autosend-title">
      <h2 id="autosend-title">自動発信の状況</h2>
      {rows.map((r) => (
        <div class={`card${r.status === "failed" || r.overdue ? " notice notice-warning" : ""}`}>
          <p>
            {platformLabel(r.platform)}: <Badge tone={tone(r.status)}>{r.statusLabel}</Badge>
          </p>
          <dl class="facts">
            {r.acceptedAt ? (
              <>
                <dt>受け付けられた日時</dt>
                <dd>
                  <DateTime at={r.acceptedAt} />
                </dd>
              </>
            ) : null}
            {r.requestId ? (
              <>
                <dt>リクエストID（問い合わせ用）</dt>
                <dd>{r.requestId}</dd>
              </>
            ) : null}
            {r.progress ? (
              <>
                <dt>LINEの配信状況</dt>
                <dd>
                  {phaseLabels[r.progress.phase] ?? r.progress.phase}
                  {r.progress.targetCount !== null
                    ? `（対象 ${r.progress.targetCount.toLocaleString("ja-JP")}人`
                    : ""}
                  {r.progress.targetCount !== null && r.progress.successCount !== null
                    ? `・送信 ${r.progress.successCount.toLocaleString("ja-JP")}人`
                    : ""}
                  {r.progress.targetCount !== null && r.progress.failureCount
                    ? `・失敗 ${r.progress.failureCount.toLocaleString("ja-JP")}人`
                    : ""}
                  {r.progress.targetCount !== null ? "）" : ""}
                </dd>
              </>
            ) : null}
            {r.progress?.completedTime ? (
              <>
                <dt>LINEが処理を終えた日時</dt>
                <dd>
                  <DateTime at={new Date(r.progress.completedTime)} />
                </dd>
              </>
            ) : null}
            {r.lastError ? (
              <>
                <dt>{r.status === "failed" || r.status === "cancelled" ? "理由" : "最後の連絡"}</dt>
                <dd class="public-text">{r.lastError}</dd>
              </>
            ) : null}
          </dl>
          {r.status === "failed" ? (
            <p>
              担当の職員にタスクが作成されています。内容を確かめ、必要なら手作業で発信して「発信の記録」を入力してください。
            </p>
          ) : null}
        </div>
      ))}
    </section>
  );
