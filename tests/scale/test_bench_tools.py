"""The pieces of `make bench` that run without a seeded organisation: the compact select the
long filter lists use, the Python load generator and the report writer."""

import contextlib
import http.server
import re
import threading

from django import forms

from network.widgets import CompactSelect
from scripts.bench import load, report


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected.strip()), label.strip())
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


def test_compact_select_renders_what_djangos_select_renders():
    choices = [("", "All"), (1, "Lyon"), (2, "Ana & <Bob>"), (3, "Zürich"), ('4"', 'O\'Hare "x"')]
    compact = CompactSelect(choices=choices).render("metro", 2, attrs={"id": "id_metro"})
    django = forms.Select(choices=choices).render("metro", 2, attrs={"id": "id_metro"})
    assert _options(compact) == _options(django)
    assert ("2", True, "Ana &amp; &lt;Bob&gt;") in _options(compact)
    assert compact.startswith('<select name="metro" id="id_metro">')


def test_compact_select_leaves_grouped_choices_to_django():
    choices = [("Europe", [(1, "Lyon"), (2, "Berlin")])]
    assert "<optgroup" in CompactSelect(choices=choices).render("metro", None)


@contextlib.contextmanager
def _serving(handler):
    """A local HTTP server with `handler` for the length of the block; yields its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


def test_python_load_generator_measures_a_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = b"ok" if self.path == "/ok" else b"missing"
            self.send_response(200 if self.path == "/ok" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with _serving(Handler) as port:
        ok = load.run_python(port=port, path="/ok", headers={}, seconds=0.5, connections=2)
        missing = load.run_python(port=port, path="/nope", headers={}, seconds=0.3, connections=1)
    assert ok.requests > 0 and ok.rps > 0 and ok.bad_status == 0
    assert 0 < ok.p50_ms <= ok.p95_ms <= ok.p99_ms
    assert missing.bad_status == missing.requests > 0


def _results() -> dict:
    def rows(floor_rps, page_rps):
        common = {"p50_ms": 5.0, "p95_ms": 9.0, "p99_ms": 12.0, "errors": 0, "bad_status": 0}
        return [
            {"name": "floor", "kind": "floor", "rps": floor_rps, **common},
            {"name": "directory", "kind": "page", "rps": page_rps, **common},
            {"name": "floor (again)", "kind": "floor", "rps": floor_rps, **common},
        ]

    def size(floor_rps, page_rps, queries):
        return {
            "seed": {
                "seconds": 1.0,
                "reused": True,
                "phases": {"people": 0.5},
                "counts": {"chapters": 10},
            },
            "queries": [
                {"name": "floor", "warm": 5, "cold": 5},
                {"name": "directory", "warm": queries, "cold": queries},
            ],
            "load": {"rows": rows(floor_rps, page_rps)},
        }

    return {
        "started": "2025-01-01T00:00:00+00:00",
        "command": "make bench",
        "minutes": 1.0,
        "machine": {"nproc": 2, "cpu": "CPU", "memory": "1 GiB", "system": "Linux"},
        "versions": {"python": "3.11", "packages": {}},
        "tool": "python",
        "settings": {"duration": 1, "warmup": 0, "connections": 8, "threads": 2, "workers": 3},
        "sizes": {"S": size(100, 80, 12), "L": size(100, 40, 13)},
    }


def test_report_rewrites_only_its_section_and_flags_misses(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(
        f"# Benchmarks\n\nHand-written.\n\n{report.BEGIN}\nSTALE-SECTION\n{report.END}\n\nAfter.\n"
    )
    report.write(path, _results())
    text = path.read_text()
    assert "Hand-written." in text and "After." in text and "STALE-SECTION" not in text
    line = next(row for row in text.splitlines() if row.startswith("| directory |"))
    assert "0.40" in line  # 40 req/s against a floor of 100 at L
    assert "no: rps, ≤12 queries, same queries S/L" in line


def test_python_mix_cycles_through_members_pages_and_counts_kept_answers():
    seen: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            seen.append((self.path, self.headers.get("Cookie", "")))
            body = b"ok"
            self.send_response(200)
            self.send_header("X-Page-Cache", "hit" if self.path == "/kept" else "miss")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    requests = [("/kept", "sessionid=a"), ("/drawn", "sessionid=b")]
    with _serving(Handler) as port:
        mix = load.run_python_mix(
            port=port, host="bench.localhost", requests=requests, seconds=0.5, connections=2
        )
    assert mix.requests > 4 and mix.bad_status == 0
    assert set(seen) == set(requests)  # every member's page, with that member's cookie
    assert mix.hits + mix.misses == mix.requests and abs(mix.hits - mix.misses) <= 2


def test_report_shows_the_busy_network_against_the_floor(tmp_path):
    results = _results()
    mix = {"requests": 450, "hits": 300, "misses": 100, "p50_ms": 20.0, "errors": 0}
    results["sizes"]["L"]["busy"] = {
        "members": 40,
        "pages": 300,
        "floor_rps": 100.0,
        "runs": [
            {
                "rate": 1,
                "mix": {**mix, "rps": 60.0, "p95_ms": 40.0, "bad_status": 0},
                "writes": {"seconds": 10.0, "done": {"rsvp": 5, "register": 5}, "failed": {}},
            },
            {
                "rate": 10,
                "mix": {**mix, "rps": 45.0, "p95_ms": 60.0, "bad_status": 0},
                "writes": {"seconds": 10.0, "done": {"rsvp": 99}, "failed": {"rsvp": 1}},
            },
        ],
    }
    path = tmp_path / "benchmarks.md"
    report.write(path, results)
    text = path.read_text()
    assert "## A busy network at L" in text
    rows = [row for row in text.splitlines() if row.startswith(("| 1 |", "| 10 |"))]
    assert rows == [
        "| 1 | 60 | 20.0 | 40.0 | 0.60 | 67% | 10 (0) | yes |",
        "| 10 | 45 | 20.0 | 60.0 | 0.45 | 67% | 99 (1) | no: rps, p95 |",
    ]
