#!/usr/bin/env bash
# Installs what scripts/test.sh needs and a new machine lacks, from Debian's packages and PyPI: PostgreSQL's server
# binaries (with pgbench), curl, Chromium and its driver, nginx, wrk, and the Python packages PyYAML and bcrypt.
# Without root (no apt-get), it only names what is missing, with the SKIP_ variable that does without it.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
# pgbench ships in postgresql-NN, which postgresql-contrib pulls in.
ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || missing+=(postgresql-contrib)
command -v curl >/dev/null || missing+=(curl)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# Debian's nginx is /usr/sbin/nginx, on root's PATH but not always on another user's.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing ${missing[*]} from Debian's packages" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "Missing ${missing[*]}: install them (apt-get install ${missing[*]}), or skip what needs them with" \
            "SKIP_POSTGRES=1, SKIP_BROWSER=1, SKIP_REPLICAS=1 or SKIP_BENCH=1" >&2
    fi
fi
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml
# The benchmark's bcrypt ceiling; without it, Benchmarks/bench.py falls back to the server's own logins.
python3 -c 'import bcrypt' 2>/dev/null || python3 -m pip install --quiet bcrypt ||
    echo "python's bcrypt package could not be installed: the benchmark uses its fallback bcrypt ceiling" >&2
