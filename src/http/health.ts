/**
 * GET /healthz for load balancers and monitors: 200 `{"status":"ok"}` when the database answers
 * and can write (db/client.ts) and, on the embedded database, its data folder takes a file
 * written through to the disk (db/health.ts); otherwise 503 with the reason for monitors
 * (`database_unreachable`, `database_unwritable`, `data_dir_unwritable`) and a Japanese message.
 * Never cached.
 */
import type { Handler } from "hono";
import { databaseIsHealthy } from "../db/client.ts";
import { probeDataDir } from "../db/health.ts";
import type { AppEnv } from "./env.ts";

type Reason = "database_unreachable" | "database_unwritable" | "data_dir_unwritable";

const messages: Record<Reason, string> = {
  database_unreachable: "データベースに接続できません。",
  database_unwritable:
    "データベースに書き込めません。ディスクの空き容量と、読み取り専用になっていないかを確認してください。",
  data_dir_unwritable: "データフォルダに書き込めません。ディスクの空き容量と権限を確認してください。",
};

/**
 * The /healthz handler.
 * @param dataDir the embedded database's data folder (undefined on an external server)
 */
export function healthRoute(dataDir: string | undefined): Handler<AppEnv> {
  return async (c) => {
    c.header("Cache-Control", "no-store");
    const database = await databaseIsHealthy(c.var.app.db);
    const folder = database === "ok" && dataDir ? await probeDataDir(dataDir) : undefined;
    const reason: Reason | undefined =
      database === "unreachable"
        ? "database_unreachable"
        : database === "unwritable"
          ? "database_unwritable"
          : folder
            ? "data_dir_unwritable"
            : undefined;
    if (!reason) return c.json({ status: "ok", database: "ok" }, 200);
    c.var.app.log.warn("health check failed", { reason, ...(folder ? { error: folder.error } : {}) });
    return c.json({ status: "unavailable", database, reason, message: messages[reason] }, 503);
  };
}
