-- Ceiling of GET /tasks (the reader's 100 tasks, default limit 100): the statements the server sends for one
-- request, run by pgbench -n -M prepared -f Benchmarks/sql/list-tasks.sql -D uid=... -D sid=... -D now=...
-- The SQL is the server's own, from its named prepared statements (Persistence/Tasks/TaskStatements.swift).
-- A statement ending in \gset must return exactly one row, or pgbench stops with an error: the ceiling checks
-- that the statements find the rows the server finds (the server reads them too).
-- The caller check of every authenticated request (Persistence/Sessions/CallerLookup.swift): session and user, one statement.
SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = :sid AND sessions.user_id = :uid AND sessions.revoked_at IS NULL AND sessions.expires_at > :now \gset caller_
-- ListTasks: the page and, in every row, the total for X-Total-Count (a window count).
SELECT id, title, description, completed, owner_id, created_at, updated_at, COUNT(*) OVER () AS total FROM tasks WHERE owner_id = :uid ORDER BY id LIMIT 100 OFFSET 0;
