"""What the fault drills share: their own embedded PostgreSQL and Redis (ports and data under
.local/faults/, apart from `make run`'s 54329/63799 and the machine's servers), a migrated
database with a drill organisation, and helpers to run the app's processes.

Ports: FAULTS_PG_PORT (default 54391), FAULTS_REDIS_PORT (63791), FAULTS_HTTP_PORT (8791).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess  # nosec B404  (fixed argument lists, never a shell)
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import devservices  # noqa: E402  (scripts/devservices.py: the embedded servers' helpers)

FAULTS = ROOT / ".local" / "faults"
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", "54391"))
REDIS_PORT = int(os.environ.get("FAULTS_REDIS_PORT", "63791"))
HTTP_PORT = int(os.environ.get("FAULTS_HTTP_PORT", "8791"))
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DRILL_SLUG = "fault-drill"
DRILL_HOST = f"{DRILL_SLUG}.localhost"
ADMIN = ("admin@fault-drill.test", "Correct-horse-2026")


def log(message: str) -> None:
    print(f"[faults] {message}", flush=True)


class DrillFailed(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"[faults] FAILED: {message}")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise DrillFailed(message)


# --- Embedded servers, pointed at the drills' own ports and folders -------------------------


def _point_devservices_here() -> None:
    devservices.PGDATA = FAULTS / "pgdata"
    devservices.PG_PORT = PG_PORT
    devservices.REDIS_DIR = FAULTS / "redis"
    devservices.REDIS_PORT = REDIS_PORT


def postgres_up() -> str:
    _point_devservices_here()
    FAULTS.mkdir(parents=True, exist_ok=True)
    return devservices.postgres_up()


def postgres_restart() -> None:
    """`pg_ctl restart -m fast`: every connection of the app is cut."""
    _point_devservices_here()
    log_file = str(devservices.PGDATA / "server.log")  # the server must not hold our pipes
    result = devservices._pg_ctl(
        "-w", "-t", "60", "-m", "fast", "-l", log_file, "restart", check=False
    )
    check(result.returncode == 0, f"pg_ctl restart failed: {result.stdout}{result.stderr}")


def postgres_down() -> None:
    _point_devservices_here()
    devservices.postgres_down()


def redis_up() -> str:
    _point_devservices_here()
    return devservices.redis_up()


def redis_down() -> None:
    _point_devservices_here()
    devservices.redis_down()
    deadline = time.monotonic() + 10
    while devservices.port_open(REDIS_PORT) and time.monotonic() < deadline:
        time.sleep(0.1)
    check(not devservices.port_open(REDIS_PORT), "Redis did not stop")


def environment(settings_module: str = "config.settings.local", **extra: str) -> dict:
    database_url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{devservices.DATABASE_NAME}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "PYTHONUNBUFFERED": "1",
        "PORT": str(HTTP_PORT),
        **extra,
    }


def manage(env: dict, *arguments: str, timeout: int = 900) -> str:
    result = subprocess.run(  # nosec B603  (fixed argument list, no shell)
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    check(result.returncode == 0, f"manage.py {' '.join(arguments)}:\n{result.stderr[-3000:]}")
    return result.stdout


def django_shell(env: dict, code: str) -> str:
    """Run Python in the app (a fresh process), returning what it prints."""
    return manage(env, "shell", "--no-imports", "-c", code)


def prepared_database(env: dict) -> None:
    """Migrated schemas and the drill organisation with its admin (idempotent)."""
    log("migrating the drill database (first run takes a while)")
    manage(env, "migrate_all", "-v", "0")
    manage(env, "ensure_public_tenant")
    exists = (
        django_shell(
            env,
            "from tenants.models import Organization;"
            f"print(Organization.objects.filter(slug='{DRILL_SLUG}').exists())",
        )
        .strip()
        .splitlines()[-1]
    )
    if exists != "True":
        manage(
            env,
            "create_organization",
            "--slug",
            DRILL_SLUG,
            "--name",
            "Fault Drill",
            "--admin-email",
            ADMIN[0],
            "--admin-password",
            ADMIN[1],
        )


# --- The app's processes -----------------------------------------------------------------------


class Process:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict) -> None:
        self.name = name
        self.log_path = FAULTS / f"{name}.log"
        self.log_file = open(self.log_path, "w")  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(  # nosec B603  (fixed argument list, no shell)
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL, no goodbye: what the OOM killer or a lost machine does."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log_file.close()

    def output(self) -> str:
        if not self.log_file.closed:
            self.log_file.flush()
        return self.log_path.read_text(errors="replace")


def celery_worker(env: dict, name: str) -> Process:
    return Process(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "info",
            "--hostname",
            f"{name}@faults",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
    )


def web_server(env: dict, name: str = "web") -> Process:
    process = Process(
        name,
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{HTTP_PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "30",
        ],
        env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if devservices.port_open(HTTP_PORT):
            return process
        check(process.process.poll() is None, f"{name} exited:\n{process.output()[-3000:]}")
        time.sleep(0.2)
    raise DrillFailed(f"{name} did not start:\n{process.output()[-3000:]}")


def request(method: str, path: str, *, body: str | None = None, headers=None, timeout=10):
    """(status, headers, text) of one request to the drill organisation's host."""
    connection = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=timeout)
    all_headers = {"Host": f"{DRILL_HOST}:{HTTP_PORT}", **(headers or {})}
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response.headers, text


def wait_until(condition, *, seconds: float, message: str, interval: float = 0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise DrillFailed(message)


def survived(message: str) -> None:
    print(f"[faults] SURVIVED: {message}", flush=True)
