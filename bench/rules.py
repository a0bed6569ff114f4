"""Alert rule evaluation throughput, measured beside a bare pass over the same events.

Run by ``python -m bench`` (or alone: ``python -m bench.rules --responses 1000000``) with
DATABASE_URL set to a throwaway database; prints one JSON line.

- bare: the same complete responses and their answers read in the same chunks, no rules
  and no facts: what any evaluation must pay to see the events.
- rules: ``rules_eval.evaluate_new`` with 50 active rules (30 store detractor rules that
  open cases, 20 region-wide notify rules), from an empty high-water mark: reading,
  building facts, testing every rule, writing the matches and opening the cases.
- no cases: the same rules, all notify-only (nobody to notify), from an empty mark: the
  evaluation without the cost of opening cases.
"""

import argparse
import json
import os
import random
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinculo.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from vinculo.accounts.actors import SYSTEM  # noqa: E402
from vinculo.accounts.choices import UnitKind  # noqa: E402
from vinculo.accounts.models import Unit  # noqa: E402
from vinculo.accounts.services import create_unit  # noqa: E402
from vinculo.cases.models import (  # noqa: E402
    AlertRule,
    Case,
    Notification,
    RuleMatch,
    RuleState,
)
from vinculo.cases.rule_choices import RuleAction, RuleEvent  # noqa: E402
from vinculo.cases.rules_eval import CHUNK, evaluate_new  # noqa: E402
from vinculo.cases.rules_services import RuleData, save_rule  # noqa: E402
from vinculo.journeys.models import Channel  # noqa: E402
from vinculo.metrics.testing import EVERY_MEASURE  # noqa: E402
from vinculo.surveys.choices import ResponseStatus  # noqa: E402
from vinculo.surveys.models import Answer, Response, Survey  # noqa: E402
from vinculo.surveys.testing import live_version, published_survey  # noqa: E402

SLUG = "bench-rules"
STORES = 30
REGIONS = 5
STORE_RULES = 30
REGION_RULES = 20


def forget_last_run() -> None:
    """The bench database may keep an earlier run (PostgreSQL's does): its rules, matches,
    cases and responses go; its units and survey are used again."""
    Notification.objects.all().delete()
    RuleMatch.objects.all().delete()
    AlertRule.objects.all().delete()
    Case.objects.all().delete()
    RuleState.objects.all().delete()
    Answer.objects.filter(response__survey__slug=SLUG).delete()
    Response.objects.filter(survey__slug=SLUG).delete()


def unit(name: str, code: str, kind: str, parent: Unit | None = None) -> Unit:
    found = Unit.objects.filter(code=code).first()
    return found or create_unit(name=name, code=code, kind=kind, parent=parent)


def build_units() -> tuple[Unit, list[Unit], list[Unit]]:
    company = unit("Bench", "bench-rules", UnitKind.COMPANY)
    regions = [unit(f"R{r}", f"bench-r{r}", UnitKind.REGION, company) for r in range(REGIONS)]
    stores = [
        unit(f"S{s}", f"bench-s{s}", UnitKind.STORE, regions[s % REGIONS]) for s in range(STORES)
    ]
    return company, regions, stores


def build_rules(regions: list[Unit], stores: list[Unit]) -> None:
    for s in range(STORE_RULES):
        conditions = [
            {"field": "nps", "op": "eq", "value": 0.0},
            {"field": "csat", "op": "eq", "value": 1.0},
        ]
        data = RuleData(
            name=f"Detractor {s}",
            event=RuleEvent.RESPONSE,
            conditions=conditions,
            units=[stores[s % len(stores)]],
        )
        save_rule(actor=SYSTEM, data=data)
    for r in range(REGION_RULES):
        conditions = [
            {"field": "ces", "op": "gte", "value": 7.0},
            {"field": "nps", "op": "gte", "value": 9.0},
            {"field": "channel", "op": "in", "value": ["web", "app"]},
        ]
        data = RuleData(
            name=f"Raro {r}",
            event=RuleEvent.RESPONSE,
            conditions=conditions,
            units=[regions[r % len(regions)]],
            action=RuleAction.NOTIFY,
        )
        save_rule(actor=SYSTEM, data=data)


