/**
 * ① 市として既に発信している内容を再度発信する場合 (5.1.4): what a re-send may repeat, and whether
 * a post's text is that content. The source is a published post of any of the city's official
 * accounts (not one marked erroneous, 5.3.2), or a page on one of the city's own domains (the
 * checker pack's trusted domains without the nationwide `*.lg.jp` / `*.go.jp`, and its trusted
 * URL prefixes). A post's text is compared for real; a page cannot be fetched here, so the
 * passage the operator quotes is kept with its URL and the approver compares it with the page
 * when acknowledging the report. Anything else needs approval first.
 */
import { loadChecker } from "../../checker/index.ts";
import type { Db } from "../../db/client.ts";
import { findPostView, type Post, type PostView } from "../../db/repos/posts.ts";
import { clauseRef } from "../../domain/clauses.ts";
import { isCityHost, resendProblem } from "../../domain/posts.ts";
import { validation } from "../../errors.ts";

/** Where a re-send's content comes from, as stored on the post. */
export type ResendSourceInput = {
  repostOf: number | null;
  repostSourceUrl: string | null;
  repostQuote: string | null;
};

/** A re-send's source: an earlier post, or a passage of a page of the city. */
export type ResendSourceView =
  | { kind: "post"; post: PostView }
  | { kind: "page"; url: string; quote: string };

/** The honest note shown wherever a page is the source (the system does not fetch pages). */
export const PAGE_SOURCE_NOTE =
  "市のページの本文との一致はシステムでは確認できないため、事後確認で照合してください。";

/** The city's own domain patterns and URL prefixes, from the checker's pack. */
export async function cityDomains(): Promise<{ domains: string[]; prefixes: string[] }> {
  const { pack } = await loadChecker();
  return {
    domains: pack.links.trustedDomains.filter((p) => isCityHost(p.replace(/^\*\./, ""), [p])),
    prefixes: pack.links.trustedUrlPrefixes,
  };
}

/** Whether `url` is an http(s) page on one of the city's own domains (or under a city prefix). */
export async function isCityPage(url: string): Promise<boolean> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return false;
  if (parsed.username || parsed.password) return false;
  const { domains, prefixes } = await cityDomains();
  if (isCityHost(parsed.hostname, domains)) return true;
  const bare = url.replace(/^https?:\/\//i, "").toLowerCase();
  return prefixes.some((p) => bare.startsWith(p.replace(/^https?:\/\//i, "").toLowerCase()));
}

const fieldError = (field: string, message: string) => validation(message, [{ field, message }]);

/**
 * The source a re-send names, checked: exactly one of a post or a page; the post published and
 * not marked erroneous (any account of the city); the page on a city domain, with the quoted
 * passage. Published posts are public, so any operator may name one; a missing post and an
 * unpublished one get the same answer (drafts of other divisions are not disclosed).
 * @throws 422 naming the field
 */
export async function resendSource(db: Db, input: ResendSourceInput): Promise<ResendSourceView> {
  const url = input.repostSourceUrl?.trim() ?? "";
  const quote = input.repostQuote?.trim() ?? "";
  if (input.repostOf !== null && (url !== "" || quote !== "")) {
    throw fieldError(
      "repostOf",
      "再発信の元は、市の投稿か、市のページ（URLと引用する文）のどちらか一方を指定してください。",
    );
  }
  if (input.repostOf !== null) {
    const post = await findPostView(db, input.repostOf);
    if (post?.status !== "published") {
      throw fieldError(
        "repostOf",
        `再発信できるのは、市の公式アカウントで発信済みの投稿だけです（${clauseRef("5.1.4.1")}）。`,
      );
    }
    if (post.erroneousAt !== null) {
      throw fieldError(
        "repostOf",
        `誤りがあるとされた投稿（${clauseRef("5.3.2")}）は再発信できません。訂正の投稿を選ぶか、承認を得て発信してください。`,
      );
    }
    return { kind: "post", post };
  }
  if (url === "" && quote === "") {
    throw fieldError(
      "repostOf",
      `再発信する、市として既に発信した投稿を選ぶか、市のページのURLと引用する文を入力してください（${clauseRef("5.1.4.1")}）。`,
    );
  }
  if (!(await isCityPage(url))) {
    const { domains } = await cityDomains();
    throw fieldError(
      "repostSourceUrl",
      url === ""
        ? "引用した市のページのURLを入力してください。"
        : `再発信の元にできるのは、市のドメイン（${domains.join("、")}）のページだけです（${clauseRef("5.1.4.1")}）。ほかのサイトの内容は、承認を得て発信してください。`,
    );
  }
  if (quote === "") {
    throw fieldError("repostQuote", "ページから引用する文を、ページに書かれているとおりに入力してください。");
  }
  return { kind: "page", url, quote };
}

/** A re-send's source and, when the text is not that content, why (in Japanese). */
export type ResendVerdict = { source: ResendSourceView; problem: string | null };

/**
 * Whether the post's text is a re-send of its source (domain/posts.ts `resendProblem`): the
 * content itself, with at most a short lead-in and the source's URL. For a post the text is
 * compared with the post's; for a page with the quoted passage as given.
 * @throws 422 when the source itself is no longer acceptable (e.g. marked erroneous since)
 */
export async function resendVerdict(
  db: Db,
  post: Pick<Post, "text" | "repostOf" | "repostSourceUrl" | "repostQuote">,
): Promise<ResendVerdict> {
  const source = await resendSource(db, post);
  const problem =
    source.kind === "post"
      ? resendProblem(post.text, {
          text: source.post.text,
          url: source.post.publishedUrl,
          urlRequired: false,
        })
      : resendProblem(post.text, { text: source.quote, url: source.url, urlRequired: true });
  return { source, problem };
}
