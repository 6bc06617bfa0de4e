/**
 * Views of an account's application and registration: the 起案's decision fields (planned start,
 * media-policy draft, terms read, login owner, two-factor plan, cost, 合議先), the registration
 * fields the 届出 to the security director needs (login e-mail/phone and owner, two-factor),
 * the administrator's form for an account that existed before the system, and the printable
 * 起案 with its route of approvals. Pure presentation.
 */
import type { FC } from "hono/jsx";
import type { ApplicationDocument } from "../../app/accounts/document.ts";
import { policyFieldLabels } from "../../domain/accounts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { platformLabel } from "../../guideline/pack.ts";
import {
  Checkbox,
  Csrf,
  ErrorSummary,
  type FormState,
  type Option,
  SelectField,
  TextArea,
  TextField,
} from "./components.tsx";
import { DocumentDate } from "./dates.tsx";
import { DocumentSheet, RouteTable, Row } from "./document-views.tsx";

/** The hint listing the items a media policy has (4.2.1 ①–④, 4.2.2). */
const policyHint = `${[
  policyFieldLabels.purpose,
  policyFieldLabels.platformDescription,
  policyFieldLabels.content,
  "④ 利用方法（担当者・頻度・時期・方法・意見や質問への対応）",
  "返信の可否",
].join(
  "、",
)}を書いてください（${clauseRef("4.2.1")}、${clauseRef("4.2.2")}）。承認後、メディアポリシーの画面で正式に定めます。`;

/** What the city decides on besides the purpose (4.1.2 起案). */
export const ApplicationFields: FC<{ state: FormState }> = ({ state }) => (
  <fieldset class="stack">
    <legend>決裁に必要な事項</legend>
    <TextField name="plannedStartOn" label="運用開始の予定日" type="date" state={state} required />
    <TextArea
      name="policyDraft"
      label="メディアポリシー（案）"
      hint={policyHint}
      rows={8}
      state={state}
      required
    />
    <Checkbox
      name="termsConfirmed"
      label="利用するソーシャルメディアの利用規約を読み、自治体の利用に問題がないことを確認した"
      checked={state.values.termsConfirmed === "on"}
    />
    <TextField
      name="loginOwner"
      label="ログイン用メールアドレス・電話番号の所有者"
      hint="例: 広報広聴課の共用メールアドレス（課長が管理）、課の業務用携帯電話。個人のアドレスは使わないでください（第4-3(3)）。"
      state={state}
      required
    />
    <TextField
      name="twoFactorPlan"
      label="二段階認証の設定方法"
      hint="例: 認証アプリ（課の共用端末）で設定する（第4-3(3)）。"
      state={state}
      required
    />
    <TextField
      name="cost"
      label="費用"
      hint="無料の場合は「無料」と書いてください。"
      state={state}
      required
    />
    <TextField
      name="consultedDivisions"
      label="合議先"
      hint="例: 広報広聴課、情報政策課（読点で区切ります）"
      state={state}
    />
  </fieldset>
);

/** The login facts of a registration (4.1.2 届出, 4.3.3). */
export const RegistrationFields: FC<{
  state: FormState | undefined;
  values: { loginEmail: string; loginPhone: string; loginOwner: string; twoFactorPlan: string };
}> = ({ state, values }) => (
  <fieldset class="stack">
    <legend>ログインの管理（情報統括管理者への届出に記載します）</legend>
    <TextField
      name="loginEmail"
      label="ログイン用メールアドレス"
      type="email"
      value={values.loginEmail}
      hint="ログインや再設定に使うメールアドレス。メールアドレスか電話番号のどちらかは必須です。"
      state={state}
    />
    <TextField
      name="loginPhone"
      label="ログイン用電話番号"
      value={values.loginPhone}
      hint="SMS認証などに使う電話番号（例: 0246-22-1111）。"
      state={state}
    />
    <TextField
      name="loginOwner"
      label="メールアドレス・電話番号の所有者"
      value={values.loginOwner}
      hint="例: 広報広聴課の共用メールアドレス（課長が管理）"
      state={state}
      required
    />
    <TextField
      name="twoFactorPlan"
      label="二段階認証の方法"
      value={values.twoFactorPlan}
      hint="例: 認証アプリ（課の共用端末）"
      state={state}
    />
  </fieldset>
);

const StaffBoxes: FC<{ name: string; legend: string; people: Option[]; checked: string[] }> = (p) => (
  <fieldset class="field">
    <legend>{p.legend}</legend>
    {p.people.map((o) => (
      <Checkbox name={p.name} value={o.value} label={o.label} checked={p.checked.includes(o.value)} />
    ))}
  </fieldset>
);

