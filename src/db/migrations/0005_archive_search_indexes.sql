-- The archive search (情報公開請求): trigram text search needs pg_trgm (a trusted extension on
-- PostgreSQL 13+, bundled with PGlite and loaded by src/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "post_versions_findings_idx" ON "post_versions" USING gin ("findings" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "posts_text_trgm_idx" ON "posts" USING gin ("text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "posts_findings_idx" ON "posts" USING gin ("findings" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "posts_created_id_idx" ON "posts" USING btree ("created_at","id");