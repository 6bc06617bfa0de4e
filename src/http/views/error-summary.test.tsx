import assert from "node:assert/strict";
import { test } from "node:test";
import { collectErrorSummaries, ErrorSummary, refusal } from "./error-summary.tsx";

const state = {
  values: { comment: "" },
  issues: [{ field: "comment", message: "理由を入力してください。" }],
};

test("inside a page the form's problems leave its place and are collected for the top", () => {
  const body = (
    <form>
      <ErrorSummary state={state} />
      <ErrorSummary state={refusal("この投稿はすでに承認されています。")} />
      <ErrorSummary state={{ values: {}, issues: [] }} />
      <textarea id="f-comment" />
    </form>
  );
  const { html, summaries } = collectErrorSummaries(() => String(body));
  assert.equal(html, '<form><textarea id="f-comment"></textarea></form>');
  assert.equal(summaries.length, 2, "a form without problems declares nothing");
});

test("outside a page the summary is shown where it is, focused on load and linked to the field", () => {
  const html = String(<ErrorSummary state={state} prefix="step3" />);
  assert.match(html, /^<section class="error-summary" id="error-summary" tabindex="-1" autofocus=""/);
  assert.ok(html.includes('<h2 id="error-summary-title">入力内容を確認してください</h2>'));
  assert.ok(html.includes('<a href="#f-step3-comment">理由を入力してください。</a>'));
});
