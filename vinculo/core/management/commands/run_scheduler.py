"""Enqueues the periodic tasks (core.scheduler) every SURVEY_SCHEDULER_SECONDS: survey
sending and triggers, folding answers into the metrics, the weekly digests.

django-tasks has no periodic scheduling of its own. Run one of these next to the workers
(``make run`` does); running two is harmless, only wasteful, because every task claims its
work. SIGTERM or Ctrl-C stops it between two ticks.

    manage.py run_scheduler            # forever
    manage.py run_scheduler --once     # one tick, then exit (tests, cron)
"""

from __future__ import annotations

import logging
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from vinculo.core.scheduler import enqueue_periodic

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (survey sending, metrics roll-ups, digests) periodically."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue once and exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between ticks (default: SURVEY_SCHEDULER_SECONDS).",
        )

    def handle(self, *args: Any, once: bool, interval: float | None, **options: Any) -> None:
        period = interval if interval is not None else float(settings.SURVEY_SCHEDULER_SECONDS)
        if once:
            self._tick(verbose=True)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signals = (signal.SIGTERM, signal.SIGINT)
        previous = {sig: signal.signal(sig, request_stop) for sig in signals}
        self.stdout.write(f"Scheduler: a tick every {period:g} s")
        try:
            while not stop.is_set():
                self._tick(verbose=options["verbosity"] > 1)
                if stop.wait(period):
                    break
                # Between ticks, not before the first: a connection idle for a whole period
                # may have been dropped by the server (or the database restarted).
                close_old_connections()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _tick(self, *, verbose: bool) -> None:
        try:
            enqueued = enqueue_periodic()
        except DatabaseError as exc:  # a restarting database must not end the loop
            logger.warning("Scheduler could not enqueue: %s", exc)
            return
        if verbose:
            self.stdout.write(f"Enqueued: {', '.join(enqueued) or 'nothing (already waiting)'}")
