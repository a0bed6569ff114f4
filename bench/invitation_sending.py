"""Invitations rendered and sent per second to a local SMTP server, beside bare sends.

Run by ``python -m bench`` with DATABASE_URL set; prints one JSON line.

A real SMTP server (aiosmtpd, in this process's thread) receives every message.
- bare: Django's ``send_mail`` of a fixed message of the same size, one connection per
  message as the invitations use: what the mail path itself costs;
- invitations: a campaign to ``--customers`` customers with e-mail consent, run the way the
  worker runs it (``send_distribution_task``): create the invitations, then for each one
  claim it, check consent and contact fatigue, render the e-mail (text and HTML, personal
  signed link) and send it.
Afterwards the messages the server received are counted against the invitations sent.
"""

import argparse
import json
import logging
import os
import socket
import threading
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.mail import send_mail  # noqa: E402
from django.core.management import call_command  # noqa: E402

from vinculo.accounts.actors import SYSTEM  # noqa: E402
from vinculo.accounts.choices import UnitKind  # noqa: E402
from vinculo.accounts.models import Unit  # noqa: E402
from vinculo.accounts.services import create_unit  # noqa: E402
from vinculo.customers.models import Customer, Identity  # noqa: E402
from vinculo.surveys.choices import InvitationStatus  # noqa: E402
from vinculo.surveys.invitations import create_distribution, send_distribution  # noqa: E402
from vinculo.surveys.models import Invitation, Survey  # noqa: E402
from vinculo.surveys.tasks import send_distribution_task  # noqa: E402
from vinculo.surveys.testing import published_survey  # noqa: E402

SLUG = "bench-invitaciones"


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(customers: int) -> tuple[Unit, Survey]:
    call_command("migrate", verbosity=0)
    Invitation.objects.filter(survey__slug=SLUG).delete()
    Survey.objects.filter(slug=SLUG).delete()
    Customer.objects.filter(segment="bench-invitaciones").delete()
    store = Unit.objects.filter(code="bench-inv-store").first()
    if store is None:
        company = create_unit(name="Bench invitations", code="bench-inv", kind=UnitKind.COMPANY)
        store = create_unit(
            name="Tienda Bench", code="bench-inv-store", kind=UnitKind.STORE, parent=company
        )
    people = Customer.objects.bulk_create(
        Customer(
            name=f"Cliente {n}",
            name_folded=f"cliente {n}",
            segment="bench-invitaciones",
            language="es",
            consents={"email": True},
            home_unit=store,
        )
        for n in range(customers)
    )
    Identity.objects.bulk_create(
        Identity(customer=c, kind="email", value=f"bench-{c.pk}@example.com", source="bench")
        for c in people
    )
    return store, published_survey(unit=store, slug=SLUG, languages=["es"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=2000)
    args = parser.parse_args()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-session chatter
    handler = Counter()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        store, survey = prepare(args.customers)
        body = "Hola, ¿nos cuentas qué tal tu visita? https://vinculo.example/s/i/xxxx/ " * 8
        began = time.perf_counter()
        for n in range(args.customers):
            send_mail("¿Qué tal tu visita?", body, None, [f"bare-{n}@example.com"])
        bare_seconds = time.perf_counter() - began
        received_bare = handler.count

        campaign = create_distribution(
            actor=SYSTEM,
            survey=survey,
            name="Bench",
            channel="email",
            audience={"segment": "bench-invitaciones"},
            unit=store,
        )
        send_distribution(distribution=campaign)
        began = time.perf_counter()
        while (
            Invitation.objects.filter(
                distribution=campaign, status=InvitationStatus.QUEUED
            ).exists()
            or not Invitation.objects.filter(distribution=campaign).exists()
        ):
            send_distribution_task.call(campaign.pk)
        seconds = time.perf_counter() - began
        sent = Invitation.objects.filter(distribution=campaign, status=InvitationStatus.SENT)
        figures = {
            "customers": args.customers,
            "bare_per_s": round(args.customers / bare_seconds, 1),
            "invitations_per_s": round(args.customers / seconds, 1),
            "invitations_sent": sent.count(),
            "received": handler.count - received_bare,
        }
    finally:
        controller.stop()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
