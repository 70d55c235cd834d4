"""`make run` and `make test`: start what is needed, run, and stop everything we started.

python scripts/commons.py run     migrate, seed the demo, serve web + worker + beat
python scripts/commons.py test    run the test suite (extra arguments go to pytest)
python scripts/commons.py exec -- CMD...   run a command with the services up
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devservices

ROOT = devservices.ROOT
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[commons] {message}", flush=True)


class Processes:
    """Children in their own process groups, so that stopping one stops all it spawned."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict) -> None:
        log(f"starting {name}: {' '.join(command)}")
        self.children.append(
            (name, subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))
        )

    def wait_any(self) -> str | None:
        while True:
            for name, process in self.children:
                if process.poll() is not None:
                    return name
            time.sleep(0.3)

    def stop(self) -> None:
        for name, process in reversed(self.children):
            if process.poll() is None:
                log(f"stopping {name}")
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 15
        for _name, process in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # the group may hold grandchildren (runserver's reloader, celery's pool)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)


def environment(settings: str) -> tuple[dict, list[str]]:
    provided = devservices.up()
    started = [name for name in provided.pop("COMMONS_EMBEDDED", "").split(",") if name]
    env = {**os.environ, **provided, "DJANGO_SETTINGS_MODULE": settings, "PYTHONUNBUFFERED": "1"}
    return env, started


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def run() -> int:
    port = os.environ.get("PORT", "8000")
    env, started = environment(os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"))
    env["PORT"] = port
    processes = Processes()

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    # Set both explicitly: a process started in the background inherits SIGINT ignored.
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    pidfile = devservices.LOCAL / "run.pid"
    pidfile.write_text(str(os.getpid()))
    try:
        manage(env, "migrate_all", "-v", "0")
        manage(env, "seed_demo", "--port", port)
        bin_dir = Path(PYTHON).parent
        processes.start("web", [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"], env)
        processes.start(
            "worker",
            [
                str(bin_dir / "celery"),
                "-A",
                "config",
                "worker",
                "-l",
                "info",
                "--concurrency",
                "2",
                "-n",
                f"worker-{port}@%h",
            ],
            env,
        )
        processes.start(
            "beat",
            [
                str(bin_dir / "celery"),
                "-A",
                "config",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(devservices.LOCAL / "celerybeat-schedule"),
            ],
            env,
        )
        ended = processes.wait_any()
        log(f"{ended} stopped; shutting down")
        return 1
    except KeyboardInterrupt:
        log("interrupted; shutting down")
        return 0
    except subprocess.CalledProcessError as error:
        log(f"setup failed: {error}")
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        processes.stop()
        devservices.down(started)
        pidfile.unlink(missing_ok=True)
        log("all stopped")


def test(args: list[str]) -> int:
    env, started = environment("config.settings.test")
    try:
        return subprocess.run([PYTHON, "-m", "pytest", *args], cwd=ROOT, env=env).returncode
    finally:
        devservices.down(started)


def execute(args: list[str]) -> int:
    env, started = environment(os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"))
    try:
        return subprocess.run(args, cwd=ROOT, env=env).returncode
    finally:
        devservices.down(started)


def main(argv: list[str]) -> int:
    command, rest = (argv[1] if len(argv) > 1 else "run"), argv[2:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "exec":
        return execute(rest)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
