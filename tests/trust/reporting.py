"""The trust suite's counts at the end of a pytest run: URL x role questions of the permission
matrix and schemathesis cases.

Under pytest-xdist each worker counts its own share and writes it to .local/trust-counts/ when
its session finishes; the summary (in the controller, or in a run without workers) adds them
up. tests/trust/conftest.py registers both hooks for runs of this folder; for the summary to
show in a parallel run of the whole suite, tests/conftest.py imports `pytest_terminal_summary`
from here (the controller never loads tests/trust/conftest.py).
"""

import json
import os
import time
from pathlib import Path

from .harness import COUNTS

FOLDER = Path(__file__).resolve().parents[2] / ".local" / "trust-counts"
STARTED = time.time()
_printed = {"done": False}


def pytest_sessionfinish(session):
    if not any(COUNTS.values()):
        return
    FOLDER.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    (FOLDER / f"{worker}.json").write_text(json.dumps(COUNTS))


def pytest_terminal_summary(terminalreporter):
    if _printed["done"]:
        return
    _printed["done"] = True
    totals = dict.fromkeys(COUNTS, 0)
    for path in FOLDER.glob("*.json") if FOLDER.exists() else []:
        if path.stat().st_mtime >= STARTED - 1:
            for key, value in json.loads(path.read_text()).items():
                totals[key] = totals.get(key, 0) + value
    if totals["matrix_requests"]:
        terminalreporter.write_line(
            f"trust: permission matrix asked {totals['matrix_requests']} questions "
            f"(URL x role) over {totals['matrix_urls']} URLs"
        )
    if totals["schemathesis_cases"]:
        terminalreporter.write_line(
            f"trust: schemathesis ran {totals['schemathesis_cases']} cases over "
            f"{totals['schemathesis_operations']} API operations"
        )
