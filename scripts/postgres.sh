# Sourced by the test scripts: start_postgres starts a throwaway PostgreSQL server from Debian's binaries in a
# temporary directory, listening on 127.0.0.1 only, and exports TEST_POSTGRES_URL; stop_postgres removes it.
# For speed it runs with fsync=off and synchronous_commit=off, which lose acknowledged commits in a crash;
# PG_DURABLE=1 keeps PostgreSQL's durable defaults instead (the crash tests of scripts/fault-test.sh).
# PG_BIN, PG_CTL, PG_DIR, PG_OPTIONS and the PG_RUN prefix stay set, so a caller can stop and start it again.

start_postgres() {
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
        echo "PostgreSQL server binaries not found: install them (apt-get install postgresql) or set SKIP_POSTGRES=1." >&2
        return 1
    fi
    PG_DIR="$(mktemp -d /tmp/taskapi-postgres.XXXXXX)"
    PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    # The server refuses to run as root, so it runs as the postgres user when we are root.
    PG_RUN=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
        chown postgres "$PG_DIR"
        PG_RUN=(runuser -u postgres --)
    fi
    "${PG_RUN[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
        { cat "$PG_DIR/initdb.log" >&2; return 1; }
    # Swift Testing runs the PostgreSQL tests in parallel, each app with a pool of its own that opens connections
    # as its requests need them: 200 was once not enough for a full run ("too many clients already").
    PG_OPTIONS="-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=400"
    [ "${PG_DURABLE:-0}" = 1 ] || PG_OPTIONS="$PG_OPTIONS -c fsync=off -c synchronous_commit=off"
    "${PG_RUN[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -o "$PG_OPTIONS" start >/dev/null ||
        { cat "$PG_DIR/server.log" >&2; return 1; }
    PG_BIN="$bin"
    PG_CTL="$bin/pg_ctl"
    export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') started on 127.0.0.1:$PG_PORT ($PG_DIR$(
        [ "${PG_DURABLE:-0}" = 1 ] && echo ', durable'))" >&2
}

stop_postgres() {
    [ -n "${PG_DIR:-}" ] || return 0
    "${PG_RUN[@]}" "$PG_CTL" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
}
