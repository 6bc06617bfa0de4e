/**
 * The verification page (「公式アカウントか確かめる」) and its JSON twin: a plain GET form (works
 * without JavaScript) and the answer — official, the announced new account of a change, formerly
 * official (until when), or not official (and a known impersonation, 7.3.1) — with a warning
 * whenever the handle looks like an official one.
 */
import type { FC } from "hono/jsx";
import type { PublicAccount } from "../../app/public/registry.ts";
import {
  readAs,
  type VerifyOutcome,
  type VerifyResult,
  type WarningReason,
} from "../../app/public/verify.ts";
import { formatDate } from "../../domain/dates.ts";
import { HIJACK_MARKING } from "../../domain/hijack.ts";
import { lookalikeReasonLabels } from "../../domain/lookalike.ts";
import { platformLabel, platforms } from "../../guideline/pack.ts";
import { TextField } from "../views/components.tsx";
import { DateText } from "../views/dates.tsx";
import { ErrorSummary } from "../views/error-summary.tsx";
import { Url } from "../views/tokens.tsx";
import { accountJson, type PublicAccountJson } from "./feeds.tsx";
import { accountName } from "./format.tsx";

/** Why a handle deserves a warning, in Japanese. */
export const warningLabels: Record<WarningReason, string> = {
  ...lookalikeReasonLabels,
  other_platform: "同じ名前ですが、別のサービス（または別のサーバー）のアカウントです",
};

function handleText(a: PublicAccount): string {
  const h = a.handle.replace(/^@/, "");
  return h ? `@${h}` : a.url;
}

/** The one-sentence answer, shared by the page and the JSON. */
export function verdictMessage(result: VerifyResult, cityName: string): string {
  switch (result.verdict) {
    case "official": {
      const first = result.official[0];
      if (result.official.length > 1)
        return `このユーザー名は、${result.official.map((a) => a.service).join("・")}にある${cityName}の公式アカウントです。`;
      if (!first) return `${cityName}の公式アカウントです。`;
      const marked = first.compromise ? `ただし、${HIJACK_MARKING}。${first.compromise.notice}。` : "";
      return `${first.service}の「${accountName(first)}」（${handleText(first)}）は、${cityName}の公式アカウントです。${marked}`;
    }
    case "announced": {
      const a = result.announced[0];
      return a
        ? `このアカウントは、公式アカウント「${accountName(a.account)}」の変更後のアカウントとして、${formatDate(a.effectiveDate)}から公式アカウントになる予定です。`
        : `${cityName}の公式アカウントになる予定のアカウントです。`;
    }
    case "formerly_official": {
      const moved = result.renamed[0];
      if (result.formerly.length === 0 && moved)
        return `このアドレスは${formatDate(moved.changedOn)}の変更まで、${cityName}の公式アカウント「${accountName(moved.account)}」が使っていたものです。現在の公式アカウントは ${moved.account.url} です。このアドレスのアカウントは、現在は公式ではありません。`;
      const a = result.formerly[0];
      const until = a?.closedOn ? `${formatDate(a.closedOn)}まで` : "以前は";
      return `このアカウントは${until}${cityName}の公式アカウントでした。現在は運用を終了しているため、公式アカウントではありません。`;
    }
    case "not_official":
      if (result.knownImpersonation)
        return `このアカウントは${cityName}の公式アカウントではありません。市を名乗る「なりすまし」アカウントとして確認しています。`;
      return `このアカウントは、${cityName}の公式アカウント一覧にありません。${cityName}の公式アカウントではありません。`;
  }
}

/** What was checked, as read from the input (so a post URL shows whose account it is). */
export function checkedText(query: VerifyResult["query"]): string {
  switch (query.kind) {
    case "account_url":
      return `${platformLabel(query.platform)} の ${query.handle.startsWith("@") || query.platform === "mastodon" ? query.handle : `@${query.handle}`}（${query.url}）`;
    case "other_url":
      return query.url;
    case "handle":
      return `${query.platform ? platformLabel(query.platform) : "すべてのサービス"} の @${query.handle}`;
  }
}

const headings: Record<VerifyResult["verdict"], { title: string; tone: string }> = {
  official: { title: "公式アカウントです", tone: "success" },
  announced: { title: "公式アカウントになる予定のアカウントです", tone: "info" },
  formerly_official: { title: "以前の公式アカウントです（現在は公式ではありません）", tone: "warning" },
  not_official: { title: "公式アカウントではありません", tone: "error" },
};

const AccountLine: FC<{ account: PublicAccount }> = ({ account }) => (
  <>
    {account.service}「<a href={`/public/accounts/${account.id}`}>{accountName(account)}</a>」
    <span class="public-url">
      <Url value={account.url} />
    </span>
  </>
);

