/**
 * The post forms: a new post for one or more accounts (the same text pre-filled for all,
 * editable per account), a new post from a pre-approved scope (its fields fill the template),
 * the edit form of one post, and its images (alt text and rights confirmation, 5.1.3, 5.2.3).
 * Each has 「確認する」, which re-renders the form with the server's findings and keeps what was
 * typed, so everything works without JavaScript; with it, the editor checks as one types.
 */
import type { FC } from "hono/jsx";
import type { CheckAccount } from "../../app/posts/check-input.ts";
import { type ImageRights, imageRights, imageRightsLabels } from "../../app/posts/input.ts";
import { PAGE_SOURCE_NOTE } from "../../app/posts/resend.ts";
import type { AccountView } from "../../db/repos/accounts.ts";
import type { PostImageInfo, PostScope, PostView } from "../../db/repos/posts.ts";
import { formatDateTime } from "../../domain/dates.ts";
import { metadataNote } from "../../domain/image-metadata.ts";
import { storedAudience } from "../../domain/line-audience.ts";
import {
  type PostCategory,
  postCategories,
  postCategoryLabels,
  RESEND_LEAD_IN_MAX,
  type ScopeField,
} from "../../domain/posts.ts";
import { guidelinePack, platformLabel } from "../../guideline/pack.ts";
import type { FindingLike, LengthLike } from "../client/findings-model.ts";
import {
  Csrf,
  ErrorSummary,
  FieldError,
  type FormState,
  fieldErrorId,
  issueFor,
  SelectField,
  TextArea,
  TextField,
} from "./components.tsx";
import { DateText } from "./dates.tsx";
import { AudienceFieldset } from "./post-audience.tsx";
import { CorrectionDiff } from "./post-correction.tsx";
import { PostEditor } from "./post-editor.tsx";

/** What the server's check gave for one text (null before the first check). */
export type EditorCheck = { findings: readonly FindingLike[]; length: LengthLike | undefined } | null;

/** The checker's view of an account. */
export function checkAccountOf(account: AccountView): CheckAccount {
  return { division: account.divisionName, homepageUrl: account.homepageUrl, character: account.isCharacter };
}

const categoryHints: Record<PostCategory, string> = {
  normal: "アカウント管理者の許可を得てから発信します（第5-1(4)）。",
  repost:
    "市として既に発信した内容（市のいずれかの公式アカウントの投稿、または市のホームページ）をそのまま発信します。元の投稿を選ぶか、市のページのURLと引用する文を下で入力してください。本文を変える場合は通常の承認が必要です。",
  fact: "競技会の結果など、既に確定した事実を発信します。",
  legal: "法令等で定められている内容を、そのまま発信します。",
  emergency: "災害、気象情報、公演中止などを緊急にお知らせします。",
};

/** 5.1.4: 通常 or ①–④, as radio buttons with what each means. */
export const CategoryField: FC<{ state: FormState; allowed?: readonly PostCategory[] }> = ({
  state,
  allowed,
}) => {
  const selected = state.values.category || "normal";
  const error = issueFor(state, "category");
  const choices = postCategories.filter((c) => !allowed || allowed.includes(c));
  return (
    <fieldset class="field" aria-describedby="f-category-hint">
      <legend>
        区分（第5-1(4)）<span class="required">必須</span>
      </legend>
      <span class="hint" id="f-category-hint">
        ①〜④の場合は、発信した後にアカウント管理者へ報告する「事後報告」にできます（報告の確認期限は、この市の設定で
        {guidelinePack().posts.reportBusinessDays}
        開庁日以内）。事後報告で省けるのは事前の許可だけで、第5-2の禁止事項はそのまま適用されます。ガイドラインに関する確認は①〜④でも同じく行われ、警告があっても発信は止まりませんが、エラーがある場合は、理由の記入と、その場でのアカウント管理者（またはその日の代理者）の確認が必要です。
      </span>
      {error ? (
        <span class="error" id="f-category-error">
          <span class="visually-hidden">エラー: </span>
          {error}
        </span>
      ) : null}
      {choices.map((value, i) => (
        <div class="checkbox">
          <input
            type="radio"
            name="category"
            id={i === 0 ? "f-category" : `f-category-${value}`}
            value={value}
            checked={selected === value}
            aria-describedby={`f-category-${value}-hint`}
          />
          <label for={i === 0 ? "f-category" : `f-category-${value}`}>{postCategoryLabels[value]}</label>
          <span class="hint" id={`f-category-${value}-hint`}>
            {categoryHints[value]}
          </span>
        </div>
      ))}
    </fieldset>
  );
};

