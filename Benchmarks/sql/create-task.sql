-- Ceiling of POST /tasks: the statements the server sends for one request, run by
--   pgbench -n -M prepared -f Benchmarks/sql/create-task.sql -D uid=... -D sid=... -D now=... -D title=... -D description=... -D completed=false
-- Captured with log_statement=all. The write runs in an explicit transaction (Database+Durably.swift).
-- The caller check of every authenticated request (CallerLookup.swift).
-- A statement ending in \gset must return exactly one row, or pgbench stops with an error: the ceiling checks
-- that the statements find the rows the server finds (the server reads them too).
SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = :sid AND sessions.user_id = :uid AND sessions.revoked_at IS NULL AND sessions.expires_at > :now \gset caller_
BEGIN;
INSERT INTO "tasks" ("id", "title", "description", "completed", "owner_id", "created_at", "updated_at") VALUES (DEFAULT, :title, :description, :completed, :uid, :now, :now) RETURNING "id" \gset created_
COMMIT;
