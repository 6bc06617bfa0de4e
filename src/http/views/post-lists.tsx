/**
 * The lists of /posts: post-hoc reports waiting for the manager's acknowledgement (due time red
 * when past), posts waiting for approval, and the person's own posts with a status filter.
 */
import type { FC } from "hono/jsx";
import type { PostView } from "../../db/repos/posts.ts";
import { postCategoryShort, postStatuses, postStatusLabels } from "../../domain/posts.ts";
import { platformLabel } from "../../guideline/pack.ts";
import { Badge, SelectField } from "./components.tsx";
import { DateTime } from "./dates.tsx";
import { ReportDue, StatusBadge } from "./post-page.tsx";

/** The first characters of a post, for a list. */
export function excerpt(text: string, length = 50): string {
  const chars = [...text.replace(/\s+/g, " ")];
  return chars.length > length ? `${chars.slice(0, length).join("")}…` : chars.join("");
}

/** A table of posts; `kind` adds the column the list is about. */
export const PostTable: FC<{
  posts: readonly PostView[];
  caption: string;
  kind: "mine" | "waiting" | "reports";
  now: Date;
}> = ({ posts, caption, kind, now }) => (
  <div class="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">投稿</th>
          <th scope="col">アカウント</th>
          <th scope="col">区分</th>
          <th scope="col">状態</th>
          <th scope="col">{kind === "reports" ? "確認期限" : kind === "waiting" ? "作成・申請" : "更新"}</th>
        </tr>
      </thead>
      <tbody>
        {posts.map((p) => (
          <tr>
            <td>
              <a href={`/posts/${p.id}`}>
                #{p.id} {excerpt(p.text)}
              </a>
              {p.errorCount > 0 ? (
                <>
                  {" "}
                  <Badge tone="error">要修正{p.errorCount}</Badge>
                </>
              ) : null}
              {p.warningCount > 0 ? (
                <>
                  {" "}
                  <Badge tone="warn">要確認{p.warningCount}</Badge>
                </>
              ) : null}
            </td>
            <td>
              {p.accountName}（{platformLabel(p.platform)}）
            </td>
            <td>{postCategoryShort[p.category]}</td>
            <td>
              <StatusBadge status={p.status} />
            </td>
            <td>
              {kind === "reports" ? (
                <ReportDue post={p} now={now} />
              ) : kind === "waiting" ? (
                <>
                  {p.authorName}
                  <br />
                  {p.submittedAt ? <DateTime at={p.submittedAt} /> : "—"}
                </>
              ) : (
                <DateTime at={p.updatedAt} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** The status filter of "my posts" (GET, works without JavaScript). */
export const StatusFilter: FC<{ status: string }> = ({ status }) => (
  <form method="get" action="/posts" class="filters">
    <SelectField
      name="status"
      label="状態で絞り込む"
      value={status}
      blank="すべて"
      options={postStatuses.map((s) => ({ value: s, label: postStatusLabels[s] }))}
    />
    <div class="actions">
      <button type="submit" class="secondary">
        絞り込む
      </button>
    </div>
  </form>
);
