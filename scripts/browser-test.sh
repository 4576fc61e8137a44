#!/usr/bin/env bash
# A real browser on the docs pages: headless Chromium (Debian's chromium and chromium-driver) driven by selenium
# does what the original README tells a person to do on /docs, and checks that /redoc renders. Swagger UI and
# ReDoc come from the drf-spectacular-sidecar PyPI package through the configurable docs-asset URLs, since the
# test machines have no CDN. Screenshots go to test-output/.
# Usage: scripts/browser-test.sh path/to/TaskAPIServer
set -euo pipefail
export TASKAPI_BINARY="$(realpath "$1")"
cd "$(dirname "$0")/.."

for tool in chromium chromedriver; do
    command -v "$tool" >/dev/null || {
        echo "$tool not found: apt-get install chromium chromium-driver" >&2
        exit 1
    }
done
venv=.venv-browser
if ! "$venv/bin/python" -c 'import importlib.util, selenium, pytest; assert importlib.util.find_spec("drf_spectacular_sidecar")' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/browser/requirements.txt
    # Only its static files are used, so none of its Django dependencies are installed.
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps drf-spectacular-sidecar==2026.10.1
fi
export TEST_OUTPUT="$PWD/test-output"
mkdir -p "$TEST_OUTPUT"
"$venv/bin/python" -m pytest -q -p no:cacheprovider scripts/browser
