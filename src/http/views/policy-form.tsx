/**
 * The media-policy edit form: one textarea per required item of 4.2.1 ①–④, the reply policy
 * of 4.2.2 as radio buttons in a fieldset, and the summary of changes citizens see (4.2.3).
 * Each item carries a hint naming its clause; errors are shown beside the item and in the
 * summary at the top.
 */
import type { FC } from "hono/jsx";
import { policyFieldLabels, replyPolicyLabels } from "../../domain/accounts.ts";
import { Csrf, ErrorSummary, type FormState, issueFor, TextArea } from "./components.tsx";

type TextItem = Exclude<keyof typeof policyFieldLabels, "replyPolicy">;

/** What each item asks for, with the clause it comes from. */
export const policyHints: Record<TextItem, string> = {
  purpose: "このアカウントで情報発信を行う目的を記載します（第4-2(1)①）。",
  platformDescription: "利用するソーシャルメディアのサービス名を記載します（第4-2(1)②）。",
  content: "発信する情報の内容を記載します（第4-2(1)③）。",
  staffInCharge: "発信を担当する職員を所属や役割で記載します。個人名は不要です（第4-2(1)④）。",
  frequency: "発信する頻度の目安を記載します（第4-2(1)④）。",
  timing: "発信する時期や時間帯を記載します（第4-2(1)④）。",
  method: "発信までの手順（アカウント管理者の許可など）を記載します（第4-2(1)④、第5-1(4)）。",
  commentHandling: "いただいた意見や質問への対応方法を記載します（第4-2(1)④）。",
  replyText: "返信の可否について、利用者の皆さまへの説明を記載します（第4-2(2)）。",
};

const beforeReply: TextItem[] = [
  "purpose",
  "platformDescription",
  "content",
  "staffInCharge",
  "frequency",
  "timing",
  "method",
  "commentHandling",
];

/** 4.2.2: 返信する / 返信しない / 個別に判断する, as radio buttons. */
const ReplyPolicyField: FC<{ state: FormState }> = ({ state }) => {
  const error = issueFor(state, "replyPolicy");
  const selected = state.values.replyPolicy ?? "";
  const describedBy = ["f-replyPolicy-hint", error ? "f-replyPolicy-error" : ""].filter(Boolean).join(" ");
  return (
    <fieldset class="field" aria-describedby={describedBy}>
      <legend>
        返信の可否（第4-2(2)）<span class="required">必須</span>
      </legend>
      <span class="hint" id="f-replyPolicy-hint">
        発信した情報への意見や質問に返信するかどうかを選びます。
      </span>
      {error ? (
        <span class="error" id="f-replyPolicy-error">
          <span class="visually-hidden">エラー: </span>
          {error}
        </span>
      ) : null}
      {Object.entries(replyPolicyLabels).map(([value, label], i) => (
        <div class="checkbox">
          <input
            type="radio"
            name="replyPolicy"
            id={i === 0 ? "f-replyPolicy" : `f-replyPolicy-${value}`}
            value={value}
            checked={selected === value}
            aria-invalid={error ? "true" : undefined}
          />
          <label for={i === 0 ? "f-replyPolicy" : `f-replyPolicy-${value}`}>{label}</label>
        </div>
      ))}
    </fieldset>
  );
};

/** Every item of the draft; `version` > 1 asks for the summary of changes. */
export const PolicyForm: FC<{
  action: string;
  csrf: string;
  policyId: number;
  version: number;
  state: FormState;
  cancelHref: string;
}> = ({ action, csrf, policyId, version, state, cancelHref }) => (
  <>
    <ErrorSummary state={state} />
    <form method="post" action={action} class="stack" novalidate>
      <Csrf token={csrf} />
      <input type="hidden" name="policyId" value={String(policyId)} />
      {beforeReply.map((field) => (
        <TextArea
          name={field}
          label={policyFieldLabels[field]}
          hint={policyHints[field]}
          state={state}
          rows={field === "purpose" || field === "commentHandling" ? 5 : 3}
          required
        />
      ))}
      <ReplyPolicyField state={state} />
      <TextArea
        name="replyText"
        label={policyFieldLabels.replyText}
        hint={policyHints.replyText}
        state={state}
        rows={3}
        required
      />
      <TextArea
        name="changeSummary"
        label="主な変更点"
        hint={
          version > 1
            ? "前の版から何を変えたかを簡潔に記載します。市民の皆さまに公開されます（第4-2(3)）。第2版以降は必須です。"
            : "初版では記載不要です。"
        }
        state={state}
        rows={3}
        required={version > 1}
      />
      <div class="actions">
        <button type="submit">下書きを保存する</button>
        <a href={cancelHref}>保存せずに戻る</a>
      </div>
    </form>
  </>
);