/**
 * ① what a re-send repeats: a published post of any of the city's accounts, or a passage of a
 * page on a city domain with its URL (5.1.4). Says what text may go out without approval.
 */
export const RepostField: FC<{ state: FormState; recent: readonly PostView[] }> = ({ state, recent }) => (
  <fieldset class="field" aria-describedby="f-repost-hint">
    <legend>① 再発信する元の内容</legend>
    <p class="hint" id="f-repost-hint">
      「①
      市として既に発信している内容の再発信」を選んだときに、市のいずれかの公式アカウントの発信済みの投稿を選ぶか、市のドメインのページのURLと、そこから引用する文を入力します。事後報告で発信できる本文は、元の内容そのもの（空白の違いは問いません）に、
      {RESEND_LEAD_IN_MAX}
      文字以内の前置き（「市公式アカウントより」など。URLは不可）と、末尾に元の投稿またはページのURLを付けたものだけです。それ以外の本文は、承認を得てから発信してください。
    </p>
    <SelectField
      name="repostOf"
      label="元の投稿（市の公式アカウントの発信済みの投稿）"
      state={state}
      blank="（選択してください）"
      options={recent.map((p) => ({
        value: String(p.id),
        label: `#${p.id} ${p.accountName}・${p.publishedAt ? formatDateTime(p.publishedAt) : ""}：${[...p.text].slice(0, 40).join("")}${[...p.text].length > 40 ? "…" : ""}`,
      }))}
    />
    <TextField
      type="url"
      name="repostSourceUrl"
      label="または、市のページのURL"
      hint="市のドメインのページ（市のホームページ、広報紙、報道発表など）から引用する場合に入力します。本文の末尾にこのURLを記載してください。"
      state={state}
    />
    <TextArea
      name="repostQuote"
      label="ページから引用する文"
      hint={`ページに書かれているとおりに貼り付けてください。本文は、この文と前置きとURLだけにします。${PAGE_SOURCE_NOTE}`}
      state={state}
      rows={3}
    />
  </fieldset>
);

/** The embargo (5.2.2.2), the schedule and the justification. */
export const TimingFields: FC<{ state: FormState }> = ({ state }) => (
  <>
    <TextField
      type="datetime-local"
      name="embargoUntil"
      label="公表日時（任意）"
      hint="施策等の公表日時が決まっている場合に入力します。この日時より前に発信しようとするとエラーになります（第5-2(2)②）。予約日時をこの日時以降にすれば、その時刻に発信できます。"
      state={state}
    />
    <TextField
      type="datetime-local"
      name="scheduledAt"
      label="予約日時（任意）"
      hint="承認された投稿を発信する予定の日時です。この時刻になると、作成者にタスクでお知らせします。"
      state={state}
    />
  </>
);

/** Why an error finding should not block, for the approver. */
export const JustificationField: FC<{ state: FormState }> = ({ state }) => (
  <TextArea
    name="justification"
    label="「要修正」の指摘があるまま申請・発信する理由（任意）"
    hint="エラー（要修正）の指摘は、修正するか、承認者に向けて理由を10文字以上で記入しないと申請・発信できません。警告（要確認）は理由がなくても申請できます。"
    state={state}
    rows={3}
  />
);

const Buttons: FC<{ save: string }> = ({ save }) => (
  <div class="actions">
    <button type="submit" name="intent" value="check" class="secondary">
      確認する
    </button>
    <button type="submit" name="intent" value="save">
      {save}
    </button>
  </div>
);

