"""The scheduler: ``run_scheduler --once`` runs the periodic work, a waiting task is not
enqueued twice, and SIGTERM stops the real command cleanly."""

import signal
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vinculo.core.scheduler import PERIODIC_TASKS, enqueue_periodic
from vinculo.surveys.choices import DistributionStatus
from vinculo.surveys.models import Distribution
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import (
    bulk_customers,
    manage,
    production_env,
    start,
    start_campaign,
)
from vinculo.test import Org
from vinculo.testservers import SmtpServer


def test_one_tick_starts_a_campaign_whose_time_has_come(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    bulk_customers(3, unit=org.bilbao)
    campaign = start_campaign(
        django_capture_on_commit_callbacks,
        survey,
        audience={"unit": org.bilbao.pk},
        send_at=timezone.now() + timedelta(hours=1),
    )
    assert smtp_server.messages == []
    # An hour later:
    Distribution.objects.filter(pk=campaign.pk).update(
        send_at=timezone.now() - timedelta(minutes=1),
        updated_at=timezone.now() - timedelta(hours=1),
    )

    call_command("run_scheduler", "--once", stdout=None)

    campaign.refresh_from_db()
    assert campaign.status == DistributionStatus.DONE
    assert len(smtp_server.messages) == 3


def test_a_periodic_task_still_waiting_is_not_enqueued_again(org: Org, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    first = enqueue_periodic()
    second = enqueue_periodic()

    assert sorted(first) == sorted(path.rsplit(".", 1)[1] for path in PERIODIC_TASKS)
    assert "evaluate_alert_rules_task" in first and "send_case_digests_task" in first
    assert second == []
    assert DBTaskResult.objects.count() == len(PERIODIC_TASKS)


def test_the_real_scheduler_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = production_env(tmp_path, SURVEY_SCHEDULER_SECONDS="60")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    log = tmp_path / "scheduler.log"
    scheduler = start(env, log, "run_scheduler")
    try:
        deadline = time.monotonic() + 30
        while "Scheduler: a tick every 60 s" not in log.read_text():
            assert scheduler.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        time.sleep(0.5)  # inside its first wait
        scheduler.send_signal(signal.SIGTERM)
        code = scheduler.wait(timeout=10)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
    assert code == 0, log.read_text()
    waiting = manage(
        env,
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.count())",
    )
    # one tick: each periodic task once
    assert waiting.strip().splitlines()[-1] == str(len(PERIODIC_TASKS))
