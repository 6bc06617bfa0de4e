-- 5.1.4 ① re-sends: the source may be a page on one of the city's own domains (its URL and the
-- quoted passage are kept for the approver). 5.2: a post-hoc post with an error finding goes out
-- only with a confirmation given on the spot by someone who may approve; the operator records it
-- (recorded_by), the decision names who confirmed (actor_id) and when (given_at).
ALTER TABLE "post_decisions" ADD COLUMN "recorded_by" integer;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "repost_source_url" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "repost_quote" text;--> statement-breakpoint
ALTER TABLE "post_decisions" ADD CONSTRAINT "post_decisions_recorded_by_staff_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;