/** The new-post form for the operator's accounts. */
export const NewPostForm: FC<{
  csrf: string;
  state: FormState;
  accounts: readonly AccountView[];
  selected: readonly number[];
  checks: ReadonlyMap<number, EditorCheck>;
  recent: readonly PostView[];
}> = ({ csrf, state, accounts, selected, checks, recent }) => {
  const error = issueFor(state, "accounts");
  return (
    <form method="post" action="/posts/new" class="stack" novalidate data-post-form>
      <Csrf token={csrf} />
      <ErrorSummary state={state} />
      <fieldset
        class="field"
        id="f-accounts"
        aria-describedby={error ? `f-accounts-hint ${fieldErrorId("accounts")}` : "f-accounts-hint"}
      >
        <legend>
          投稿するアカウント<span class="required">必須</span>
        </legend>
        <span class="hint" id="f-accounts-hint">
          あなたが運用に携わる職員として登録されている、運用中のアカウントです（第3）。複数選ぶと、アカウントごとに投稿が作られ、まとめて管理されます。
        </span>
        <FieldError name="accounts" state={state} />
        {accounts.map((a) => (
          <div class="checkbox">
            <input
              type="checkbox"
              id={`f-account-${a.id}`}
              name="accountIds"
              value={String(a.id)}
              checked={selected.includes(a.id)}
            />
            <label for={`f-account-${a.id}`}>
              {a.name}（{platformLabel(a.platform)}・{a.divisionName}）
            </label>
          </div>
        ))}
      </fieldset>
      <section aria-labelledby="text-title">
        <h2 id="text-title">本文</h2>
        {accounts.length > 1 ? (
          <p class="hint">
            最初に入力した本文が、空欄のままのほかのアカウントにも入ります。アカウントごとに書き換えることもできます。文字数の上限はサービスごとに異なります。
          </p>
        ) : null}
        {accounts.map((a) => {
          const check = checks.get(a.id) ?? null;
          const name = `text_${a.id}`;
          return (
            <section aria-labelledby={`editor-title-${a.id}`}>
              <h3 id={`editor-title-${a.id}`}>
                {a.name}（{platformLabel(a.platform)}）
              </h3>
              <PostEditor
                slot={String(a.id)}
                name={name}
                label={`${a.name}の本文`}
                value={state.values[name] ?? ""}
                state={state}
                platform={a.platform}
                kind="post"
                account={checkAccountOf(a)}
                imageCount={0}
                findings={check?.findings ?? null}
                length={check?.length}
                headingLevel={4}
              />
            </section>
          );
        })}
      </section>
      <CategoryField state={state} />
      <RepostField state={state} recent={recent} />
      {accounts.some((a) => a.platform === "line") ? (
        <AudienceFieldset state={state} stored={null} forDraft />
      ) : null}
      <TimingFields state={state} />
      <JustificationField state={state} />
      <p class="hint">
        画像は、下書きを保存した後の編集画面で追加できます（代替テキストと権利の確認が必要です）。
      </p>
      <Buttons save="下書きを保存する" />
    </form>
  );
};

