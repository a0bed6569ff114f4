"""A small closed-loop HTTP load generator for loopback benchmarks.

Each client process opens one connection per request (gunicorn's sync workers close
connections after each answer anyway), sends prepared requests as fast as answers come
back, and records each latency. Loops are bounded in time and in count.
"""

from __future__ import annotations

import multiprocessing as mp
import socket
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

# Builds the raw bytes of request number ``n`` of client ``client``.
RequestMaker = Callable[[int, int], bytes]


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


def _read_response(sock: socket.socket) -> int:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status


def _client(
    host: str,
    port: int,
    make: RequestMaker,
    client: int,
    start_at: float,
    seconds: float,
    max_requests: int,
    queue: mp.Queue,
) -> None:
    while time.time() < start_at:
        time.sleep(0.001)
    deadline = start_at + seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    n = 0
    while time.time() < deadline and n < max_requests:
        payload = make(client, n)
        began = time.perf_counter()
        try:
            with socket.create_connection((host, port), timeout=10) as sock:
                sock.sendall(payload)
                status = _read_response(sock)
        except OSError:
            errors += 1
            status = 0
        latencies.append((time.perf_counter() - began) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        n += 1
    queue.put((latencies, statuses, errors))


def run_load(
    host: str,
    port: int,
    make: RequestMaker,
    *,
    clients: int,
    seconds: float,
    max_requests_per_client: int = 1_000_000,
) -> LoadResult:
    """Runs ``clients`` processes for ``seconds``; returns what they measured together."""
    ctx = mp.get_context("fork")
    queue: mp.Queue = ctx.Queue()
    start_at = time.time() + 0.5
    procs = [
        ctx.Process(
            target=_client,
            args=(host, port, make, c, start_at, seconds, max_requests_per_client, queue),
        )
        for c in range(clients)
    ]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    for _ in procs:
        lat, st, err = queue.get(timeout=seconds + 60)
        latencies += lat
        errors += err
        for code, count in st.items():
            statuses[code] = statuses.get(code, 0) + count
    for proc in procs:
        proc.join(timeout=10)
    ok = sum(count for code, count in statuses.items() if 200 <= code < 400)
    return LoadResult(
        requests=ok, errors=errors, seconds=seconds, latencies_ms=latencies, statuses=statuses
    )
