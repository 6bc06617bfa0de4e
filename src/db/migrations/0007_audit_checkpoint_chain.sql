-- Checkpoints form a chain of their own (format 2): a gapless number, the previous checkpoint's
-- hash, the time of the entry covered, and whether a closing process signed it. Rows written before
-- (format 1) keep their columns and stay verifiable; the first format 2 checkpoint links to the last
-- of them. Adding columns does not fire the append-only triggers.
ALTER TABLE "audit_checkpoints" ADD COLUMN "format" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "entry_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "final" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_checkpoints_chain_seq_idx" ON "audit_checkpoints" USING btree ("chain_seq");