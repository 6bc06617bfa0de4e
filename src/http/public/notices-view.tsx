/**
 * The notices page for citizens: one section per notice source (app/public/notices.ts) — today
 * the change and closure notices of accounts (4.5.2) and the incidents' public warnings and
 * corrections (impersonation 7.3.1, misinformation 7.4).
 * Items are rendered generically (title, kind, facts, text), so a new source needs no view.
 */
import type { FC } from "hono/jsx";
import type { NoticeFact, PublicNoticeItem, PublicNoticeSection } from "../../app/public/notices.ts";
import { DateText } from "../views/dates.tsx";
import { Tokens, Url } from "../views/tokens.tsx";

const Fact: FC<{ fact: NoticeFact }> = ({ fact }) => {
  if ("date" in fact) return <DateText date={fact.date} />;
  if ("url" in fact)
    return (
      <span class="public-url">
        <a href={fact.url}>
          <Url value={fact.url} />
        </a>
      </span>
    );
  return <Tokens text={fact.text} />;
};

const Item: FC<{ item: PublicNoticeItem }> = ({ item }) => (
  <article
    class={`public-notice public-notice-${item.tone}`}
    id={item.anchor}
    aria-labelledby={`${item.anchor}-title`}
  >
    <h3 id={`${item.anchor}-title`}>
      <span class={`badge ${item.tone === "warning" ? "badge-warn" : "badge-muted"}`}>{item.kindLabel}</span>{" "}
      {item.title}
    </h3>
    <dl class="facts">
      {item.facts.map((fact) => (
        <>
          <dt>{fact.label}</dt>
          <dd>
            <Fact fact={fact} />
          </dd>
        </>
      ))}
      {item.body ? (
        <>
          <dt>理由・詳細</dt>
          <dd class="public-text">
            <Tokens text={item.body} />
          </dd>
        </>
      ) : null}
    </dl>
    {item.account ? (
      <p>
        <a href={`/public/accounts/${item.account.id}`}>このアカウントの詳細とメディアポリシー</a>
      </p>
    ) : null}
  </article>
);

/** The body of /public/notices. */
export const NoticesPage: FC<{ sections: PublicNoticeSection[]; today: string; cityName: string }> = ({
  sections,
  today,
  cityName,
}) => (
  <>
    <h1>公式アカウントに関するお知らせ</h1>
    <p>
      {cityName}の公式アカウントについてのお知らせです（
      <DateText date={today} />
      現在）。
    </p>
    {sections.map((section) => (
      <section aria-labelledby={`section-${section.key}`}>
        <h2 id={`section-${section.key}`}>{section.title}</h2>
        <p>{section.description}</p>
        {section.items.length === 0 ? (
          <p>{section.empty}</p>
        ) : (
          section.items.map((item) => <Item item={item} />)
        )}
      </section>
    ))}
  </>
);
