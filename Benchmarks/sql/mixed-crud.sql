-- Ceiling of the mixed CRUD scenario (Benchmarks/wrk/mixed-crud.lua): the same cycle of ten requests per client,
-- 6 reads (60%), 2 creates, 1 update and 1 delete of a task the client created, with the statements the server
-- sends for each, run by
--   pgbench -n -M prepared -f Benchmarks/sql/mixed-crud.sql -D uid=... -D sid=... -D now=... -D first_id=...
--           -D last_id=... -D title=... -D description=... -D completed=false -D n=0 -D created_id=0
-- One pgbench transaction is one HTTP request. The SQL is the server's own, from its named prepared statements
-- (Persistence/Tasks/TaskStatements.swift); writes run in an explicit transaction (Persistence/Database+Durably.swift).
-- A statement ending in \gset must return exactly one row, or pgbench stops with an error: the ceiling checks
-- that the statements find the rows the server finds (the server reads them too).
\set step :n % 10
\set n :n + 1
\set id random(:first_id, :last_id)
-- The caller check of every authenticated request (Persistence/Sessions/CallerLookup.swift): session and user, one statement.
SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = :sid AND sessions.user_id = :uid AND sessions.revoked_at IS NULL AND sessions.expires_at > :now \gset caller_
\if :step = 0 or :step = 3
-- POST /tasks: InsertTask.
BEGIN;
INSERT INTO tasks (owner_id, title, description, completed, created_at, updated_at) VALUES (:uid, :title, :description, :completed, :now, :now) RETURNING id, title, description, completed, owner_id, created_at, updated_at \gset created_
COMMIT;
\elif :step = 5
-- PATCH /tasks/{id} with a new title: UpdateTask, one statement (the other fields' parameters are null or false).
BEGIN;
UPDATE tasks SET title = COALESCE(:title, title), description = CASE WHEN false THEN NULL ELSE description END, completed = COALESCE(NULL, completed), updated_at = :now WHERE id = :id AND owner_id = :uid RETURNING id, title, description, completed, owner_id, created_at, updated_at \gset
COMMIT;
\elif :step = 7
-- DELETE /tasks/{id} of the task this client created last: DeleteTask, one statement.
BEGIN;
DELETE FROM tasks WHERE id = :created_id AND owner_id = :uid RETURNING id \gset
COMMIT;
\else
-- GET /tasks/{id}: FindTask.
SELECT id, title, description, completed, owner_id, created_at, updated_at FROM tasks WHERE id = :id AND owner_id = :uid \gset
\endif