def build_responses(count: int, company: Unit, stores: list[Unit]) -> None:
    survey = Survey.objects.filter(slug=SLUG).first() or published_survey(
        unit=company, slug=SLUG, definition=EVERY_MEASURE
    )
    version = live_version(survey)
    questions = {q.key: q for q in version.questions.all()}
    channels = list(Channel.objects.all())
    rnd = random.Random(20261203)
    now = timezone.now()
    batch = 5_000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(
                    survey=survey,
                    version=version,
                    unit=rnd.choice(stores),
                    channel=rnd.choice(channels),
                    collector="link",
                    language="es",
                    status=ResponseStatus.COMPLETE,
                    idempotency_key=f"bench-{start + i}",
                    last_page=1,
                    started_at=now - timedelta(minutes=5),
                    completed_at=now,
                )
                for i in range(size)
            )
            answers = []
            for response in responses:
                for key, low, high in (("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7)):
                    answers.append(
                        Answer(
                            response=response,
                            question=questions[key],
                            number=rnd.randint(low, high),
                        )
                    )
            Answer.objects.bulk_create(answers)


def settle() -> None:
    """On SQLite, writes the setup's write-ahead log into the database file: otherwise the
    first measured pass that writes (the evaluation, not the read-only bare pass) pays
    for checkpointing hundreds of megabytes of setup."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def bare_pass() -> int:
    """The same rows in the same chunks, read and dropped."""
    cursor, read = 0, 0
    while True:
        rows = list(
            Response.objects.filter(
                pk__gt=cursor, status=ResponseStatus.COMPLETE, survey__kind="customer"
            )
            .order_by("pk")
            .values_list("pk", "created_at", "unit__path", "channel__code", "customer_id")[:CHUNK]
        )
        if not rows:
            return read
        answers = list(
            Answer.objects.filter(response_id__in=[r[0] for r in rows], row="").values_list(
                "response_id", "question__key", "question__kind", "number", "text", "choices"
            )
        )
        read += len(rows)
        del answers  # read in full, as the evaluation reads them
        cursor = rows[-1][0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    forget_last_run()
    company, regions, stores = build_units()
    build_rules(regions, stores)
    started = time.perf_counter()
    build_responses(args.responses, company, stores)
    settle()
    setup_s = time.perf_counter() - started

    bare_s = float("inf")
    for _attempt in range(2):
        started = time.perf_counter()
        bare_read = bare_pass()
        bare_s = min(bare_s, time.perf_counter() - started)
    RuleState.objects.all().delete()
    started = time.perf_counter()
    rules_read = evaluate_new(budget_seconds=float("inf"))
    rules_s = time.perf_counter() - started
    matches = RuleMatch.objects.count()
    started = time.perf_counter()
    again_read = evaluate_new(budget_seconds=float("inf"))
    again_s = time.perf_counter() - started

    # The same 50 rules, none opening a case: the evaluation itself, without the cost of
    # opening cases (services.open_case: SLA due times, activity log, timeline).
    RuleMatch.objects.all().delete()
    RuleState.objects.all().delete()
    AlertRule.objects.update(action=RuleAction.NOTIFY)
    started = time.perf_counter()
    engine_read = evaluate_new(budget_seconds=float("inf"))
    engine_s = time.perf_counter() - started

    figures = {
        "responses": args.responses,
        "rules": STORE_RULES + REGION_RULES,
        "setup_s": round(setup_s, 1),
        "bare_events": bare_read,
        "bare_per_s": round(bare_read / bare_s),
        "rules_events": rules_read,
        "rules_per_s": round(rules_read / rules_s),
        "ratio": round((rules_read / rules_s) / (bare_read / bare_s), 3),
        "matches": matches,
        "no_cases_per_s": round(engine_read / engine_s),
        "cases": Case.objects.count(),
        "rerun_events": again_read,
        "rerun_s": round(again_s, 3),
        "rerun_matches_added": RuleMatch.objects.count() - matches,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