/** The new-post form of a pre-approved scope: its fields fill the template. */
export const ScopePostForm: FC<{
  csrf: string;
  state: FormState;
  scope: PostScope;
  fields: readonly ScopeField[];
  categories: readonly PostCategory[];
  account: AccountView;
  text: string;
  check: EditorCheck;
}> = ({ csrf, state, scope, fields, categories, account, text, check }) => (
  <form method="post" action="/posts/new" class="stack" novalidate data-post-form>
    <Csrf token={csrf} />
    <input type="hidden" name="scopeId" value={String(scope.id)} />
    <input type="hidden" name="accountIds" value={String(account.id)} />
    <ErrorSummary state={state} />
    <dl class="facts">
      <dt>アカウント</dt>
      <dd>
        {account.name}（{platformLabel(account.platform)}）
      </dd>
      <dt>テンプレート</dt>
      <dd class="public-text">{scope.template}</dd>
      <dt>有効期限</dt>
      <dd>
        <DateText date={scope.validUntil} />
        まで
      </dd>
    </dl>
    <section aria-labelledby="scope-fields-title">
      <h2 id="scope-fields-title">項目</h2>
      {fields.map((f) => (
        <TextField
          name={`scope_${f.name}`}
          label={f.label}
          hint={
            f.pattern
              ? `決められた形式で入力してください（例に合わない場合は通常の承認になります）。`
              : undefined
          }
          state={state}
          maxlength={f.maxLength}
          required
        />
      ))}
    </section>
    <CategoryField state={state} allowed={categories} />
    <TimingFields state={state} />
    <section aria-labelledby="scope-text-title">
      <h2 id="scope-text-title">発信する本文</h2>
      <p class="hint">
        本文は項目から自動で作られます。テンプレートのとおりで、ガイドラインに関する指摘（エラー）がなければ、申請と同時に承認されます（予め範囲を決めた許可、第5-1(4)）。本文を書き換えたい場合は、保存後に編集できます（その場合は通常の承認になります）。
      </p>
      <PostEditor
        slot="scope"
        name="scopeText"
        label="本文（項目から作成）"
        value={text}
        platform={account.platform}
        kind="post"
        account={checkAccountOf(account)}
        imageCount={0}
        findings={check?.findings ?? null}
        length={check?.length}
        headingLevel={3}
        readonly
      />
    </section>
    <Buttons save="下書きを保存する" />
  </form>
);

/** The edit form of one post. */
export const EditPostForm: FC<{
  csrf: string;
  state: FormState;
  post: PostView;
  account: AccountView;
  imageCount: number;
  check: EditorCheck;
  recent: readonly PostView[];
  /** For a correction: the post it corrects, shown beside the draft (5.3.3). */
  original?: { id: number; text: string } | null;
}> = ({ csrf, state, post, account, imageCount, check, recent, original }) => (
  <form method="post" action={`/posts/${post.id}/edit`} class="stack" novalidate data-post-form>
    <Csrf token={csrf} />
    <input type="hidden" name="version" value={String(post.version)} />
    <input type="hidden" name="expectedStatus" value={post.status} />
    <ErrorSummary state={state} />
    {post.status === "approved" ? (
      <div class="notice notice-warning">
        <p>
          この投稿は承認済みです。変更して保存すると、あらためてアカウント管理者の承認が必要になります（第5-1(4)）。
        </p>
      </div>
    ) : null}
    <h2>本文</h2>
    <PostEditor
      slot="text"
      name="text"
      label="本文"
      value={state.values.text ?? post.text}
      state={state}
      platform={account.platform}
      kind={post.kind === "correction" ? "correction" : "post"}
      account={checkAccountOf(account)}
      imageCount={imageCount}
      findings={check?.findings ?? null}
      length={check?.length}
      headingLevel={3}
    />
    {original ? (
      <CorrectionDiff original={original} text={state.values.text ?? post.text} headingLevel={3} />
    ) : null}
    {post.kind === "post" ? (
      <>
        <CategoryField state={state} />
        <RepostField state={state} recent={recent} />
      </>
    ) : null}
    {account.platform === "line" ? (
      <AudienceFieldset state={state} stored={storedAudience(post.audience)} />
    ) : null}
    <TimingFields state={state} />
    <JustificationField state={state} />
    <Buttons save="変更を保存する" />
  </form>
);

const RightsField: FC<{ state: FormState }> = ({ state }) => {
  const selected = state.values.rights ?? "";
  const error = issueFor(state, "rights");
  return (
    <fieldset class="field" aria-describedby="f-rights-hint">
      <legend>
        画像の権利の確認（第5-1(3)、第5-2(3)）<span class="required">必須</span>
      </legend>
      <span class="hint" id="f-rights-hint">
        写っている人の肖像権・プライバシー、撮影者・作者の著作権を確認してください。
      </span>
      {error ? (
        <span class="error" id="f-rights-error">
          <span class="visually-hidden">エラー: </span>
          {error}
        </span>
      ) : null}
      {imageRights.map((value: ImageRights, i) => (
        <div class="checkbox">
          <input
            type="radio"
            name="rights"
            id={i === 0 ? "f-rights" : `f-rights-${value}`}
            value={value}
            checked={selected === value}
          />
          <label for={i === 0 ? "f-rights" : `f-rights-${value}`}>{imageRightsLabels[value]}</label>
        </div>
      ))}
    </fieldset>
  );
};

