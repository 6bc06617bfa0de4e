/**
 * The closing form of a task, by kind: a password rotation asks when and by whom the password
 * was changed (4.3.2), a manager-change confirmation lists the operators and credential holders
 * to tick (4.1.4), any other kind takes a note. Plain forms; they work without JavaScript.
 */
import type { FC } from "hono/jsx";
import type { ListedPerson, TaskDetail } from "../../app/credentials/tasks.ts";
import { tokyoDate } from "../../domain/dates.ts";
import {
  Badge,
  Csrf,
  ErrorSummary,
  type FormState,
  issueFor,
  SelectField,
  TextArea,
  TextField,
} from "./components.tsx";
import { DateText } from "./dates.tsx";

type FormProps = { detail: TaskDetail; csrf: string; state?: FormState | undefined; defaults: Defaults };

/** Values a fresh form starts with. */
export type Defaults = { changedAt: string; changedById: string };

const NoPasswordHint = () => (
  <p class="hint">
    パスワードそのものは入力しないでください。このシステムは、パスワードを保存しない設計です。
  </p>
);

const RotationForm: FC<FormProps> = ({ detail, csrf, state, defaults }) => (
  <form method="post" action={`/tasks/${detail.task.id}/close`} class="stack" novalidate>
    <Csrf token={csrf} />
    <p>
      プラットフォームでパスワードを変更したら、変更した日時と変更した職員を記録して完了にしてください（第4-3(2)）。
      {detail.earliest ? (
        <>
          <DateText date={tokyoDate(detail.earliest)} />
          以降の変更が対象です。
        </>
      ) : (
        ""
      )}
    </p>
    <NoPasswordHint />
    <TextField
      name="changedAt"
      label="パスワードを変更した日時"
      type="datetime-local"
      value={defaults.changedAt}
      state={state}
      required
    />
    <SelectField
      name="changedById"
      label="変更した職員"
      options={detail.changers.map((p) => ({ value: String(p.id), label: `${p.name}（${p.employeeNo}）` }))}
      value={defaults.changedById}
      state={state}
      required
    />
    <TextArea
      name="note"
      label="メモ（任意）"
      rows={3}
      state={state}
      hint="パスワードは書かないでください。"
    />
    <div class="actions">
      <button type="submit">パスワードを変更しました</button>
    </div>
  </form>
);

const PersonChecks: FC<{
  name: "operatorIds" | "holderIds";
  legend: string;
  people: ListedPerson[];
  editHref: string;
  editLabel: string;
  state?: FormState | undefined;
}> = ({ name, legend, people, editHref, editLabel, state }) => {
  const error = issueFor(state, name);
  const ticked = state ? (state.values[name] ?? "").split(",") : [];
  return (
    <fieldset id={`f-${name}`} aria-describedby={error ? `f-${name}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p class="error" id={`f-${name}-error`}>
          <span class="visually-hidden">エラー: </span>
          {error}
        </p>
      ) : null}
      {people.length === 0 ? <p>登録されている職員はいません。</p> : null}
      {people.map((p) => (
        <div class="checkbox">
          <input
            type="checkbox"
            id={`f-${name}-${p.staffId}`}
            name={name}
            value={String(p.staffId)}
            checked={ticked.includes(String(p.staffId))}
          />
          <label for={`f-${name}-${p.staffId}`}>
            {p.name}（{p.employeeNo}）{" "}
            {!p.active ? (
              <Badge tone="error">在職していません</Badge>
            ) : p.elsewhere ? (
              <Badge tone="warn">他の課に所属（{p.elsewhere}）</Badge>
            ) : null}
          </label>
        </div>
      ))}
      <p>
        <a href={editHref}>{editLabel}</a>
      </p>
    </fieldset>
  );
};

const ConfirmForm: FC<FormProps> = ({ detail, csrf, state }) => {
  const accountId = detail.task.accountId ?? 0;
  return (
    <form method="post" action={`/tasks/${detail.task.id}/close`} class="stack" novalidate>
      <Csrf token={csrf} />
      <p>
        アカウント管理者が交代しました。運用に携わる職員とID・パスワードを扱う職員が今も適切か、一人ずつ確認してチェックを入れてください。異動した職員や不要になった職員は、先に一覧から外してください（第4-1(3)、第4-3(1)）。
      </p>
      <PersonChecks
        name="operatorIds"
        legend="運用に携わる職員（第4-1(3)）"
        people={detail.operators}
        editHref={`/accounts/${accountId}`}
        editLabel="運用に携わる職員を変更する（アカウントの概要）"
        state={state}
      />
      <PersonChecks
        name="holderIds"
        legend="ID・パスワードを扱う職員（第4-3(1)）"
        people={detail.holders}
        editHref={`/accounts/${accountId}/credentials`}
        editLabel="ID・パスワードを扱う職員を変更する"
        state={state}
      />
      <TextArea name="note" label="メモ（任意）" rows={3} state={state} />
      <div class="actions">
        <button type="submit">確認して完了にする</button>
      </div>
    </form>
  );
};

const GenericForm: FC<FormProps> = ({ detail, csrf, state }) => (
  <form method="post" action={`/tasks/${detail.task.id}/close`} class="stack" novalidate>
    <Csrf token={csrf} />
    <TextArea
      name="note"
      label="対応内容のメモ（任意）"
      rows={4}
      state={state}
      hint="何をしたかを書いておくと、後から確認できます。"
    />
    <div class="actions">
      <button type="submit">完了にする</button>
    </div>
  </form>
);

/** The form the task's kind needs, with its error summary; nothing when it cannot be closed here. */
export const TaskCloseForm: FC<FormProps> = (props) => {
  const { detail } = props;
  if (detail.form === "none") return null;
  if (detail.form === "elsewhere" && detail.elsewhere) {
    return (
      <section aria-labelledby="close-title">
        <h2 id="close-title">完了のしかた</h2>
        <p>
          {detail.elsewhere.text} <a href={detail.elsewhere.href}>対応するページへ</a>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="close-title">
      <h2 id="close-title">完了にする</h2>
      <ErrorSummary state={props.state} />
      {detail.form === "rotation" ? (
        <RotationForm {...props} />
      ) : detail.form === "confirm" ? (
        <ConfirmForm {...props} />
      ) : (
        <GenericForm {...props} />
      )}
    </section>
  );
};
