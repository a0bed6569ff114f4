"""Public survey submissions per second, beside a bare Django view in the same run.

Run by ``python -m bench`` with DATABASE_URL set; prints one JSON line.

A real gunicorn (sync workers, one per core plus one) serves the project with
``bench.settings`` (the product's settings plus one bare view). Client processes on the
same machine post, as fast as answers come back:
- bare: a POST to a view that only returns "ok", through the same middleware (sessions,
  CSRF, the actor, i18n): what Django itself costs per request here;
- submission: the public link's form of a one-page survey (NPS, CSAT, a comment), each
  with its own idempotency key, so each stores one complete response with its answers.
Each runs ``--seconds`` after a warm-up; afterwards the stored responses are counted
against the 2xx answers, so a figure never counts a request that stored nothing.
"""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.loadgen import LoadResult, run_load  # noqa: E402
from vinculo.accounts.choices import UnitKind  # noqa: E402
from vinculo.accounts.models import Unit  # noqa: E402
from vinculo.accounts.services import create_unit  # noqa: E402
from vinculo.surveys.choices import ResponseStatus  # noqa: E402
from vinculo.surveys.models import Response, Survey  # noqa: E402
from vinculo.surveys.testing import published_survey  # noqa: E402

SLUG = "bench-visita"
ONE_PAGE = {
    "title": {"es": "Tu visita"},
    "questions": [
        {"key": "nps", "kind": "nps", "required": True, "text": {"es": "¿Nos recomendarías?"}},
        {"key": "csat", "kind": "csat", "required": True, "text": {"es": "¿Qué tal?"}},
        {"key": "comentario", "kind": "long_text", "text": {"es": "¿Algo más?"}},
    ],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    Response.objects.filter(survey__slug=SLUG).delete()
    Survey.objects.filter(slug=SLUG).delete()
    store = Unit.objects.filter(code="bench-store").first()
    if store is None:
        company = create_unit(name="Bench surveys", code="bench-surveys", kind=UnitKind.COMPANY)
        store = create_unit(
            name="Tienda Bench", code="bench-store", kind=UnitKind.STORE, parent=company
        )
    published_survey(unit=store, slug=SLUG, definition=ONE_PAGE, languages=["es"])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SURVEY_SUBMIT_RATE_LIMIT": "0",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        env=env,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def csrf_pair(port: int) -> tuple[str, str]:
    """A CSRF cookie and the form token that goes with it, from one GET of the survey."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/s/{SLUG}/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    cookie = next((c.value for c in jar if c.name == "csrftoken"), None)
    if token is None or cookie is None:
        raise RuntimeError("the survey page has no CSRF token")
    return cookie, token.group(1)


def post(path: str, port: int, cookie: str, fields: dict[str, str]) -> bytes:
    body = urlencode(fields).encode()
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: csrftoken={cookie}\r\nReferer: http://127.0.0.1:{port}{path}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def complete_responses() -> int:
    count = Response.objects.filter(status=ResponseStatus.COMPLETE).count()
    connection.close()  # client processes are forked: they must not share this connection
    return count


def measure(port: int, seconds: float, clients: int) -> tuple[dict[str, LoadResult], int]:
    cookie, token = csrf_pair(port)

    def bare(client: int, n: int) -> bytes:
        return post("/bench/bare/", port, cookie, {"csrfmiddlewaretoken": token})

    def submission(client: int, n: int) -> bytes:
        fields = {
            "csrfmiddlewaretoken": token,
            # Unique across runs and phases (the warm-up posts too): a key used twice
            # would be a replay, answered without storing anything.
            "_key": f"b{uuid.uuid4().hex}",
            "_page": "1",
            "_lang": "es",
            "nps": str(n % 11),
            "csat": str(1 + n % 5),
            "comentario": "Me atendieron rápido" if n % 3 == 0 else "",
        }
        return post(f"/s/{SLUG}/", port, cookie, fields)

    run_load("127.0.0.1", port, bare, clients=clients, seconds=2)  # warm-up
    run_load("127.0.0.1", port, submission, clients=clients, seconds=2)
    results = {"bare": run_load("127.0.0.1", port, bare, clients=clients, seconds=seconds)}
    before = complete_responses()
    results["submission"] = run_load(
        "127.0.0.1", port, submission, clients=clients, seconds=seconds
    )
    return results, complete_responses() - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    args = parser.parse_args()
    prepare()
    connection.close()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        results, stored = measure(port, args.seconds, args.clients)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    figures: dict[str, object] = {"workers": args.workers, "clients": args.clients}
    for name, result in results.items():
        figures[f"{name}_per_s"] = round(result.per_second, 1)
        figures[f"{name}_p50_ms"] = round(result.median_ms, 2)
        figures[f"{name}_p95_ms"] = round(result.percentile(0.95), 2)
        figures[f"{name}_statuses"] = {str(k): v for k, v in result.statuses.items()}
    figures["submission_ok"] = results["submission"].requests
    figures["stored"] = stored  # must equal submission_ok: every 200 stored one response
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
