-- Ceiling of GET /tasks (the reader's 100 tasks, default limit 100): the statements the server sends for one
-- request, run by pgbench -n -M extended -f Benchmarks/sql/list-tasks.sql -D uid=... -D sid=... -D now=...
-- The SQL is the server's own (Persistence/Tasks/TaskStatements.swift). The server plans the list for each run
-- (HotStatement.plansEachRun), so this ceiling runs in pgbench's extended mode, planned each time too; a
-- prepared generic plan here walked the primary key through the writer's 200,000 tasks (docs/benchmarks.md).
-- A statement ending in \gset must return exactly one row, or pgbench stops with an error: the ceiling checks
-- that the statements find the rows the server finds (the server reads them too).
-- The caller check of every authenticated request (Persistence/Sessions/CallerLookup.swift): session and user, one statement.
SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = :sid AND sessions.user_id = :uid AND sessions.revoked_at IS NULL AND sessions.expires_at > :now \gset caller_
-- ListTasks: the page and, in every row, the total for X-Total-Count.
SELECT id, title, description, completed, owner_id, created_at, updated_at, (SELECT COUNT(*) FROM tasks WHERE owner_id = :uid) AS total FROM tasks WHERE owner_id = :uid ORDER BY id LIMIT :limit OFFSET :offset;