/** Says that location and other metadata were removed from an image before it was stored. */
const MetadataNote: FC<{ removed: readonly string[] }> = ({ removed }) => {
  const note = metadataNote(removed);
  return note ? <p class="hint">{note}</p> : null;
};

/** The images of a post with their alt text and rights, and the form to add one. */
export const ImagesSection: FC<{
  csrf: string;
  state: FormState;
  post: PostView;
  images: readonly PostImageInfo[];
  editable: boolean;
}> = ({ csrf, state, post, images, editable }) => {
  const pack = guidelinePack().posts;
  const mb = Math.floor(pack.maxImageBytes / (1024 * 1024));
  const fileError = issueFor(state, "file");
  return (
    <section aria-labelledby="images-title">
      <h2 id="images-title">画像</h2>
      {images.length === 0 ? <p>画像はありません。</p> : null}
      <ul class="cards">
        {images.map((image) => (
          <li class="card">
            <img src={`/posts/${post.id}/images/${image.id}`} alt={image.alt} width="240" />
            <dl class="facts">
              <dt>代替テキスト</dt>
              <dd>{image.alt}</dd>
              <dt>権利の確認</dt>
              <dd>
                {imageRightsLabels[imageRights.find((r) => r === image.rights) ?? "own"]}
                {image.rightsNote ? `（${image.rightsNote}）` : ""}
              </dd>
            </dl>
            <MetadataNote removed={image.metadataRemoved} />
            {editable ? (
              <form method="post" action={`/posts/${post.id}/images/${image.id}/remove`}>
                <Csrf token={csrf} />
                <input type="hidden" name="version" value={String(post.version)} />
                <button type="submit" class="secondary">
                  画像「{image.filename}」を削除する
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {editable && images.length < pack.maxImages ? (
        <form
          method="post"
          action={`/posts/${post.id}/images`}
          enctype="multipart/form-data"
          class="stack"
          novalidate
        >
          <h3>画像を追加する</h3>
          <ErrorSummary state={state} />
          <Csrf token={csrf} />
          <input type="hidden" name="version" value={String(post.version)} />
          <div class="field">
            <label for="f-file">
              画像ファイル<span class="required">必須</span>
            </label>
            <span class="hint" id="f-file-hint">
              JPEG・PNG・GIF・WebP形式、1枚{mb}MBまで、1つの投稿に{pack.maxImages}枚までです。
            </span>
            {fileError ? (
              <span class="error" id="f-file-error">
                <span class="visually-hidden">エラー: </span>
                {fileError}
              </span>
            ) : null}
            <input
              type="file"
              id="f-file"
              name="file"
              accept="image/jpeg,image/png,image/gif,image/webp"
              aria-describedby={fileError ? "f-file-hint f-file-error" : "f-file-hint"}
              aria-invalid={fileError ? "true" : undefined}
            />
          </div>
          <TextArea
            name="alt"
            label="代替テキスト"
            hint="画像を見られない方に向けて、何が写っているかを簡潔に説明します（例: 夜空に上がる大輪の花火）。"
            state={state}
            rows={2}
            required
          />
          <RightsField state={state} />
          <TextArea
            name="rightsNote"
            label="権利についての補足"
            hint="同意を得た相手と方法、許諾の内容（提供元・ライセンス名）などを記入します。職員が撮影したもの以外は必須です。"
            state={state}
            rows={2}
          />
          <div class="actions">
            <button type="submit">画像を追加する</button>
          </div>
        </form>
      ) : null}
    </section>
  );
};
