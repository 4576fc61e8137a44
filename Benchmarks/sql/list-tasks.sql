-- Ceiling of GET /tasks (the reader's 100 tasks, default limit 100): the statements the server sends for one
-- request, run by pgbench -n -M prepared -f Benchmarks/sql/list-tasks.sql -D uid=... -D sid=... -D now=...
-- Captured with log_statement=all.
-- The caller check of every authenticated request (CallerLookup.swift).
-- A statement ending in \gset must return exactly one row, or pgbench stops with an error: the ceiling checks
-- that the statements find the rows the server finds (the server reads them too).
SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = :sid AND sessions.user_id = :uid AND sessions.revoked_at IS NULL AND sessions.expires_at > :now \gset caller_
-- The total for X-Total-Count, then the page (TaskRow.Selection; SQLKit writes LIMIT and OFFSET as literals).
SELECT COUNT(*) AS "total" FROM "tasks" WHERE "owner_id" = :uid LIMIT 1 \gset
SELECT "id", "title", "description", "completed", "owner_id", "created_at", "updated_at" FROM "tasks" WHERE "owner_id" = :uid ORDER BY "id" ASC LIMIT 100 OFFSET 0;
