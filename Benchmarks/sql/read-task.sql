-- Ceiling of GET /tasks/{id}: the statements the server sends for one request, run by
--   pgbench -n -M prepared -f Benchmarks/sql/read-task.sql -D uid=... -D sid=... -D now=... -D first_id=... -D last_id=...
-- (Benchmarks/bench.py sets the variables from the seeded data: uid and sid from the reader's access token, the
-- ids of its 100 tasks, now at the start of the run.) The SQL is the server's own, from its named prepared
-- statements (Persistence/Tasks/TaskStatements.swift), with pgbench variables for the parameters.
-- A statement ending in \gset must return exactly one row, or pgbench stops with an error: the ceiling checks
-- that the statements find the rows the server finds (the server reads them too).
\set id random(:first_id, :last_id)
-- The caller check of every authenticated request (Persistence/Sessions/CallerLookup.swift): session and user, one statement.
SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = :sid AND sessions.user_id = :uid AND sessions.revoked_at IS NULL AND sessions.expires_at > :now \gset caller_
-- FindTask.
SELECT id, title, description, completed, owner_id, created_at, updated_at FROM tasks WHERE id = :id AND owner_id = :uid \gset
