ALTER TABLE "publishing_outbox" DROP CONSTRAINT "publishing_outbox_status_check";--> statement-breakpoint
ALTER TABLE "post_versions" ADD COLUMN "audience" jsonb;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "audience" jsonb;--> statement-breakpoint
ALTER TABLE "publishing_outbox" ADD CONSTRAINT "publishing_outbox_status_check" CHECK ("publishing_outbox"."status" in ('pending','sending','accepted','delivering','recorded','failed','cancelled'));