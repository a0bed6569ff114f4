"""Dashboards at scale: the company dashboard, a region's dashboard and a 24-month trend
API call, each beside hand-written SQL that reads the same roll-up rows, in the same run.

Run by ``python -m bench dashboards`` with DATABASE_URL set; prints one JSON line. The
database keeps its synthetic responses between runs (``manage.py generate_responses``
adds what is missing up to ``--responses``), because writing ten million of them takes
a while; the roll-ups are rebuilt and checked whenever responses were added.

Each request goes through Django's test client in this process: URL routing, session,
the actor, the filter form, every query, the template or the JSON, but no network. The
hand-written SQL is what the page reads, as one would write it by hand against the same
tables: the tiles (this period and the one before), the trend, the units, the league,
the breakdown by touchpoint and the latest comments; it is the floor the ORM, the
statistics and the rendering are measured against. It is timed twice: alone, and inside a
bare view (``bench/urls.py``) called through the same client, so that both sides carry
the same request (session, sign-in, middleware), which a 24-month trend's single
sub-millisecond query could never match on its own.
"""

import argparse
import gc
import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.urls import SQL  # noqa: E402
from vinculo.accounts.choices import Role  # noqa: E402
from vinculo.accounts.models import Unit  # noqa: E402
from vinculo.accounts.services import create_person  # noqa: E402
from vinculo.metrics import synthetic  # noqa: E402
from vinculo.metrics.models import ScoreCube, ScoreDay  # noqa: E402
from vinculo.metrics.periods import Period, preset  # noqa: E402
from vinculo.metrics.rollups.rebuild import rebuild  # noqa: E402
from vinculo.surveys.models import Answer, Question, Response, Survey  # noqa: E402

COMPANY, REGION = synthetic.COMPANY_CODE, "bench-r03"


def prepare(responses: int, stores: int) -> dict[str, Any]:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    world = synthetic.ensure_world(synthetic.Plan(responses=responses, stores=stores))
    have = synthetic.existing_responses(world)
    took: dict[str, Any] = {"generated": 0}
    if have < responses:
        started = time.monotonic()
        plan = synthetic.Plan(responses=responses - have, stores=stores, seed=have + 1)
        took["generated"] = synthetic.generate(plan, progress=lambda _m: None)
        took["generate_s"] = round(time.monotonic() - started, 1)
    if took["generated"] or not ScoreDay.objects.exists():
        started = time.monotonic()
        report = rebuild(apply=True)
        took["rebuild_s"] = round(time.monotonic() - started, 1)
        took["rollups_matched_before"] = report.matches
    took["responses"] = Response.objects.filter(survey=world.survey).count()
    took["daily_rows"] = ScoreDay.objects.count()
    took["cube_rows"] = ScoreCube.objects.count()
    if not User.objects.filter(username="bench-analyst").exists():
        create_person(username="bench-analyst", password=None, role=Role.ANALYST)
    return took


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    for _ in range(3):  # warm: connections, caches, compiled templates
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


# -- the hand-written SQL ------------------------------------------------------------------


def q(name: str) -> str:
    return connection.ops.quote_name(name)


CUBE, DAY = q(ScoreCube._meta.db_table), q(ScoreDay._meta.db_table)
SUMS = "SUM(n), SUM(total), SUM(total_sq), SUM(top), SUM(bottom)"


def _ids(values: list[int]) -> str:
    return ", ".join(str(v) for v in values) or "0"


def _parts(period: Period) -> list[str]:
    """The period's whole months and loose day ranges, each its own condition: an OR of
    them would keep the index from reaching the dates (SQLite reads every unit's rows)."""
    months, loose = period.split()
    parts = []
    if months:
        parts.append(f"grain = 'm' AND start BETWEEN '{months[0]}' AND '{months[1]}'")
    parts += [f"grain = 'd' AND start BETWEEN '{a}' AND '{b}'" for a, b in loose]
    return parts


def _by_part(select: str, period: Period, group: str) -> list[str]:
    """``select ... WHERE ...`` once per part of the period, each grouped by ``group``."""
    return [f"{select} AND {part} GROUP BY {group}" for part in _parts(period)]


def _days(period: Period) -> str:
    return f"(grain = 'd' AND start BETWEEN '{period.since}' AND '{period.until}')"


