/**
 * The one error summary of every page (the GOV.UK / デジタル庁 pattern). A form declares its
 * problems with <ErrorSummary> wherever it sits; the page renderers (render.tsx, public
 * document.tsx) collect those declarations while rendering the body and show them once, in a box at
 * the top of <main> that takes the focus when the page loads (`tabindex="-1"` and `autofocus`, no
 * script needed): a heading, then each problem as a link to its field. The field's own message
 * stays next to the field (components.tsx, aria-describedby), and the typed values are kept by the
 * form state. Rendered outside a collecting renderer, the box is shown where it is declared.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { FC } from "hono/jsx";
import type { FormState } from "./components.tsx";

/** One form's problems, with how its field ids are made. */
export type SummaryEntry = {
  state: FormState;
  /** The id prefix of the form's fields (`f-<prefix>-<name>`); none: `f-<name>`. */
  prefix?: string | undefined;
  /** A heading other than 「入力内容を確認してください」 (e.g. when nothing was typed wrong). */
  title?: string | undefined;
};

const collecting = new AsyncLocalStorage<SummaryEntry[]>();

/** The id of a form field, as the field components write it. */
export function fieldElementId(name: string, prefix?: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, "-");
  return prefix ? `f-${prefix}-${safe}` : `f-${safe}`;
}

/** A form state carrying one message that belongs to no field (a refused action). */
export function refusal(message: string): FormState {
  return { values: {}, issues: [], message };
}

function hasProblems(state: FormState | undefined): state is FormState {
  return state !== undefined && (state.issues.length > 0 || Boolean(state.message));
}

/**
 * Renders a page body while collecting the problems its forms declare.
 * @param renderBody renders the body to HTML (synchronously, as hono/jsx does)
 * @returns the body's HTML and the problems to show at the top of the page
 */
export function collectErrorSummaries(renderBody: () => string): { html: string; summaries: SummaryEntry[] } {
  const summaries: SummaryEntry[] = [];
  const html = collecting.run(summaries, renderBody);
  return { html, summaries };
}

/** The summary box: a focused heading and each problem linked to its field. */
export const ErrorSummaryBox: FC<{ summaries: readonly SummaryEntry[] }> = ({ summaries }) => {
  if (summaries.length === 0) return null;
  const title = summaries.find((s) => s.title)?.title ?? "入力内容を確認してください";
  return (
    <section
      class="error-summary"
      id="error-summary"
      tabindex={-1}
      autofocus
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">{title}</h2>
      <div role="alert">
        {summaries.map(({ state, prefix }) => (
          <>
            {state.message ? <p>{state.message}</p> : null}
            {state.issues.length > 0 ? (
              <ul>
                {state.issues.map((issue) => (
                  <li>
                    {issue.field ? (
                      <a href={`#${fieldElementId(issue.field, prefix)}`}>{issue.message}</a>
                    ) : (
                      issue.message
                    )}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ))}
      </div>
    </section>
  );
};

/**
 * Declares a form's problems: shown in the page's summary at the top (or here, when the page does
 * not collect them). Renders nothing when there is no problem.
 */
export const ErrorSummary: FC<{
  state?: FormState | undefined;
  prefix?: string | undefined;
  title?: string | undefined;
}> = ({ state, prefix, title }) => {
  if (!hasProblems(state)) return null;
  const entry: SummaryEntry = { state, prefix, title };
  const page = collecting.getStore();
  if (!page) return <ErrorSummaryBox summaries={[entry]} />;
  page.push(entry);
  return null;
};
