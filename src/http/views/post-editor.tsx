/**
 * The post editor: the text box with the platform's length counter, the checker's findings
 * listed beside it (each with its clause and what to do) and the text again with the places of
 * the findings marked. Server-rendered from the server's check; the browser script
 * (src/http/client) updates the same elements as the person types. The findings and the counter
 * are polite live regions; nothing takes the focus.
 */
import type { FC } from "hono/jsx";
import type { CheckAccount } from "../../app/posts/check-input.ts";
import { emptyLength } from "../../checker/index.ts";
import {
  counterText,
  type FindingLike,
  findingLine,
  findingsSummary,
  type LengthLike,
  markedPieces,
  markNote,
  severityBadges,
} from "../client/findings-model.ts";
import { Badge, type FormState, issueFor } from "./components.tsx";
import { Tokens } from "./tokens.tsx";

const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** A heading of the level the surrounding page needs. */
export const Heading: FC<{ level: 2 | 3 | 4; id?: string; children?: unknown }> = ({
  level,
  id,
  children,
}) =>
  level === 2 ? (
    <h2 id={id}>{children}</h2>
  ) : level === 3 ? (
    <h3 id={id}>{children}</h3>
  ) : (
    <h4 id={id}>{children}</h4>
  );

/** The findings, numbered as the marks are, each with its clause and hint. */
export const FindingItems: FC<{ findings: readonly FindingLike[] }> = ({ findings }) => (
  <>
    <p>
      {findings.length === 0 ? <Badge tone="ok">指摘なし</Badge> : null} {findingsSummary(findings)}
    </p>
    {findings.length > 0 ? (
      <ol class="post-findings">
        {findings.map((f) => (
          <li>
            <Badge tone={severityBadges[f.severity].tone}>{severityBadges[f.severity].label}</Badge>{" "}
            {findingLine(f)}
            <div class="hint">{f.hint}</div>
          </li>
        ))}
      </ol>
    ) : null}
  </>
);

/** The text with the findings' places marked; a screen reader hears what each mark is about. */
export const MarkedPieces: FC<{ text: string; findings: readonly FindingLike[] }> = ({ text, findings }) => (
  <p>
    {markedPieces(text, findings).map((piece) =>
      piece.findings.length === 0 ? (
        <Tokens text={piece.text} />
      ) : (
        <>
          <mark>
            <Tokens text={piece.text} />
          </mark>
          <span class="visually-hidden">{markNote(piece.findings, findings)}</span>
        </>
      ),
    )}
  </p>
);

/** The length counter line. */
export const Counter: FC<{ length: LengthLike | undefined; text: string; id?: string; live?: boolean }> = ({
  length,
  text,
  id,
  live,
}) => {
  const counter = counterText(length, [...text].length);
  return (
    <p
      id={id}
      data-editor-counter
      aria-live={live ? "polite" : undefined}
      aria-atomic={live ? "true" : undefined}
    >
      {counter.text} {counter.over ? <Badge tone="error">上限超過</Badge> : <Badge tone="ok">上限以内</Badge>}
    </p>
  );
};

export type EditorProps = {
  /** Unique suffix for the element ids (the account id, or "text"); not `key`, which JSX keeps to itself. */
  slot: string;
  /** Name of the text field. */
  name: string;
  label: string;
  hint?: string;
  value: string;
  state?: FormState | undefined;
  platform: string;
  kind: "post" | "correction";
  account: CheckAccount;
  imageCount: number;
  /** The server's findings for `value`, or null when it has not been checked yet. */
  findings: readonly FindingLike[] | null;
  length: LengthLike | undefined;
  headingLevel: 3 | 4;
  /** The text comes from a template and is not typed here. */
  readonly?: boolean;
};

/** One text box with its live check. */
export const PostEditor: FC<EditorProps> = (p) => {
  const error = issueFor(p.state, p.name);
  const id = fieldId(p.name);
  const described = [p.hint ? `${id}-hint` : "", error ? `${id}-error` : "", `counter-${p.slot}`]
    .filter(Boolean)
    .join(" ");
  return (
    <div
      class="text-findings post-editor"
      data-editor={p.slot}
      data-platform={p.platform}
      data-kind={p.kind}
      data-division={p.account.division}
      data-homepage={p.account.homepageUrl}
      data-character={p.account.character ? "true" : "false"}
      data-images={String(p.imageCount)}
    >
      <div class="card">
        <div class="field">
          <label for={id}>
            {p.label}
            <span class="required">必須</span>
          </label>
          {p.hint ? (
            <span class="hint" id={`${id}-hint`}>
              {p.hint}
            </span>
          ) : null}
          {error ? (
            <span class="error" id={`${id}-error`}>
              <span class="visually-hidden">エラー: </span>
              {error}
            </span>
          ) : null}
          <textarea
            id={id}
            name={p.name}
            rows={8}
            required
            readonly={p.readonly}
            data-editor-text
            aria-invalid={error ? "true" : undefined}
            aria-describedby={described}
          >
            {p.value}
          </textarea>
        </div>
        <Counter
          length={p.length ?? (p.value === "" ? emptyLength(p.platform, p.kind) : undefined)}
          text={p.value}
          id={`counter-${p.slot}`}
          live
        />
      </div>
      <div class="card">
        <Heading level={p.headingLevel} id={`findings-title-${p.slot}`}>
          ガイドラインに照らした確認
        </Heading>
        <div id={`findings-${p.slot}`} data-editor-findings aria-live="polite">
          {p.findings === null ? (
            <p>本文を入力して「確認する」を押すと、確認した結果がここに表示されます。</p>
          ) : (
            <FindingItems findings={p.findings} />
          )}
        </div>
        <Heading level={p.headingLevel === 3 ? 4 : 4}>指摘の箇所</Heading>
        <div class="post-text" id={`marked-${p.slot}`} data-editor-marked>
          <MarkedPieces text={p.value} findings={p.findings ?? []} />
        </div>
      </div>
    </div>
  );
};
