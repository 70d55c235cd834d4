"""Drill: PostgreSQL restarted under traffic — the app recovers by itself.

An embedded PostgreSQL (its own port and data under .local/faults/), gunicorn on it (two
workers, four threads), traffic from threads on an organisation's pages, then
`pg_ctl restart -m fast`, which cuts every connection. The app is not touched: requests must
succeed again on their own (Django's CONN_HEALTH_CHECKS drops a dead persistent connection
before using it) within the recovery window.

    .venv/bin/python scripts/faults/postgres_restart.py
"""

from __future__ import annotations

import threading
import time

from common import (
    DrillFailed,
    check,
    environment,
    log,
    postgres_restart,
    postgres_up,
    prepared_database,
    redis_up,
    request,
    survived,
    web_server,
)

PATHS = ("/accounts/login/", "/health/", "/marketplace/")
RECOVERY_SECONDS = 20
TRAFFIC_THREADS = 4


class Traffic:
    def __init__(self) -> None:
        self.results: list[tuple[float, int]] = []
        self.lock = threading.Lock()
        self.running = True
        self.threads = [
            threading.Thread(target=self.run, args=(n,), daemon=True)
            for n in range(TRAFFIC_THREADS)
        ]

    def run(self, n: int) -> None:
        index = n
        while self.running:
            path = PATHS[index % len(PATHS)]
            index += 1
            try:
                status = request("GET", path, timeout=10)[0]
            except OSError:
                status = 0  # the connection itself failed
            with self.lock:
                self.results.append((time.monotonic(), status))
            time.sleep(0.05)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=15)

    def since(self, moment: float) -> list[int]:
        with self.lock:
            return [status for at, status in self.results if at >= moment]


def healthy(status: int) -> bool:
    return status == 200


def main() -> int:
    postgres_up()
    redis_up()
    env = environment()
    prepared_database(env)
    web = web_server(env)
    traffic = Traffic()
    try:
        traffic.start()
        time.sleep(3)
        before = traffic.since(0)
        check(before and all(map(healthy, before)), f"traffic failed before the fault: {before}")
        log(f"{len(before)} requests served before the restart; restarting PostgreSQL")

        restarted_at = time.monotonic()
        postgres_restart()
        back_at = time.monotonic()
        log(f"PostgreSQL back after {back_at - restarted_at:.1f} s; the app is left alone")

        deadline = back_at + RECOVERY_SECONDS
        recovered_at = None
        while time.monotonic() < deadline:
            recent = traffic.since(time.monotonic() - 2)
            if len(recent) >= 10 and all(map(healthy, recent)):
                recovered_at = time.monotonic()
                break
            time.sleep(0.5)
        if recovered_at is None:
            raise DrillFailed(
                f"no recovery within {RECOVERY_SECONDS} s: last answers "
                f"{traffic.since(time.monotonic() - 3)[-20:]}"
            )
        time.sleep(3)
        after = traffic.since(recovered_at)
        check(all(map(healthy, after)), f"errors after recovery: {after}")
        during = traffic.since(restarted_at)
        failed = [status for status in during if not healthy(status)]
        check(web.process.poll() is None, "gunicorn died")
        survived(
            f"PostgreSQL restarted under traffic: {len(failed)} of {len(during)} requests "
            f"failed during the restart, then {len(after)} in a row succeeded "
            f"{recovered_at - back_at:.1f} s after PostgreSQL was back, without restarting "
            "the app"
        )
        return 0
    finally:
        traffic.stop()
        web.stop()


if __name__ == "__main__":
    raise SystemExit(main())
