-- Ceiling of the mixed CRUD scenario (Benchmarks/wrk/mixed-crud.lua): the same cycle of ten requests per client,
-- 6 reads (60%), 2 creates, 1 update and 1 delete of a task the client created, with the statements the server
-- sends for each, run by
--   pgbench -n -M prepared -f Benchmarks/sql/mixed-crud.sql -D uid=... -D sid=... -D now=... -D first_id=...
--           -D last_id=... -D title=... -D description=... -D completed=false -D n=0 -D created_id=0
-- One pgbench transaction is one HTTP request. Captured with log_statement=all.
-- A statement ending in \gset must return exactly one row, or pgbench stops with an error: the ceiling checks
-- that the statements find the rows the server finds (the server reads them too).
\set step :n % 10
\set n :n + 1
\set id random(:first_id, :last_id)
-- The caller check of every authenticated request (CallerLookup.swift).
SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = :sid AND sessions.user_id = :uid AND sessions.revoked_at IS NULL AND sessions.expires_at > :now \gset caller_
\if :step = 0 or :step = 3
-- POST /tasks
BEGIN;
INSERT INTO "tasks" ("id", "title", "description", "completed", "owner_id", "created_at", "updated_at") VALUES (DEFAULT, :title, :description, :completed, :uid, :now, :now) RETURNING "id" \gset created_
COMMIT;
\elif :step = 5
-- PATCH /tasks/{id} with a new title: the task, then the update of the changed field and updated_at.
SELECT "tasks"."id" AS "tasks_id", "tasks"."title" AS "tasks_title", "tasks"."description" AS "tasks_description", "tasks"."completed" AS "tasks_completed", "tasks"."owner_id" AS "tasks_owner_id", "tasks"."created_at" AS "tasks_created_at", "tasks"."updated_at" AS "tasks_updated_at" FROM "tasks" WHERE "tasks"."owner_id" = :uid AND "tasks"."id" = :id LIMIT 1 \gset
BEGIN;
UPDATE "tasks" SET "title" = :title, "updated_at" = :now WHERE "tasks"."id" = :id;
COMMIT;
\elif :step = 7
-- DELETE /tasks/{id} of the task this client created last: the task, then the delete.
SELECT "tasks"."id" AS "tasks_id", "tasks"."title" AS "tasks_title", "tasks"."description" AS "tasks_description", "tasks"."completed" AS "tasks_completed", "tasks"."owner_id" AS "tasks_owner_id", "tasks"."created_at" AS "tasks_created_at", "tasks"."updated_at" AS "tasks_updated_at" FROM "tasks" WHERE "tasks"."owner_id" = :uid AND "tasks"."id" = :created_id LIMIT 1 \gset
BEGIN;
DELETE FROM "tasks" WHERE "tasks"."id" = :created_id;
COMMIT;
\else
-- GET /tasks/{id}
SELECT "tasks"."id" AS "tasks_id", "tasks"."title" AS "tasks_title", "tasks"."description" AS "tasks_description", "tasks"."completed" AS "tasks_completed", "tasks"."owner_id" AS "tasks_owner_id", "tasks"."created_at" AS "tasks_created_at", "tasks"."updated_at" AS "tasks_updated_at" FROM "tasks" WHERE "tasks"."owner_id" = :uid AND "tasks"."id" = :id LIMIT 1 \gset
\endif