const Answer: FC<{ result: VerifyResult; cityName: string }> = ({ result, cityName }) => {
  const heading = headings[result.verdict];
  const bareHandleEverywhere = result.query.kind === "handle" && result.query.platform === null;
  return (
    <section class={`notice notice-${heading.tone} public-verdict`} aria-labelledby="verdict-title">
      <h2 id="verdict-title">{heading.title}</h2>
      <p>{verdictMessage(result, cityName)}</p>
      <p class="hint">確かめたアカウント: {checkedText(result.query)}</p>
      {result.knownImpersonation ? (
        <p>
          <DateText date={result.knownImpersonation.since} />
          から確認しています。フォローや返信、リンクを開くことは控えてください。
          {result.knownImpersonation.noticeId !== null ? (
            <a href={`/public/notices#impersonation-${result.knownImpersonation.noticeId}`}>
              注意喚起のお知らせ
            </a>
          ) : null}
        </p>
      ) : null}
      {result.official.length > 0 ? (
        <ul>
          {result.official.map((a) => (
            <li>
              <AccountLine account={a} />
              {a.compromise ? (
                <p class="public-compromised">
                  <strong class="badge badge-error">{HIJACK_MARKING}</strong>
                  <br />
                  {a.compromise.notice}
                  。このアカウントからのメッセージに返信したり、リンクを開いたりしないでください。
                  <a href={`/public/notices#hijack-${a.id}`}>お知らせを見る</a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {result.announced.map((n) => (
        <p>
          変更前のアカウント: <AccountLine account={n.account} />。
          <a href={`/public/notices#notice-${n.noticeId}`}>変更のお知らせを見る</a>
        </p>
      ))}
      {result.verdict !== "official" && result.formerly.length > 0 ? (
        <ul>
          {result.formerly.map((a) => (
            <li>
              <AccountLine account={a} />
              {a.closedOn ? (
                <>
                  （<DateText date={a.closedOn} />
                  に運用終了）
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {result.verdict !== "official" && result.renamed.length > 0 ? (
        <ul>
          {result.renamed.map((r) => (
            <li>
              現在の公式アカウント: <AccountLine account={r.account} />（<DateText date={r.changedOn} />
              に変更）
            </li>
          ))}
        </ul>
      ) : null}
      {bareHandleEverywhere && result.official.length > 0 ? (
        <p>上に挙げたサービス以外で同じ名前を使っているアカウントは、公式アカウントではありません。</p>
      ) : null}
      {result.verdict === "not_official" ? (
        <p>
          市の公式アカウントはすべて<a href="/public/accounts">公式アカウント一覧</a>
          に載っています。市を名乗る怪しいアカウントには、フォローや返信をしないでください。
        </p>
      ) : null}
    </section>
  );
};

const Lookalikes: FC<{ result: VerifyResult }> = ({ result }) => {
  if (result.lookalikes.length === 0) return null;
  return (
    <section class="notice notice-warning public-lookalikes" aria-labelledby="lookalike-title">
      <h2 id="lookalike-title">名前のよく似た公式アカウントがあります</h2>
      <p>
        入力されたアカウントは、次の公式アカウントとよく似た名前です。市の公式アカウントを装った「なりすまし」の可能性があります。URLを1文字ずつ見比べてください。
      </p>
      <ul>
        {result.lookalikes.map((l) => (
          <li>
            <AccountLine account={l.account} />
            {l.account.status === "closed" ? "（運用終了）" : ""}
            <br />
            <span class="hint">{warningLabels[l.reason]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
};

const Form: FC<{ input: string; platform: string; again: boolean; error?: string | undefined }> = ({
  input,
  platform,
  again,
  error,
}) => (
  <form
    method="get"
    action="/public/verify"
    class="stack public-verify-form"
    aria-label="公式アカウントか確かめる"
  >
    <TextField
      name="url"
      label="アカウントのURLまたはユーザー名"
      hint="例: https://x.com/iwaki_city または @iwaki_city。投稿のURLを貼り付けても確かめられます。"
      state={{ values: { url: input }, issues: error ? [{ field: "url", message: error }] : [] }}
      autocomplete="off"
      inputmode="url"
    />
    <div class="field">
      <label for="f-platform">サービス（ユーザー名で確かめるとき）</label>
      <select id="f-platform" name="platform">
        <option value="">すべてのサービス</option>
        {platforms
          .filter((p) => p !== "other")
          .map((p) => (
            <option value={p} selected={platform === p}>
              {platformLabel(p)}
            </option>
          ))}
      </select>
    </div>
    <div class="actions">
      <button type="submit">{again ? "もう一度確かめる" : "確かめる"}</button>
    </div>
  </form>
);

/** The body of /public/verify. */
export const VerifyPage: FC<{
  outcome: VerifyOutcome;
  input: string;
  platform: string;
  cityName: string;
}> = ({ outcome, input, platform, cityName }) => (
  <>
    <h1>公式アカウントか確かめる</h1>
    <p>
      ソーシャルメディアで見かけたアカウントが{cityName}
      の公式アカウントかどうかを確かめられます。アカウントのURLか、@から始まるユーザー名を入力してください。
    </p>
    {outcome.kind === "invalid" ? (
      <ErrorSummary state={{ values: {}, issues: [{ field: "url", message: outcome.message }] }} />
    ) : null}
    {outcome.kind === "answer" ? (
      <>
        <Answer result={outcome} cityName={cityName} />
        <Lookalikes result={outcome} />
      </>
    ) : null}
    <Form
      input={input}
      platform={platform}
      again={outcome.kind === "answer"}
      error={outcome.kind === "invalid" ? outcome.message : undefined}
    />
  </>
);

/** The JSON twin's body for an answer. */
export function verifyJson(result: VerifyResult, props: { cityName: string; base: string }) {
  const dto = (a: PublicAccount): PublicAccountJson & { closedOn: string | null } => ({
    ...accountJson(a, props.base),
    closedOn: a.closedOn,
  });
  return {
    input: readAs(result.query),
    verdict: result.verdict,
    message: verdictMessage(result, props.cityName),
    date: result.today,
    official: result.official.map(dto),
    formerlyOfficial: result.formerly.map(dto),
    renamed: result.renamed.map((r) => ({
      account: dto(r.account),
      oldUrl: r.oldUrl,
      changedOn: r.changedOn,
    })),
    announced: result.announced.map((n) => ({
      account: dto(n.account),
      effectiveDate: n.effectiveDate,
      notice: `${props.base}/public/notices#notice-${n.noticeId}`,
    })),
    knownImpersonation: result.knownImpersonation,
    lookalikes: result.lookalikes.map((l) => ({
      account: dto(l.account),
      reason: l.reason,
      reasonLabel: warningLabels[l.reason],
    })),
  };
}
