"""`make bench` — the scale benchmark of issue 9, end to end:

1. migrate, collect static files (production storage), seed scale S and L into two
   organisations (reused when already seeded with the same parameters);
2. count the queries of every key page and API endpoint with Django's test client;
3. serve with gunicorn under production settings (scripts/bench/settings.py, debug off), sign
   in through the login form, and drive load from a second process (wrk, or the Python load
   generator) at the floor, every key page and API endpoint — the floor again at the end;
4. many organisations: creating one more with 200 present, and the periodic dispatcher's spread;
5. background work at L: the reminder sweep run twice, the CSV import of 10,000 rows, the STV
   count of 100,000 ballots;
6. write docs/benchmarks.md (between its generated-section markers) and .local/bench/results.json.

    python scripts/bench/run.py [--sizes S,L] [--duration 10] [--skip-orgs] [--skip-background]

Run it through `make bench` (or `scripts/commons.py exec -- …`), which provides PostgreSQL
and Redis: DATABASE_URL and REDIS_URL must be set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from scripts.bench import load, report

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
STEPS = str(ROOT / "scripts" / "bench" / "steps.py")
FLOOR = "/bench/floor/"
RESULTS = ROOT / ".local" / "bench" / "results.json"
SIZES = {
    "S": {"slug": "bench-s", "chapters": 300, "months": 12},
    "L": {"slug": "bench-l", "chapters": 3000, "months": 36},
}
BENCH_EMAIL = "bench@scale.example"
BENCH_PASSWORD = "commons-bench-2024"  # noqa: S105  (synthetic benchmark account)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def bench_env() -> dict[str, str]:
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"{name} is not set: run `make bench` (or scripts/commons.py exec -- …).")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scripts.bench.settings",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-only-" + "k" * 50),
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def step(env: dict, *args: str) -> dict:
    done = subprocess.run([PYTHON, STEPS, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"steps.py {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Serving -----------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, env: dict, port: int, workers: int) -> None:
        self.env, self.port, self.workers = env, port, workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
        log(f"starting gunicorn ({self.workers} sync workers) on port {self.port}")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("gunicorn stopped while starting")
            try:
                status, _h, _b = load.fetch(self.port, "/health/", {"Host": "localhost"})
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.__exit__()
        sys.exit("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def measure_size(args, env: dict, size: str, tool: str, *, drawn: bool = False) -> dict:
    """Every target under load; with `drawn`, the pages only, with the page cache off (every
    request draws its page, as when what it shows has just changed)."""
    spec = SIZES[size]
    log(f"scale {size}: API token and targets" + (" (pages drawn every time)" if drawn else ""))
    token = step(env, "token", "--slug", spec["slug"])
    host = token["host"]
    if drawn:
        env = {**env, "PAGE_CACHE": "false"}
    with Gunicorn(env, args.port, args.workers):
        cookie = load.login(args.port, host, BENCH_EMAIL, BENCH_PASSWORD)
        page_headers = {"Host": host, "Cookie": cookie}
        api_headers = {"Host": host, "Authorization": f"Bearer {token['key']}"}
        targets = [{"name": "floor", "path": "/bench/floor/", "kind": "floor"}]
        targets += [t for t in token["targets"] if not drawn or t["kind"] == "page"]
        targets.append({"name": "floor (again)", "path": "/bench/floor/", "kind": "floor"})
        rows = []
        for target in targets:
            headers = api_headers if target["kind"] == "api" else page_headers
            status, _h, body = load.fetch(args.port, target["path"], headers)
            if status != 200:
                sys.exit(f"{target['path']} answered {status} on {host}")
            options = dict(
                port=args.port,
                path=target["path"],
                headers=headers,
                connections=args.connections,
                threads=args.threads,
            )
            if args.warmup:
                load.drive(tool=tool, seconds=args.warmup, **options)
            result = load.drive(tool=tool, seconds=args.duration, **options)
            log(
                f"  {target['name']:<28} {result.rps:8.1f} req/s  p50 {result.p50_ms:6.1f} ms"
                f"  p95 {result.p95_ms:6.1f} ms  errors {result.errors + result.bad_status}"
            )
            rows.append({**target, "bytes": len(body), **result.__dict__, "rps": result.rps})
    return {"host": host, "rows": rows}


def measure_busy(args, env: dict, tool: str) -> dict:
    """A busy network at L: `--busy-members` members signed in at once, each asking for the key
    pages as they see them (their chapter, its meeting, their committee's queue), while a
    second process writes as members do (at each of `--busy-rates` writes a second, through
    the services: RSVPs, event registrations, escalation comments, notifications read). Pages
    are served from the page cache only while nothing they show has changed: the figure for a
    network in use, between the single-page runs' best case (kept) and worst (drawn)."""
    spec = SIZES["L"]
    rates = [float(rate) for rate in args.busy_rates.split(",") if rate.strip()]
    log(f"scale L: a busy network ({args.busy_members} members; writes/s: {args.busy_rates})")
    signed_in = step(env, "busy-members", "--slug", spec["slug"], "--count", str(args.busy_members))
    host, members = signed_in["host"], signed_in["members"]
    requests = [(path, member["cookie"]) for member in members for path in member["paths"]]
    random.Random(7).shuffle(requests)
    floor_headers = {"Host": host, "Cookie": members[0]["cookie"]}
    options = dict(port=args.port, connections=args.connections, threads=args.threads)

    def floor():
        return load.drive(
            tool=tool, path=FLOOR, headers=floor_headers, seconds=args.duration, **options
        )

    runs = []
    with Gunicorn(env, args.port, args.workers):
        floors = [floor()]
        for path, cookie in requests:  # each member's pages once: all answer
            status, _h, _b = load.fetch(args.port, path, {"Host": host, "Cookie": cookie})
            if status != 200:
                sys.exit(f"{path} answered {status} on {host} (busy network)")
        for rate in rates:
            if args.warmup:
                load.drive_mix(
                    tool=tool, host=host, requests=requests, seconds=args.warmup, **options
                )
            start_at = time.time() + 5  # the writer's Django is up by then
            writer = subprocess.Popen(
                [PYTHON, STEPS, "writer", "--slug", spec["slug"], "--seconds",
                 f"{args.duration}", "--rate", f"{rate}", "--start-at", f"{start_at}"],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            time.sleep(max(0.0, start_at - time.time()))
            mix = load.drive_mix(
                tool=tool, host=host, requests=requests, seconds=args.duration, **options
            )
            out, err = writer.communicate(timeout=120)
            if writer.returncode != 0:
                sys.exit(f"the writer failed:\n{err[-4000:]}")
            writes = json.loads(out.strip().splitlines()[-1])
            log(
                f"  busy mix, {rate:g} writes/s  {mix.rps:8.1f} req/s  p50 {mix.p50_ms:6.1f} ms"
                f"  p95 {mix.p95_ms:6.1f} ms  kept {mix.hits}/{mix.requests}  "
                f"writes {sum(writes['done'].values())}  errors {mix.errors + mix.bad_status}"
            )
            runs.append({"rate": rate, "mix": {**mix.__dict__, "rps": mix.rps}, "writes": writes})
        floors.append(floor())
    floor_rps = sum(result.rps for result in floors) / len(floors)
    log(f"  floor (before and after) {floor_rps:8.1f} req/s")
    return {"members": len(members), "pages": len(requests), "floor_rps": floor_rps, "runs": runs}


# --- The whole run -----------------------------------------------------------------------------


def machine() -> dict:
    memory = ""
    cpu = platform.processor()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    loadavg = os.getloadavg() if hasattr(os, "getloadavg") else ()
    return {
        "nproc": os.cpu_count(),
        "memory": memory,
        "cpu": cpu,
        "system": f"{platform.system()} {platform.release()}",
        "load_before": [round(x, 2) for x in loadavg],
    }


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    # Stop cleanly (gunicorn included) on Ctrl-C or SIGTERM, also when started in the
    # background, where SIGINT is inherited ignored.
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    parser = argparse.ArgumentParser(description="The scale benchmark (issue 9).")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "S,L"))
    parser.add_argument(
        "--duration",
        type=float,
        default=float(os.environ.get("BENCH_DURATION", 10)),
        help="seconds of load per endpoint",
    )
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", 3)),
        help="gunicorn workers (production's default is 3)",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8190)))
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--busy-members", type=int, default=40, help="members in the busy-network run (0: none)"
    )
    parser.add_argument(
        "--busy-rates", default="1,10", help="writes per second in the busy-network runs"
    )
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument(
        "--skip-orgs", action="store_true", default=os.environ.get("BENCH_SKIP_ORGS") == "1"
    )
    parser.add_argument(
        "--skip-background",
        action="store_true",
        default=os.environ.get("BENCH_SKIP_BACKGROUND") == "1",
    )
    parser.add_argument(
        "--replace-seeds",
        action="store_true",
        help="rebuild the S and L organisations even if already seeded",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    if unknown := [s for s in sizes if s not in SIZES]:
        parser.error(f"unknown sizes {unknown}; use S and/or L")
    tool = args.tool
    if tool == "auto":
        tool = "wrk" if load.wrk_available() else "python"
        if tool == "python":
            log("wrk is not installed (Debian: apt-get install wrk); using the Python generator")

    started = time.perf_counter()
    env = bench_env()
    results: dict = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "make bench " + " ".join(argv),
        "machine": machine(),
        "tool": tool,
        "settings": {
            "duration": args.duration,
            "warmup": args.warmup,
            "connections": args.connections,
            "threads": args.threads,
            "workers": args.workers,
            "busy_members": args.busy_members,
            "busy_rates": args.busy_rates,
        },
        "sizes": {},
    }
    log("migrating and collecting static files")
    manage(env, "migrate_all", "-v", "0")
    manage(env, "ensure_public_tenant")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    results["versions"] = step(env, "versions")

    for size in sizes:
        spec = SIZES[size]
        log(
            f"scale {size}: seeding {spec['slug']} ({spec['chapters']} chapters, "
            f"{spec['months']} months) or reusing it"
        )
        seed_args = [
            "seed_scale",
            "--slug",
            spec["slug"],
            "--chapters",
            str(spec["chapters"]),
            "--months",
            str(spec["months"]),
            "--json",
            "--rebuild-if-changed",
        ]
        if args.replace_seeds:
            seed_args.append("--replace")
        seeded = json.loads(manage(env, *seed_args).strip().splitlines()[-1])
        log(
            f"scale {size}: {'reused' if seeded['reused'] else 'built'}; build time "
            f"{seeded['seconds']} s"
        )
        log(f"scale {size}: counting queries")
        counted = step(env, "queries", "--slug", spec["slug"])
        results["sizes"][size] = {"seed": seeded, "queries": counted["targets"]}
    for size in sizes:
        log(f"scale {size}: load")
        results["sizes"][size]["load"] = measure_size(args, env, size, tool)
    if "L" in sizes:
        log("scale L: load, pages drawn every time")
        results["sizes"]["L"]["load_drawn"] = measure_size(args, env, "L", tool, drawn=True)
        if args.busy_members:
            results["sizes"]["L"]["busy"] = measure_busy(args, env, tool)

    if not args.skip_orgs:
        log(f"many organisations: {args.orgs} present, creating one more")
        results["orgs"] = step(env, "orgs", "--count", str(args.orgs))
    if not args.skip_background and "L" in sizes:
        log("background: reminder sweep at L (twice)")
        results["reminders"] = step(env, "reminders", "--slug", SIZES["L"]["slug"])
        log("background: CSV import of 10,000 rows")
        results["csv_import"] = step(env, "csv-import", "--rows", "10000")
        log("background: STV count of 100,000 ballots")
        counting = subprocess.run(
            [PYTHON, "scripts/bench_counting.py", "--ballots", "100000", "--repeat", "1"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        results["counting"] = counting.stdout.strip()
    results["minutes"] = round((time.perf_counter() - started) / 60, 1)
    results["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    report.write(args.output, results)
    log(f"done in {results['minutes']} min: {args.output} and {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
