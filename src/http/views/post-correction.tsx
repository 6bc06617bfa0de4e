/**
 * A correction beside the post it corrects (5.3.2, 5.3.3): the original text with what the
 * correction takes out marked <del>, and the correction's text with what it adds marked <ins>,
 * each change also named for screen readers (「削除」「追加」). Rendered on the server from the
 * text as saved or as typed (「確認する」), so it works without JavaScript. When the correction is
 * still the original under its label, it says so: such a correction is not submitted or approved.
 */
import type { FC } from "hono/jsx";
import { clauseRef } from "../../domain/clauses.ts";
import { correctsNothing } from "../../domain/corrections.ts";
import { type DiffPart, diffSides, diffTexts } from "../../domain/text-diff.ts";
import { Heading } from "./post-editor.tsx";

const Marked: FC<{ parts: readonly DiffPart[] }> = ({ parts }) => (
  <p class="public-text text-diff">
    {parts.map((p) =>
      p.op === "del" ? (
        <del>
          <span class="visually-hidden">［削除: </span>
          {p.text}
          <span class="visually-hidden">］</span>
        </del>
      ) : p.op === "ins" ? (
        <ins>
          <span class="visually-hidden">［追加: </span>
          {p.text}
          <span class="visually-hidden">］</span>
        </ins>
      ) : (
        p.text
      ),
    )}
  </p>
);

/** The original and the correction side by side, with the differences marked. */
export const CorrectionDiff: FC<{
  original: { id: number; text: string };
  text: string;
  headingLevel: 2 | 3;
}> = ({ original, text, headingLevel }) => {
  const { before, after } = diffSides(diffTexts(original.text, text));
  const same = correctsNothing(text, original.text);
  const sub = headingLevel === 2 ? 3 : 4;
  return (
    <section aria-labelledby="correction-diff-title" class="correction-diff">
      <Heading level={headingLevel} id="correction-diff-title">
        元の投稿との違い
      </Heading>
      <p class="hint">
        <del>取り消し線</del>は元の投稿から削除した箇所、<ins>下線</ins>
        は訂正の投稿で追加した箇所です。訂正したことを明記し（{clauseRef("5.3.3")}
        ）、誤っていた箇所を正しい内容に直します（{clauseRef("5.3.2")}）。
      </p>
      {same ? (
        <div class="notice notice-warning">
          <p>
            訂正の本文が、【訂正】などの表示を除いて元の投稿と同じです。誤っていた箇所を直さないと、承認を申請できません（
            {clauseRef("5.3.3")}）。
          </p>
        </div>
      ) : null}
      <div class="cards">
        <div class="card">
          <Heading level={sub}>
            元の投稿（<a href={`/posts/${original.id}`}>#{original.id}</a>）
          </Heading>
          <Marked parts={before} />
        </div>
        <div class="card">
          <Heading level={sub}>訂正の投稿</Heading>
          <Marked parts={after} />
        </div>
      </div>
    </section>
  );
};