/** The administrator's form for an account approved on paper before the system. */
export const ExistingForm: FC<{
  csrf: string;
  state: FormState;
  divisions: Option[];
  platforms: Option[];
  people: Option[];
}> = ({ csrf, state, divisions, platforms, people }) => {
  const list = (name: string) => (state.values[name] ?? "").split(",").filter(Boolean);
  return (
    <form method="post" action="/accounts/existing" class="stack" novalidate>
      <Csrf token={csrf} />
      <ErrorSummary state={state} />
      <fieldset class="stack">
        <legend>アカウント</legend>
        <SelectField
          name="divisionId"
          label="所管課"
          options={divisions}
          blank="選択してください"
          state={state}
          required
        />
        <SelectField
          name="platform"
          label="ソーシャルメディア"
          options={platforms}
          blank="選択してください"
          state={state}
          required
        />
        <TextField name="name" label="アカウント名" state={state} required />
        <TextField name="alias" label="通称" state={state} />
        <TextField
          name="url"
          label="アカウントのURL"
          type="url"
          state={state}
          required
          hint="省略せず、正式な形で入力します。市公式ホームページに掲載されます（第4-4(2)③）。"
        />
        <TextField name="platformCreatedOn" label="アカウントの作成日" type="date" state={state} required />
        <TextArea name="purpose" label="利用目的" rows={3} state={state} required />
        <TextField name="homepageUrl" label="所管サイトのURL" type="url" state={state} required />
        <Checkbox
          name="isCharacter"
          label="業務として認められたキャラクターとして発信している（第5-3(1) ただし書）"
          checked={state.values.isCharacter === "on"}
        />
        <StaffBoxes
          name="operatorIds"
          legend="運用に携わる職員（第4-1(3)）"
          people={people}
          checked={list("operatorIds")}
        />
        <StaffBoxes
          name="holderIds"
          legend="ID・パスワードを扱う職員（第4-3(1)）"
          people={people}
          checked={list("holderIds")}
        />
      </fieldset>
      <fieldset class="stack">
        <legend>ログインの管理</legend>
        <TextField name="loginEmail" label="ログイン用メールアドレス" type="email" state={state} />
        <TextField name="loginPhone" label="ログイン用電話番号" state={state} />
        <TextField name="loginOwner" label="メールアドレス・電話番号の所有者" state={state} required />
        <Checkbox
          name="mfaEnabled"
          label="二段階認証を設定している（第4-3(3)）"
          checked={state.values.mfaEnabled === "on"}
        />
        <TextField name="twoFactorPlan" label="二段階認証の方法" state={state} />
      </fieldset>
      <fieldset class="stack">
        <legend>紙で行われた手続き（元の起案）</legend>
        <TextField
          name="documentNumber"
          label="元の起案の文書番号"
          hint="例: いわ広第1234号"
          state={state}
          required
        />
        <TextField name="draftedOn" label="起案日" type="date" state={state} />
        <TextField
          name="departmentApprovedOn"
          label="部等の長（情報管理者）の許可日"
          type="date"
          state={state}
          required
        />
        <TextField name="policyApprovedOn" label="総合政策部長の許可日" type="date" state={state} required />
        <TextField
          name="securityFiledOn"
          label="情報統括管理者への届出日（紙）"
          type="date"
          hint="紙で届け出ていた場合だけ入力します。総合政策部長が確認すると、登録内容で届出がシステムから送られます。"
          state={state}
        />
        <TextArea name="note" label="備考" rows={3} state={state} />
      </fieldset>
      <div class="actions">
        <button type="submit">既存アカウントとして登録する</button>
        <a href="/accounts">キャンセル</a>
      </div>
    </form>
  );
};

/** The printable 起案: what was applied for and the route of approvals. */
export const ApplicationDocumentView: FC<{ doc: ApplicationDocument; cityName: string }> = ({
  doc,
  cityName,
}) => {
  const a = doc.account;
  const names = (list: Array<{ name: string }>) => (list.length ? list.map((m) => m.name).join("、") : "—");
  return (
    <DocumentSheet
      id="application-title"
      title="ソーシャルメディア公式アカウントの取得について（伺い）"
      cityName={cityName}
      from={`${a.departmentName} ${a.divisionName}${doc.applicantName ? ` 起案者 ${doc.applicantName}` : ""}`}
      dated={doc.draftedOn}
      current={doc.documents[0] ?? null}
    >
      {doc.existing ? (
        <p class="document-note">
          既存アカウントとして登録: この起案は紙で決裁されたものです。許可の日付は元の起案の記録によります。
        </p>
      ) : null}
      <p>
        ソーシャルメディア運用ガイドライン{clauseRef("4.1.2")}
        の規定により、次のとおり公式アカウントを取得したいので伺います。
      </p>
      <table class="document-table">
        <caption>申請の内容</caption>
        <tbody>
          <Row term="利用するソーシャルメディア">{platformLabel(a.platform)}</Row>
          <Row term="アカウント名（案）">
            {a.name}
            {a.alias ? `（通称: ${a.alias}）` : ""}
          </Row>
          <Row term="ユーザー名（案）">
            <span class="mono">{a.handle || "—"}</span>
          </Row>
          <Row term="利用目的">{a.purpose || "—"}</Row>
          <Row term="運用開始の予定日">
            {a.plannedStartOn ? <DocumentDate value={a.plannedStartOn} /> : "—"}
          </Row>
          <Row term="メディアポリシー（案）">
            <span class="pre">{a.policyDraft || "—"}</span>
          </Row>
          <Row term="利用規約の確認">{a.termsConfirmed ? "確認済み" : "未確認"}</Row>
          <Row term="ログイン用メールアドレス・電話番号の所有者">{a.loginOwner || "—"}</Row>
          <Row term="二段階認証の設定方法">{a.twoFactorPlan || "—"}</Row>
          <Row term="費用">{a.cost || "—"}</Row>
          <Row term="合議先">{a.consultedDivisions || "—"}</Row>
          <Row term="課等の長（アカウント管理者）">{a.managerName ?? "—"}</Row>
          <Row term="運用に携わる職員（第4-1(3)）">{names(doc.operators)}</Row>
          <Row term="ID・パスワードを扱う職員（第4-3(1)）">{names(doc.holders)}</Row>
          <Row term="所管サイトのURL">
            <span class="mono">{a.homepageUrl || "—"}</span>
          </Row>
        </tbody>
      </table>
      <RouteTable caption="決裁の経過" steps={doc.route} />
    </DocumentSheet>
  );
};
