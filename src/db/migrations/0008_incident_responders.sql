ALTER TABLE "impersonations" ADD COLUMN "warning_published_by" integer;--> statement-breakpoint
ALTER TABLE "incident_steps" ADD COLUMN "assigned_by" integer;--> statement-breakpoint
ALTER TABLE "incident_steps" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "impersonations" ADD CONSTRAINT "impersonations_warning_published_by_staff_id_fk" FOREIGN KEY ("warning_published_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_steps" ADD CONSTRAINT "incident_steps_assigned_by_staff_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- 7: a step's owner counts as a responder only when a responder gave it to them. Owners given
-- before this was recorded are read from the timeline: the latest 「担当・期限を変更」 entry that
-- named the step's current owner.
UPDATE "incident_steps" AS s
SET "assigned_by" = e."actor_id", "assigned_at" = e."at"
FROM (
  SELECT DISTINCT ON ("incident_id", "data"->>'stepKey')
    "incident_id", "data"->>'stepKey' AS step_key, "data"->>'ownerId' AS owner_id, "actor_id", "at"
  FROM "incident_events"
  WHERE "kind" = 'step_assigned' AND "note" LIKE '担当:%'
  ORDER BY "incident_id", "data"->>'stepKey', "at" DESC, "id" DESC
) AS e
WHERE e."incident_id" = s."incident_id" AND e.step_key = s."step_key" AND e.owner_id = s."owner_id"::text;
