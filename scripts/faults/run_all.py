"""Run every fault drill, each in its own process, and say which survived.

    .venv/bin/python scripts/faults/run_all.py [--keep-services]

The drills share an embedded PostgreSQL and Redis on their own ports (.local/faults/); they are
stopped at the end unless --keep-services (faster reruns while working on a drill).
"""

from __future__ import annotations

import subprocess  # nosec B404  (fixed argument lists, never a shell)
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DRILLS = ("worker_killed.py", "postgres_restart.py", "redis_down.py")


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE))
    import common

    results = []
    try:
        for drill in DRILLS:
            started = time.monotonic()
            print(f"\n== {drill} ==", flush=True)
            drill_path = str(HERE / drill)
            code = subprocess.run([sys.executable, drill_path], check=False).returncode  # nosec
            results.append((drill, code, time.monotonic() - started))
    finally:
        if "--keep-services" not in argv:
            common._point_devservices_here()
            common.devservices.redis_down()
            common.postgres_down()
    print("\n== fault drills ==")
    for drill, code, seconds in results:
        print(f"{'survived' if code == 0 else 'FAILED  '}  {drill}  ({seconds:.0f} s)")
    survived = sum(1 for _, code, _ in results if code == 0)
    print(f"{survived} of {len(DRILLS)} faults survived")
    return 0 if survived == len(DRILLS) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
