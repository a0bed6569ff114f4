"""A small company's answers, known by heart, that the metric tests read back.

Answers of the ``experiencia`` survey (see ``metrics.testing``), March and April 2026:

| unit      | month | NPS answers                         | channel      | segment    |
|-----------|-------|-------------------------------------|--------------|------------|
| Bilbao    | March | 40: 20 x 10, 10 x 8, 10 x 3         | web (link)   | empresa    |
| Bilbao    | April | 30: 10 x 9, 20 x 2                  | store (qr)   | particular |
| Santander | March | 10: 10 x 10                         | web          | empresa    |
| Sevilla   | March | 60: 30 x 9, 30 x 7                  | store (qr)   | particular |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from vinculo.customers.models import Customer
from vinculo.metrics.testing import answer, folded, measure_survey
from vinculo.surveys.choices import Collector
from vinculo.surveys.models import Survey
from vinculo.test import Org, at, make_customer


@dataclass
class World:
    survey: Survey
    empresa: Customer
    particular: Customer


def _customer(name: str, segment: str, stage: str) -> Customer:
    customer = make_customer(name, email=f"{name.lower()}@example.com")
    customer.segment, customer.lifecycle_stage = segment, stage
    customer.save()
    return customer


def build_world(org: Org) -> World:
    survey = measure_survey(org.company)
    empresa = _customer("Empresa", "empresa", "active")
    particular = _customer("Particular", "particular", "at_risk")
    plan = [
        (org.bilbao, "2026-03-02 10:00", [10] * 20 + [8] * 10 + [3] * 10, Collector.LINK, empresa),
        (org.bilbao, "2026-04-06 10:00", [9] * 10 + [2] * 20, Collector.QR, particular),
        (org.santander, "2026-03-03 10:00", [10] * 10, Collector.LINK, empresa),
        (org.sevilla, "2026-03-04 10:00", [9] * 30 + [7] * 30, Collector.QR, particular),
    ]
    for unit, first, scores, collector, customer in plan:
        for i, nps in enumerate(scores):
            when = at(first) + timedelta(hours=7 * i)  # spread over a few days
            comment = f"Comentario {unit.code} {i}" if i < 3 else ""
            answer(
                survey,
                unit,
                when,
                customer=customer,
                collector=collector,
                nps=nps,
                csat=5 if nps >= 9 else 2,
                comentario=comment,
            )
    folded()
    return World(survey, empresa, particular)
