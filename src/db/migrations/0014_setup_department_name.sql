-- The first start's provisional department is named without brackets: it is often printed inside
-- 「（…）」, where 「（（初期設定用の部））」 read badly. Only the name the first start gave is changed.
UPDATE "departments" SET "name" = '初期設定用の部' WHERE "code" = 'setup' AND "name" = '（初期設定用の部）';
