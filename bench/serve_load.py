"""Benchmark: ``usmca serve`` under concurrent clients, on loopback only.

Starts ``usmca serve --port 0`` on a built site (``--site``; by default a one-language build made once in
``bench/_work/serve_site``, from the embedded data), then for each target — a page, the indicator list and
indicator queries (eight partner/period pairs, each asked once first so that answers come from the cache,
as the target says) — and each number of concurrent clients (``--clients``, 20 and 50 by default) runs
keep-alive HTTP/1.1 clients until ``--requests`` answers or ``--seconds`` have passed. Prints throughput,
p50 and p99 latency and errors (anything but 200, 503 included, and failed connections).

Target: zero errors and indicator-query p99 under 200 ms at 50 clients. The client runs in this process
(asyncio, raw sockets) and shares the machine's cores with the server: the numbers are an upper bound of
what a client sees. It is a benchmark, not a test: it prints and never fails on a number.

    .venv/bin/python bench/serve_load.py                      # ~1 minute after the site is built
    .venv/bin/python bench/serve_load.py --clients 50 --requests 3000 --site _site
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
QUERIES = [f"/api/v1/indicators/tdr?partner={p}&period={y}" for p in ("MEX", "CAN", "CHN", "DEU")
           for y in ("2023", "2024")]
TARGETS = {"page /en/index.html": ["/en/index.html"], "indicator list": ["/api/v1/indicators"],
           "indicator query (cached)": QUERIES}


@dataclass
class Run:
    """Latencies (seconds) and errors of one target at one concurrency."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Encoding: identity\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    if length:
        await reader.readexactly(int(length.group(1)))
    return status


async def _client(port: int, paths: list[str], run: Run, stop: float, budget: list[int], offset: int) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        index = offset
        while budget[0] > 0 and time.monotonic() < stop:
            budget[0] -= 1
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                status = await _get(reader, writer, path)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                run.error(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            run.latencies.append(time.perf_counter() - started)
            if status != 200:
                run.error(f"HTTP {status}")
    finally:
        writer.close()


async def _load(port: int, paths: list[str], clients: int, requests: int, seconds: float) -> Run:
    run = Run()
    budget = [requests]
    started = time.monotonic()
    await asyncio.gather(*(_client(port, paths, run, started + seconds, budget, i) for i in range(clients)))
    run.seconds = time.monotonic() - started
    return run


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _site(given: Path | None) -> Path:
    if given is not None:
        return given
    site = BENCH_DIR / "_work" / "serve_site"
    if not (site / "index.html").exists():
        home = Path(tempfile.mkdtemp(prefix="usmca-bench-"))
        print(f"building a one-language site into {site} (once)…", flush=True)
        subprocess.run([sys.executable, "-m", "usmca_monitor", "build", "--out", str(site), "--lang", "en"],
                       env={**os.environ, "USMCA_HOME": str(home)}, check=True, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)
    return site


def _start(site: Path, home: Path) -> tuple[subprocess.Popen[str], int]:
    server = subprocess.Popen([sys.executable, "-m", "usmca_monitor", "serve", "--port", "0", "--site", str(site)],
                              env={**os.environ, "USMCA_HOME": str(home)}, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    line = server.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not found:
        server.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return server, int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: a one-language build in bench/_work)")
    parser.add_argument("--clients", default="20,50", help="concurrent clients (comma-separated)")
    parser.add_argument("--requests", type=int, default=3000, help="answers per target and concurrency")
    parser.add_argument("--seconds", type=float, default=30.0, help="at most this long per target and concurrency")
    args = parser.parse_args()
    site = _site(args.site)
    home = Path(tempfile.mkdtemp(prefix="usmca-bench-home-"))
    server, port = _start(site, home)
    try:
        warm = asyncio.run(_load(port, [p for paths in TARGETS.values() for p in paths], 1, 64, 120))
        if warm.errors:
            raise SystemExit(f"warm-up failed: {warm.errors}")
        print(f"{'target':<28}{'clients':>8}{'answers':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  errors")
        for clients in (int(c) for c in args.clients.split(",")):
            for name, paths in TARGETS.items():
                run = asyncio.run(_load(port, paths, clients, args.requests, args.seconds))
                errors = ", ".join(f"{k}: {v}" for k, v in run.errors.items()) or "0"
                print(f"{name:<28}{clients:>8}{len(run.latencies):>9}{len(run.latencies) / run.seconds:>9.0f}"
                      f"{_percentile(run.latencies, 0.5) * 1000:>9.1f}{_percentile(run.latencies, 0.99) * 1000:>9.1f}"
                      f"  {errors}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
    print("target: zero errors, indicator query p99 < 200 ms at 50 clients")


if __name__ == "__main__":
    main()
