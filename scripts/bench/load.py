"""Driving load at one URL: wrk when it is installed (Debian: `apt-get install wrk`), else a
Python load generator (threads, one keep-alive http.client connection each). Both report
requests per second and p50/p95/p99 latency; the report says which one ran."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    bad_status: int
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _wrk(
    script: str,
    url: str,
    *,
    seconds: float,
    connections: int,
    threads: int,
    headers: dict[str, str] | None = None,
) -> dict:
    """Run wrk with a Lua `script` whose done() prints a WRKJSON line; returns that line's data."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        file.name,
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        Path(file.name).unlink(missing_ok=True)
    match = re.search(r"WRKJSON (\{.*\})", output)
    if match is None:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    return json.loads(match.group(1))


def _measured(data: dict) -> dict:
    """LoadResult's fields from wrk's microseconds."""
    return {
        "requests": data["requests"],
        "seconds": data["duration_us"] / 1e6,
        "p50_ms": data["p50_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "errors": data["errors"],
        "bad_status": data["bad_status"],
        "tool": "wrk",
    }


def run_wrk(
    *,
    port: int,
    path: str,
    headers: dict[str, str],
    seconds: float,
    connections: int,
    threads: int,
) -> LoadResult:
    data = _wrk(
        WRK_SCRIPT,
        f"http://127.0.0.1:{port}{path}",
        seconds=seconds,
        connections=connections,
        threads=threads,
        headers=headers,
    )
    return LoadResult(**_measured(data))


def _percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(percent / 100 * (len(sorted_values) - 1)))
    return sorted_values[index]


def _threads(port: int, seconds: float, connections: int, request) -> dict:
    """`connections` threads, each with its own keep-alive connection, for `seconds`;
    `request(slot, index)` gives the path and headers of each thread's index-th request."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    counts = [[0, 0, 0, 0] for _ in range(connections)]  # errors, bad status, hits, misses
    deadline = time.perf_counter() + seconds
    start_gate = threading.Barrier(connections + 1)

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        start_gate.wait()
        index = 0
        while time.perf_counter() < deadline:
            index += 1
            path, headers = request(slot, index)
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                counts[slot][0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            latencies[slot].append(time.perf_counter() - began)
            state = response.getheader("X-Page-Cache")
            counts[slot][1] += response.status >= 400
            counts[slot][2] += state == "hit"
            counts[slot][3] += state == "miss"
        connection.close()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in workers:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - began
    values = sorted(value for slot in latencies for value in slot)
    errors, bad, hits, misses = (sum(column) for column in zip(*counts, strict=True))
    return {
        "requests": len(values),
        "seconds": elapsed,
        "p50_ms": _percentile(values, 50) * 1000,
        "p95_ms": _percentile(values, 95) * 1000,
        "p99_ms": _percentile(values, 99) * 1000,
        "errors": errors,
        "bad_status": bad,
        "tool": "python",
        "hits": hits,
        "misses": misses,
    }


def run_python(
    *,
    port: int,
    path: str,
    headers: dict[str, str],
    seconds: float,
    connections: int,
    threads: int = 0,
) -> LoadResult:
    """`connections` threads, each with its own keep-alive connection, for `seconds`."""
    measured = _threads(port, seconds, connections, lambda slot, index: (path, headers))
    return LoadResult(**{k: v for k, v in measured.items() if k not in ("hits", "misses")})


def drive(*, tool: str, **kwargs) -> LoadResult:
    return (run_wrk if tool == "wrk" else run_python)(**kwargs)


# --- A mix: many members, many pages -----------------------------------------------------------

WRK_MIX_SCRIPT = """
threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
init = function(args)
  prepared = {}
  for line in io.lines(%(file)s) do
    local path, cookie = line:match("([^\t]*)\t(.*)")
    table.insert(prepared, wrk.format("GET", path, {["Host"] = %(host)s, ["Cookie"] = cookie}))
  end
  counter = (id or 1) * 7919
  hits, misses = 0, 0
end
request = function()
  counter = counter + 1
  return prepared[(counter %% #prepared) + 1]
end
response = function(status, headers, body)
  local state = headers["X-Page-Cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1 end
end
done = function(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(threads) do h = h + thread:get("hits"); m = m + thread:get("misses") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, '
    .. '"errors": %%d, "bad_status": %%d, "hits": %%d, "misses": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status, h, m))
end
"""


@dataclass
class MixResult(LoadResult):
    hits: int = 0  # answers served from the page cache (X-Page-Cache: hit)
    misses: int = 0  # pages drawn and kept (miss); the rest were drawn and not kept


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk_mix(
    *,
    port: int,
    host: str,
    requests: list[tuple[str, str]],
    seconds: float,
    connections: int,
    threads: int,
) -> MixResult:
    """wrk cycling through `requests` ((path, cookie) pairs), each thread from its own place."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        listing.write("".join(f"{path}\t{cookie}\n" for path, cookie in requests))
    names = {"file": _lua_string(listing.name), "host": _lua_string(host)}
    try:
        data = _wrk(
            WRK_MIX_SCRIPT % names,
            f"http://127.0.0.1:{port}/",
            seconds=seconds,
            connections=connections,
            threads=threads,
        )
    finally:
        Path(listing.name).unlink(missing_ok=True)
    return MixResult(**_measured(data), hits=data["hits"], misses=data["misses"])


def run_python_mix(
    *,
    port: int,
    host: str,
    requests: list[tuple[str, str]],
    seconds: float,
    connections: int,
    threads: int = 0,
) -> MixResult:
    """The same with threads, one keep-alive connection each."""

    def request(slot: int, index: int) -> tuple[str, dict[str, str]]:
        path, cookie = requests[(slot * 7919 + index) % len(requests)]
        return path, {"Host": host, "Cookie": cookie}

    return MixResult(**_threads(port, seconds, connections, request))


def drive_mix(*, tool: str, **kwargs) -> MixResult:
    return (run_wrk_mix if tool == "wrk" else run_python_mix)(**kwargs)


# --- One request, and signing in ---------------------------------------------------------------


def fetch(
    port: int, path: str, headers: dict[str, str], *, method: str = "GET", body: str | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        received: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            received.setdefault(name.lower(), []).append(value)
        return response.status, received, response.read()
    finally:
        connection.close()


def _cookies(headers: dict[str, list[str]]) -> dict[str, str]:
    jar = {}
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def login(port: int, host: str, email: str, password: str) -> str:
    """Sign in through the real login form; returns the Cookie header to send."""
    status, headers, body = fetch(port, "/accounts/login/", {"Host": host})
    if status != 200:
        raise RuntimeError(f"GET /accounts/login/ on {host} answered {status}")
    jar = _cookies(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if match is None or "csrftoken" not in jar:
        raise RuntimeError("the login page has no CSRF token")
    form = urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": match.group(1).decode()}
    )
    status, headers, _ = fetch(
        port,
        "/accounts/login/",
        {
            "Host": host,
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{host}/accounts/login/",
        },
        method="POST",
        body=form,
    )
    jar.update(_cookies(headers))
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"signing in as {email} failed (status {status})")
    # What a browser keeps: the session and the CSRF cookie. The "You have signed in" message
    # (the messages cookie) is shown once by the next page, then the browser drops it.
    return "; ".join(f"{name}={jar[name]}" for name in ("sessionid", "csrftoken"))
