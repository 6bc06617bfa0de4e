DROP INDEX "council_members_department_idx";--> statement-breakpoint
ALTER TABLE "council_members" ADD COLUMN "division_id" integer;--> statement-breakpoint
ALTER TABLE "council_members" ADD CONSTRAINT "council_members_division_id_divisions_id_fk" FOREIGN KEY ("division_id") REFERENCES "public"."divisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- 6.2: a department's member now sits for their own division (課等), when it is in that department.
UPDATE "council_members" cm SET "division_id" = s."division_id"
  FROM "staff" s JOIN "divisions" d ON d."id" = s."division_id"
  WHERE s."id" = cm."staff_id" AND d."department_id" = cm."department_id";--> statement-breakpoint
CREATE UNIQUE INDEX "council_members_division_idx" ON "council_members" USING btree ("division_id");--> statement-breakpoint
CREATE INDEX "council_members_department_idx" ON "council_members" USING btree ("department_id");