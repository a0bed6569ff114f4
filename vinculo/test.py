"""Shared test fixtures: a small company with named people in named roles.

The organisation::

    Telco Demo (company)
    ├── Norte (region)
    │   ├── Bilbao Centro (store)
    │   └── Santander (store)
    └── Sur (region)
        └── Sevilla Nervión (store)

People: alicia (administrator), bruno (CX analyst), carmen (manages Norte),
diego (manages Bilbao Centro), elena (billing agent, whole company),
fernando (read-only viewer), gabriel (manages Sur), and nadie (signed in, no role).
"""

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from vinculo.accounts.actors import Actor, actor_for_user
from vinculo.accounts.choices import Role, UnitKind
from vinculo.accounts.models import Department, Unit
from vinculo.accounts.services import create_person, create_unit
from vinculo.cases.deadlines import forget_sla_setup
from vinculo.customers.models import Customer
from vinculo.customers.services import create_customer
from vinculo.journeys.models import Channel, Interaction, InteractionType
from vinculo.journeys.services import record_interaction
from vinculo.webhooks.queries import forget_endpoints

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Org:
    company: Unit
    norte: Unit
    bilbao: Unit
    santander: Unit
    sur: Unit
    sevilla: Unit


@dataclass
class People:
    alicia: User
    bruno: User
    carmen: User
    diego: User
    elena: User
    fernando: User
    gabriel: User
    nadie: User

    def by_name(self, name: str) -> User:
        user: User = getattr(self, name)
        return user


SEED_MIGRATIONS = (
    "vinculo.accounts.migrations.0002_default_departments",
    "vinculo.journeys.migrations.0002_default_catalogue",
    "vinculo.surveys.migrations.0002_seed",
    "vinculo.metrics.migrations.0002_seed",
    "vinculo.feedback.migrations.0002_seed",
    "vinculo.cases.migrations.0002_seed",
    "vinculo.cases.migrations.0005_follow_up_type",
    "vinculo.cases.migrations.0007_reopened_closed_types",
)


def reseed_catalogue() -> None:
    """Runs the seeding data migrations again (they are idempotent) after a flush."""
    for module in SEED_MIGRATIONS:
        import_module(module).create(apps, None)


def build_org() -> Org:
    company = create_unit(name="Telco Demo", code="telco", kind=UnitKind.COMPANY)
    norte = create_unit(name="Norte", code="norte", kind=UnitKind.REGION, parent=company)
    sur = create_unit(name="Sur", code="sur", kind=UnitKind.REGION, parent=company)
    return Org(
        company=company,
        norte=norte,
        bilbao=create_unit(
            name="Bilbao Centro", code="bilbao-centro", kind=UnitKind.STORE, parent=norte
        ),
        santander=create_unit(
            name="Santander", code="santander", kind=UnitKind.STORE, parent=norte
        ),
        sur=sur,
        sevilla=create_unit(
            name="Sevilla Nervión", code="sevilla-nervion", kind=UnitKind.STORE, parent=sur
        ),
    )


def build_people(org: Org) -> People:
    billing = Department.objects.get(code="billing")

    def person(username: str, role: str, unit: Unit | None = None, **extra: Any) -> User:
        return create_person(username=username, password=PASSWORD, role=role, unit=unit, **extra)

    return People(
        alicia=person("alicia", Role.ADMIN),
        bruno=person("bruno", Role.ANALYST),
        carmen=person("carmen", Role.UNIT_MANAGER, org.norte),
        diego=person("diego", Role.UNIT_MANAGER, org.bilbao),
        elena=person("elena", Role.AGENT, department=billing),
        fernando=person("fernando", Role.VIEWER),
        gabriel=person("gabriel", Role.UNIT_MANAGER, org.sur),
        nadie=User.objects.create_user(username="nadie", password=PASSWORD),
    )


def actor_of(user: User) -> Actor:
    return actor_for_user(User.objects.get(pk=user.pk))


def at(text: str) -> datetime:
    """A Madrid-time datetime from 'YYYY-MM-DD HH:MM'."""
    return timezone.make_aware(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def add_interaction(
    customer: Customer,
    unit: Unit,
    *,
    when: str = "2026-03-01 10:00",
    channel: str = "store",
    kind: str = "sale",
    external_id: str | None = None,
    **extra: Any,
) -> Interaction:
    interaction, _created = record_interaction(
        customer=customer,
        channel=Channel.objects.get(code=channel),
        interaction_type=InteractionType.objects.get(code=kind),
        unit=unit,
        occurred_at=at(when),
        source="test",
        external_id=external_id or f"{customer.pk}-{unit.code}-{when}-{channel}-{kind}",
        **extra,
    )
    return interaction


def make_customer(name: str, **identities: str) -> Customer:
    return create_customer(identities=identities, name=name, source="test")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def org(db: None) -> Org:
    if not Channel.objects.exists():
        reseed_catalogue()  # a transactional test before this one flushed the seeded rows
    return build_org()


@pytest.fixture
def people(org: Org) -> People:
    return build_people(org)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded and generated files of a test live and die with the test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language: a request never leaks its language on."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate-limit counters, import progress and the SLA setup never leak from one test to
    the next (a rolled-back test's working hours must not stay in memory)."""
    cache.clear()
    forget_sla_setup()
    forget_endpoints()
