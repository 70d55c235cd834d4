"""Browser journeys: Playwright driving Debian's Chromium (headless) against a real server
process on its own database, seeded with the demo organisation.

Without Chromium (or the playwright package) the journeys skip with a clear message; in CI
(CI=true) a missing browser is a failure."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "commons-demo"


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser journeys must run in CI: {reason}")
    pytest.skip(f"browser journeys skipped: {reason}")


@pytest.fixture(scope="session")
def sync_playwright_module():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _e2e_database_url() -> tuple[str, str, str]:
    url = urlparse(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/') or 'commons'}_e2e_{os.getpid()}"
    admin = url._replace(path="/postgres").geturl()
    return url._replace(path=f"/{name}").geturl(), admin, name


def _psql_admin(admin_url: str, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


@pytest.fixture(scope="session")
def e2e_server(sync_playwright_module, tmp_path_factory):
    database_url, admin_url, name = _e2e_database_url()
    _psql_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}"')
    _psql_admin(admin_url, f'CREATE DATABASE "{name}"')
    port = _free_port()
    mail_dir = tmp_path_factory.mktemp("mail")
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.e2e",
        "PORT": str(port),
        "E2E_MAIL_DIR": str(mail_dir),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate_all", "-v", "0"], cwd=ROOT, env=environment, check=True)
    subprocess.run(
        [*manage, "seed_demo"], cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL
    )
    log = open(tmp_path_factory.mktemp("server") / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://demo.localhost:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/health/", headers={"Host": f"demo.localhost:{port}"}
            )
            urllib.request.urlopen(request, timeout=2)  # noqa: S310 (our own local server)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(Path(log.name).read_text()[-4000:]) from None
            time.sleep(0.3)
    yield {"base": base, "port": port, "mail": mail_dir, "environment": environment}
    server.terminate()
    server.wait(timeout=20)
    _psql_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def browser(sync_playwright_module):
    with sync_playwright_module() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, e2e_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def new_page(browser, e2e_server):
    """A second, independent browser (another person)."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def check_accessibility(page, *, context: str = "") -> None:
    """axe-core in the page: no serious or critical violations (WCAG 2.x A and AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            }
        },
    )
    serious = [
        f"{violation['id']} ({violation['impact']}): "
        f"{[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, f"accessibility violations on {context or page.url}: {serious}"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def last_email_to(mail_dir: Path, address: str) -> str:
    """The newest email file addressed to `address` (the file backend writes one file per
    connection)."""
    for path in sorted(mail_dir.glob("*.log"), key=lambda item: item.stat().st_mtime, reverse=True):
        text = path.read_text()
        for message in reversed(text.split("-" * 79)):
            if f"To: {address}" in message:
                return message
    raise AssertionError(f"no email to {address} in {mail_dir}")