def dashboard_sql(unit: Unit, period: Period) -> list[str]:
    """What the dashboard reads, written by hand against the same roll-up rows."""
    measures = list(
        Question.objects.filter(kind__in=["nps", "csat", "ces"]).values_list("pk", flat=True)
    )
    nps = list(Question.objects.filter(kind="nps").values_list("pk", flat=True))
    children = list(Unit.objects.filter(parent=unit).values_list("pk", flat=True))
    leaves = list(
        Unit.objects.filter(path__startswith=unit.path)
        .exclude(children__isnull=False)
        .values_list("pk", flat=True)
    )
    base = "dim = '' AND value = '' AND option = ''"
    previous = period.previous()
    week_days = f"{_days(period)}"
    texts = list(
        Question.objects.filter(kind__in=["long_text", "short_text"]).values_list("pk", flat=True)
    )
    surveys = list(Survey.objects.filter(kind="customer").values_list("pk", flat=True))
    subtree = Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)
    in_units = f" AND {q('unit_id')} + 0 IN ({_ids(list(subtree))})" if unit.parent_id else ""
    r, a = (q(m._meta.db_table) for m in (Response, Answer))
    since = period.since.isoformat()
    measures_in, nps_in = f"question_id IN ({_ids(measures)})", f"question_id IN ({_ids(nps)})"
    own_days = [
        f"SELECT touchpoint_id, {SUMS} FROM {DAY} WHERE unit_id = {unit.pk} AND {nps_in} "
        f"AND option = '' AND day BETWEEN '{low}' AND '{high}' GROUP BY touchpoint_id"
        for low, high in period.split()[1]
    ]
    return [
        *_by_part(
            f"SELECT question_id, {SUMS} FROM {CUBE} WHERE {measures_in} "
            f"AND unit_id = {unit.pk} AND {base}",
            period,
            "question_id",
        ),
        *_by_part(
            f"SELECT question_id, {SUMS} FROM {CUBE} WHERE {measures_in} "
            f"AND unit_id = {unit.pk} AND {base}",
            previous,
            "question_id",
        ),
        *_by_part(
            f"SELECT question_id, {SUMS} FROM {CUBE} WHERE {measures_in} "
            f"AND unit_id = {unit.parent_id or 0} AND {base}",
            period,
            "question_id",
        ),
        f"SELECT start, {SUMS} FROM {CUBE} WHERE {nps_in} "
        f"AND unit_id = {unit.pk} AND {base} AND {week_days} GROUP BY start",
        *_by_part(
            f"SELECT unit_id, {SUMS} FROM {CUBE} WHERE {nps_in} "
            f"AND unit_id IN ({_ids(children)}) AND {base}",
            period,
            "unit_id",
        ),
        *_by_part(
            f"SELECT unit_id, {SUMS} FROM {CUBE} WHERE {nps_in} "
            f"AND unit_id IN ({_ids(leaves)}) AND {base}",
            period,
            "unit_id",
        ),
        *_by_part(
            f"SELECT value, {SUMS} FROM {CUBE} WHERE {nps_in} "
            f"AND unit_id = {unit.pk} AND dim = 'touchpoint' AND option = ''",
            period,
            "value",
        ),
        *own_days,
        f"SELECT a.{q('text')}, r.{q('completed_at')} FROM {a} a "
        f"JOIN {r} r ON r.{q('id')} = a.{q('response_id')} "
        f"WHERE a.{q('response_id')} IN (SELECT {q('id')} FROM {r} "
        f"WHERE {q('status')} = 'complete' AND {q('completed_at')} >= '{since}' "
        f"AND {q('survey_id')} + 0 IN ({_ids(surveys)}){in_units} "
        f"ORDER BY {q('completed_at')} DESC LIMIT 200) "
        f"AND a.{q('question_id')} IN ({_ids(texts)}) AND a.{q('text')} <> '' "
        f"ORDER BY r.{q('completed_at')} DESC LIMIT 8",
    ]


def trend_sql(unit: Unit, period: Period) -> list[str]:
    nps = list(Question.objects.filter(kind="nps").values_list("pk", flat=True))
    return _by_part(
        f"SELECT start, {SUMS} FROM {CUBE} WHERE question_id IN ({_ids(nps)}) "
        f"AND unit_id = {unit.pk} AND dim = '' AND value = '' AND option = ''",
        period,
        "start",
    )


def run_sql(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            cursor.fetchall()


def _getter(client: Client, url: str) -> Callable[[], Any]:
    return lambda: client.get(url)


def _runner(statements: list[str]) -> Callable[[], None]:
    return lambda: run_sql(statements)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    figures: dict[str, Any] = prepare(args.responses, args.stores)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="bench-analyst"))
    client.get(f"/metrics/?unit={COMPANY}")  # templates and URLs loaded, as in a worker
    gc.freeze()  # as the WSGI entry point does once the application is loaded
    company, region = Unit.objects.get(code=COMPANY), Unit.objects.get(code=REGION)
    quarter, two_years = preset("90d"), preset("24m")
    checks = {
        "company": (f"/metrics/?unit={COMPANY}", dashboard_sql(company, quarter)),
        "region": (f"/metrics/?unit={REGION}", dashboard_sql(region, quarter)),
        "trend": (
            f"/api/v1/metrics/trend?unit={COMPANY}&period=24m&interval=month",
            trend_sql(company, two_years),
        ),
    }
    for name, (url, statements) in checks.items():
        SQL[name] = statements
        for address in (url, f"/bench/sql/{name}/"):
            status = client.get(address).status_code
            if status != 200:
                raise RuntimeError(f"{address} answered {status}")
        app_p50, app_p95 = timed(_getter(client, url), args.repeat)
        bare_p50, bare_p95 = timed(_getter(client, f"/bench/sql/{name}/"), args.repeat)
        sql_p50, sql_p95 = timed(_runner(statements), args.repeat)
        figures[name] = {
            "app_p50_ms": round(app_p50, 1),
            "app_p95_ms": round(app_p95, 1),
            "sql_view_p50_ms": round(bare_p50, 1),
            "sql_view_p95_ms": round(bare_p95, 1),
            "sql_p50_ms": round(sql_p50, 1),
            "sql_p95_ms": round(sql_p95, 1),
            "statements": len(statements),
        }
    figures["period"] = {"since": str(quarter.since), "until": str(quarter.until)}
    figures["today"] = str(date.today() - timedelta(days=0))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
