"""Fixtures for the browser tests: the built server, Swagger UI and ReDoc served from a PyPI package's copy
(these machines have no CDN), and headless Chromium from Debian's packages."""

import importlib.util
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

OUTPUT = pathlib.Path(os.environ.get("TEST_OUTPUT", "test-output"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {seconds}s")


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="session")
def assets_url():
    """The Swagger UI and ReDoc files of the drf-spectacular-sidecar package, on a loopback static server."""
    # Located, not imported: the package's __init__ needs Django, and only its static files are wanted.
    package = importlib.util.find_spec("drf_spectacular_sidecar").submodule_search_locations[0]
    root = pathlib.Path(package) / "static" / "drf_spectacular_sidecar"
    port = free_port()
    log = open(OUTPUT / "assets-server.log", "w")
    server = subprocess.Popen(
        ["python3", "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/swagger-ui-dist/swagger-ui.css")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def api_url(assets_url):
    """The server under test, with its docs pages pointed at the local asset copies."""
    port = free_port()
    work = tempfile.mkdtemp(prefix="taskapi-browser.")
    env = dict(
        os.environ,
        SQLITE_PATH=f"{work}/browser.sqlite",
        BCRYPT_COST="4",
        LOG_LEVEL="warning",
        SWAGGER_UI_JS_URL=f"{assets_url}/swagger-ui-dist/swagger-ui-bundle.js",
        SWAGGER_UI_CSS_URL=f"{assets_url}/swagger-ui-dist/swagger-ui.css",
        REDOC_JS_URL=f"{assets_url}/redoc/bundles/redoc.standalone.js",
    )
    env.pop("DATABASE_URL", None)
    log = open(OUTPUT / "api-server.log", "w")
    server = subprocess.Popen(
        [os.environ["TASKAPI_BINARY"], "serve", "--hostname", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health/ready")
        post_json(f"{base}/users", {"username": "testuser", "password": "test123"})
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2400"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(
        service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options
    )
    try:
        yield driver
    finally:
        driver.quit()
