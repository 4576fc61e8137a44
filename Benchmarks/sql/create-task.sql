-- Ceiling of POST /tasks: the statements the server sends for one request, run by
--   pgbench -n -M prepared -f Benchmarks/sql/create-task.sql -D uid=... -D sid=... -D now=... -D title=... -D description=... -D completed=false
-- The SQL is the server's own, from its named prepared statements (Persistence/Tasks/TaskStatements.swift). The
-- write runs in an explicit transaction (Persistence/Database+Durably.swift).
-- A statement ending in \gset must return exactly one row, or pgbench stops with an error: the ceiling checks
-- that the statements find the rows the server finds (the server reads them too).
-- The caller check of every authenticated request (Persistence/Sessions/CallerLookup.swift): session and user, one statement.
SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = :sid AND sessions.user_id = :uid AND sessions.revoked_at IS NULL AND sessions.expires_at > :now \gset caller_
BEGIN;
-- InsertTask.
INSERT INTO tasks (owner_id, title, description, completed, created_at, updated_at) VALUES (:uid, :title, :description, :completed, :now, :now) RETURNING id, title, description, completed, owner_id, created_at, updated_at \gset created_
COMMIT;
