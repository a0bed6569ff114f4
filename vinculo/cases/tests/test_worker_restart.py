"""Killing the process that evaluates alert rules in the middle of a backlog, and running
it again: every detractor gets exactly one case and one match, none twice, none missed.

The evaluation runs in its own process on its own SQLite file, as the worker runs it in
an installation; this test watches the file and kills the process with SIGKILL once some
cases exist, so the kill lands between or inside chunks' transactions.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

from vinculo.surveys.tests.distribution_helpers import manage, production_env, start

RESPONSES = 3000
KILL_AFTER = 300  # cases opened before the kill

SETUP = f"""
from vinculo.accounts.actors import SYSTEM
from vinculo.cases.rule_choices import RuleEvent
from vinculo.cases.rules_services import RuleData, save_rule
from bench.rules import build_responses, build_units
company, regions, stores = build_units()
save_rule(actor=SYSTEM, data=RuleData(
    name="Detractores", event=RuleEvent.RESPONSE, units=[company],
    conditions=[{{"field": "nps", "op": "lte", "value": 6}}],
))
build_responses({RESPONSES}, company, stores)
"""

EVALUATE = "from vinculo.cases.rules_eval import evaluate_new; evaluate_new(chunk=20)"


def _count(database: Path, sql: str) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        return int(connection.execute(sql).fetchone()[0])


def test_a_killed_evaluation_resumes_without_duplicates_or_gaps(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    database = tmp_path / "vinculo.sqlite3"
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "shell", "-c", SETUP)
    detractors = _count(
        database,
        "SELECT COUNT(*) FROM surveys_answer a JOIN surveys_question q ON q.id = a.question_id "
        "WHERE q.key = 'nps' AND a.number <= 6",
    )

    first = start(env, tmp_path / "evaluate.log", "shell", "-c", EVALUATE)
    deadline = time.monotonic() + 120
    try:
        while _count(database, "SELECT COUNT(*) FROM cases_case") < KILL_AFTER:
            assert first.poll() is None, "the evaluation ended before the kill"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    at_kill = _count(database, "SELECT COUNT(*) FROM cases_case")
    assert KILL_AFTER <= at_kill < detractors

    manage(env, "shell", "-c", EVALUATE)

    cases = _count(database, "SELECT COUNT(*) FROM cases_case")
    records = _count(database, "SELECT COUNT(DISTINCT trigger_id) FROM cases_case")
    matches = _count(database, "SELECT COUNT(*) FROM cases_rulematch")
    opened = _count(database, "SELECT COUNT(*) FROM cases_caseevent WHERE kind = 'opened'")
    assert cases == records == matches == opened == detractors
