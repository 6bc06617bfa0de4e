/**
 * Staff pages of the archive of posts: the search (/posts/archive), the search result as CSV
 * (/posts/archive/export.csv) and the printable report for information-disclosure requests
 * (/posts/archive/report). Registered before the other posts pages so these static paths are not
 * taken for a post id.
 */
import { Hono } from "hono";
import {
  type ArchivePage,
  archiveChoices,
  mayExportArchive,
  searchPostArchive,
} from "../../app/posts/archive.ts";
import { archiveReport, exportArchiveCsv } from "../../app/posts/archive-export.ts";
import { type ArchiveFilter, filterHref, parseArchiveFilter } from "../../app/posts/archive-filter.ts";
import type { AppEnv } from "../env.ts";
import { actorOf, render, submit } from "../render.tsx";
import { ArchiveReportView } from "../views/archive-report.tsx";
import { ArchiveSearch } from "../views/archive-search.tsx";

export function archiveRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/posts/archive", async (c) => {
    const actor = actorOf(c);
    const query = c.req.query();
    const found = await submit(query, async (): Promise<{ filter: ArchiveFilter; page: ArchivePage }> => {
      const filter = parseArchiveFilter(query);
      const page = await searchPostArchive(c.var.app, {
        actor,
        filter,
        after: query.after,
        before: query.before,
      });
      return { filter, page };
    });
    const [accounts, mayExport] = await Promise.all([
      archiveChoices(c.var.app, actor),
      mayExportArchive(c.var.app, actor),
    ]);
    return render(
      c,
      "投稿の記録",
      <ArchiveSearch
        filter={found.ok ? found.result.filter : undefined}
        state={found.ok ? undefined : found.state}
        query={query}
        page={found.ok ? found.result.page : undefined}
        accounts={accounts}
        mayExport={mayExport}
      />,
      found.ok ? 200 : 422,
    );
  });

  r.get("/posts/archive/export.csv", async (c) => {
    const file = await exportArchiveCsv(c.var.app, {
      actor: actorOf(c),
      filter: parseArchiveFilter(c.req.query()),
    });
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header(
      "Content-Disposition",
      `attachment; filename="posts.csv"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    return c.body(Buffer.from(file.body));
  });

  r.get("/posts/archive/report", async (c) => {
    const filter = parseArchiveFilter(c.req.query());
    const report = await archiveReport(c.var.app, { actor: actorOf(c), filter });
    return render(
      c,
      "投稿記録の報告書",
      <ArchiveReportView report={report} backHref={filterHref("/posts/archive", filter)} />,
    );
  });

  return r;
}
