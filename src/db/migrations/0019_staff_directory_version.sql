CREATE TABLE "data_versions" (
	"name" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
-- Written by hand after the generated table: the staff list's rows and totals are kept in memory
-- per version (app/staff-directory-cache.ts). Every transaction that changes a table they are read
-- from (staff and the names of departments, divisions and positions) sets the version to its own
-- id as it commits: the new version becomes visible with the commit, never before it, whoever
-- made the change (another instance, psql), and a transaction id is never used twice in a
-- cluster, so an old version cannot come back. The row triggers are deferred to the commit, so a
-- transaction locks the version row last, after everything else it locks (the audit log's lock
-- included), and two transactions cannot deadlock on it; the first one of a transaction writes
-- the row, the others find it written.
CREATE FUNCTION snsgov_bump_staff_directory_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_versions SET version = pg_current_xact_id()::text::bigint
    WHERE name = 'staff_directory' AND version <> pg_current_xact_id()::text::bigint;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A version row written by anyone (a restore, a hand-made insert) also gets its transaction's id.
CREATE FUNCTION snsgov_data_version_of_transaction() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := pg_current_xact_id()::text::bigint;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER data_versions_transaction_id BEFORE INSERT OR UPDATE ON data_versions
  FOR EACH ROW EXECUTE FUNCTION snsgov_data_version_of_transaction();
--> statement-breakpoint
INSERT INTO data_versions (name, version) VALUES ('staff_directory', 0);
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER staff_directory_version AFTER INSERT OR UPDATE OR DELETE ON staff
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION snsgov_bump_staff_directory_version();
--> statement-breakpoint
CREATE TRIGGER staff_directory_version_truncate AFTER TRUNCATE ON staff
  FOR EACH STATEMENT EXECUTE FUNCTION snsgov_bump_staff_directory_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER staff_directory_version AFTER INSERT OR UPDATE OR DELETE ON departments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION snsgov_bump_staff_directory_version();
--> statement-breakpoint
CREATE TRIGGER staff_directory_version_truncate AFTER TRUNCATE ON departments
  FOR EACH STATEMENT EXECUTE FUNCTION snsgov_bump_staff_directory_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER staff_directory_version AFTER INSERT OR UPDATE OR DELETE ON divisions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION snsgov_bump_staff_directory_version();
--> statement-breakpoint
CREATE TRIGGER staff_directory_version_truncate AFTER TRUNCATE ON divisions
  FOR EACH STATEMENT EXECUTE FUNCTION snsgov_bump_staff_directory_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER staff_directory_version AFTER INSERT OR UPDATE OR DELETE ON positions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION snsgov_bump_staff_directory_version();
--> statement-breakpoint
CREATE TRIGGER staff_directory_version_truncate AFTER TRUNCATE ON positions
  FOR EACH STATEMENT EXECUTE FUNCTION snsgov_bump_staff_directory_version();
