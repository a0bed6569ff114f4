"""The outer loop's figures on a hand-built month of cases with fixed times: root causes
(counts, shares, medians, reopen rate, change), case metrics (first response, resolution,
SLA, first-contact resolution, follow-up NPS), suppression and who sees what.

The month (urgent cases, due round the clock: first response in 1 h, resolution in 8 h),
all opened Monday 2 March 2026 at 10:00; "A" is Facturación > Cargo duplicado, "B"
Atención > Trato del personal:

| case | unit      | dept    | first response     | resolved            | contacts | cause |
|------|-----------|---------|--------------------|---------------------|----------|-------|
| c1   | Bilbao    | service | taken 10:30        | 12:00 (2 h)         | 0        | A     |
| c2   | Bilbao    | service | call 10:45         | 14:00 (4 h)         | 2        | A     |
| c3   | Bilbao    | service | call 12:00 (late)  | 16:00; reopened 17:00;  | 1        | A     |
|      |           |         |                    | again 20:00 (10 h)  |          |       |
| c4   | Santander | billing | taken 10:20        | 22:00 (12 h, late)  | 0        | B     |
| c5   | Sevilla   | service | call 10:50         | 13:00 (3 h)         | 1        | A     |
| c6   | Sevilla   | service | none (late)        | open (late)         | 0        | -     |

and one case of the month before: A in Bilbao, opened 10 February, resolved in 1 h.
"""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from vinculo.accounts.actors import SYSTEM
from vinculo.cases.choices import FollowUpStatus, Priority
from vinculo.cases.insights import case_metrics, root_causes
from vinculo.cases.insights_filters import RawInsightFilter, resolve
from vinculo.cases.insights_forms import InsightFilterForm
from vinculo.cases.models import Case, FollowUp, RootCause
from vinculo.cases.services import log_contact, reopen, take
from vinculo.cases.services import resolve as resolve_case
from vinculo.cases.testing import opened
from vinculo.metrics.models import MetricPolicy
from vinculo.test import Org, People, actor_of, at, client_for

MARCH = {"since": date(2026, 3, 1), "until": date(2026, 3, 31)}
MARCH_QUERY = {"since": "2026-03-01", "until": "2026-03-31"}
NOW = at("2026-03-03 12:00")
A = "/api/v1/cases-insights"


def _case(unit, cause, *, department="customer_service", first=None, call_at=(), resolved=None):
    start = at("2026-03-02 10:00")
    case = opened(unit, department=department, priority=Priority.URGENT, now=start)
    if first is not None:
        take(actor=actor_of(first[0]), case=case, now=start + first[1])
    for offset in call_at:
        log_contact(actor=SYSTEM, case=case, channel="call", outcome="reached", now=start + offset)
    if resolved is not None:
        resolve_case(
            actor=SYSTEM, case=case, root_cause=cause, resolution="Hecho", now=start + resolved
        )
    return Case.objects.get(pk=case.pk)


def _answered(case, score, solved):
    FollowUp.objects.create(case=case, status=FollowUpStatus.ANSWERED, score=score, solved=solved)


@pytest.fixture
def month(org: Org, people: People) -> dict[str, Case]:
    MetricPolicy.objects.update_or_create(pk=1, defaults={"min_sample": 3})
    a = RootCause.objects.get(name="Cargo duplicado")
    b = RootCause.objects.get(name="Trato del personal")
    m = timedelta(minutes=1)
    bruno = people.bruno
    cases = {
        "c1": _case(org.bilbao, a, first=(bruno, 30 * m), resolved=120 * m),
        "c2": _case(org.bilbao, a, call_at=(45 * m, 90 * m), resolved=240 * m),
        "c3": _case(org.bilbao, a, call_at=(120 * m,), resolved=360 * m),
        "c4": _case(
            org.santander, b, department="billing", first=(bruno, 20 * m), resolved=720 * m
        ),
        "c5": _case(org.sevilla, a, call_at=(50 * m,), resolved=180 * m),
        "c6": _case(org.sevilla, None),
    }
    reopen(actor=SYSTEM, case=cases["c3"], reason="Sigue", now=at("2026-03-02 17:00"))
    resolve_case(
        actor=SYSTEM, case=cases["c3"], root_cause=a, resolution="Ya", now=at("2026-03-02 20:00")
    )
    before = opened(org.bilbao, priority=Priority.URGENT, now=at("2026-02-10 10:00"))
    resolve_case(
        actor=SYSTEM, case=before, root_cause=a, resolution="Hecho", now=at("2026-02-10 11:00")
    )
    for name, score, solved in [("c1", 10, True), ("c2", 9, True), ("c3", 3, False)]:
        _answered(cases[name], score, solved)
    _answered(cases["c4"], 7, True)
    _answered(cases["c5"], 10, None)
    return {name: Case.objects.get(pk=c.pk) for name, c in cases.items()}


def _filter(person, **raw):
    return resolve(actor_of(person), RawInsightFilter(**{**MARCH, **raw}))


def test_root_causes_count_share_median_time_to_close_reopen_rate_and_change(month, people):
    rollup = root_causes(actor_of(people.bruno), _filter(people.bruno))

    assert (rollup.total, rollup.previous_total) == (5, 1)
    a, b = rollup.rows
    assert (a.cause, a.parent, a.n, a.previous_n, a.change) == (
        "Cargo duplicado",
        "Facturación",
        4,
        1,
        3,
    )
    assert a.share.value == pytest.approx(80.0)  # 4 of 5, Wilson interval
    assert a.share.low == pytest.approx(37.55, abs=0.01)
    assert a.share.high == pytest.approx(96.38, abs=0.01)
    # Hours to close: 2, 3, 4, 10. Four values have no 95% interval, so no median either,
    # though the policy's minimum is 3.
    assert (a.time_to_close.value, a.time_to_close.low, a.time_to_close.n) == (None, None, 4)
    assert a.time_to_close.suppressed
    assert (a.reopen_rate.value, a.reopen_rate.n) == (25.0, 4)  # c3 of four
    assert (b.cause, b.n, b.share.value) == ("Trato del personal", 1, pytest.approx(20.0))
    # One case is below the minimum sample (3): its median and rate are not shown.
    assert b.time_to_close.suppressed and b.time_to_close.value is None
    assert b.reopen_rate.suppressed and b.reopen_rate.n == 1


def test_root_causes_by_region_and_by_touchpoint(month, people, org):
    rollup = root_causes(actor_of(people.bruno), _filter(people.bruno, by="unit", depth=1))

    found = {(r.cause, r.group): (r.n, r.previous_n) for r in rollup.rows}
    assert found == {
        ("Cargo duplicado", "Norte"): (3, 1),
        ("Cargo duplicado", "Sur"): (1, 0),
        ("Trato del personal", "Norte"): (1, 0),
    }
    norte = next(r for r in rollup.rows if r.group == "Norte" and r.n == 3)
    # 2, 4, 10 hours: too few for a median with an interval.
    assert (norte.time_to_close.value, norte.time_to_close.n) == (None, 3)
    by_touchpoint = root_causes(actor_of(people.bruno), _filter(people.bruno, by="touchpoint"))
    assert {(r.cause, r.group_id, r.n) for r in by_touchpoint.rows} == {
        ("Cargo duplicado", None, 4),
        ("Trato del personal", None, 1),
    }


def test_case_metrics_in_total(month, people):
    figures = case_metrics(actor_of(people.bruno), _filter(people.bruno), now=NOW)

    t = figures.total
    assert (t.opened, t.resolved) == (6, 5)
    # First responses: 20, 30, 45, 50 minutes, 2 hours, and c6 still waiting. Of six, the
    # interval's upper end is the sixth value, c6's, not known yet: the median is withheld
    # (counting only the five answered would say 45 minutes, too fast).
    assert (t.first_response.value, t.first_response.n) == (None, 6)
    assert t.first_response.suppressed and t.first_response_open
    # Answered in time: c1 c2 c4 c5; c3 late; c6 never and past due: 4 of 6.
    assert (t.first_response_sla.value, t.first_response_sla.n) == (pytest.approx(400 / 6), 6)
    # Hours to resolve: 2, 3, 4, 10, 12 and c6 still open: withheld the same way.
    assert (t.time_to_resolve.value, t.time_to_resolve.n) == (None, 6)
    assert t.time_to_resolve_open
    # Resolved in time: c1 c2 c5, and c3 against its new due time (01:00) after reopening;
    # c4 at 22:00 after an 18:00 due time, c6 open past due: 4 of 6.
    assert (t.resolution_sla.value, t.resolution_sla.n) == (pytest.approx(400 / 6), 6)
    # Resolved, never reopened, at most one contact: c1 (0), c4 (0), c5 (1): 3 of 5.
    assert (t.first_contact_resolution.value, t.first_contact_resolution.n) == (60.0, 5)
    assert t.resolved_without_contact == 2  # c1 and c4 count as resolved first time
    # Follow-up: 10, 9, 3, 7, 10 -> 3 promoters, 1 detractor of 5: +40.
    assert (t.follow_up_nps.value, t.follow_up_nps.n) == (pytest.approx(40.0), 5)
    assert t.follow_up_nps.low == pytest.approx(-29.78, abs=0.01)
    assert (t.follow_up_solved.value, t.follow_up_solved.n) == (75.0, 4)


def test_case_metrics_per_department_and_per_region(month, people):
    figures = case_metrics(actor_of(people.bruno), _filter(people.bruno), now=NOW)

    departments = {r.label: (r.opened, r.resolved) for r in figures.departments}
    assert departments == {"Atención al cliente": (5, 4), "Facturación": (1, 1)}
    units = {r.label: r for r in figures.units}
    assert {k: v.opened for k, v in units.items()} == {"Norte": 4, "Sur": 2}
    assert units["Norte"].first_contact_resolution.value == 50.0  # c1 and c4 of four
    assert units["Sur"].time_to_resolve.suppressed  # two cases: fewer than 6
    assert not units["Sur"].time_to_resolve_open  # too few, not too many open
    assert units["Norte"].resolved_without_contact == 2
    assert units["Sur"].first_response_sla.value is None and units["Sur"].first_response_sla.n == 2


def test_figures_below_the_minimum_sample_are_suppressed_with_their_n(month, people):
    MetricPolicy.objects.filter(pk=1).update(min_sample=30)

    f = _filter(people.bruno)
    t = case_metrics(actor_of(people.bruno), f, now=NOW).total
    a = root_causes(actor_of(people.bruno), f).rows[0]

    for e in (t.first_response, t.resolution_sla, t.follow_up_nps, a.share, a.time_to_close):
        assert (e.value, e.low, e.high, e.suppressed) == (None, None, None, True)
    assert (t.opened, t.follow_up_nps.n, a.n, a.time_to_close.n) == (6, 5, 4, 4)


def test_a_unit_manager_sees_only_their_subtree_and_an_agent_only_their_department(month, people):
    carmen = root_causes(actor_of(people.carmen), _filter(people.carmen))
    gabriel = case_metrics(actor_of(people.gabriel), _filter(people.gabriel), now=NOW)
    elena = case_metrics(actor_of(people.elena), _filter(people.elena), now=NOW)
    diego = case_metrics(actor_of(people.diego), _filter(people.diego), now=NOW)

    assert carmen.total == 4  # Sevilla's case is not counted
    assert [(r.cause, r.n) for r in carmen.rows] == [
        ("Cargo duplicado", 3),
        ("Trato del personal", 1),
    ]
    assert (gabriel.total.opened, [r.label for r in gabriel.units]) == (2, ["Sur"])
    assert (elena.total.opened, [r.label for r in elena.departments]) == (1, ["Facturación"])
    # A store manager's rows are their store, never the region they cannot see all of.
    assert [(r.label, r.opened) for r in diego.units] == [("Bilbao Centro", 3)]


def test_each_figure_is_read_in_a_few_queries(month, people, django_assert_max_num_queries):
    f = _filter(people.bruno, by="unit")
    actor = actor_of(people.bruno)

    with django_assert_max_num_queries(5):
        root_causes(actor, f)
    with django_assert_max_num_queries(3):
        case_metrics(actor, f, now=NOW)


def _figure(html: str, row: str, name: str) -> dict[str, str]:
    """The data attributes of one figure cell in the row whose opening tag holds ``row``."""
    start = html.index(row)
    cell = re.search(rf'data-figure="{name}"([^>]*)>', html[start:])
    assert cell is not None
    return dict(re.findall(r'data-([a-z]+)="([^"]*)"', cell.group(1)))


def test_the_root_causes_page_shows_figures_and_a_promote_link(month, people):
    a = RootCause.objects.get(name="Cargo duplicado")
    response = client_for(people.bruno).get(
        "/cases/insights/", {"since": "2026-03-01", "until": "2026-03-31"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    row = f'data-cause="{a.pk}"'
    assert _figure(html, row, "n")["value"] == "4"
    assert _figure(html, row, "change")["value"] == "3"
    assert _figure(html, row, "time_to_close") == {
        "n": "4",
        "value": "",
        "low": "",
        "high": "",
        "suppressed": "1",
    }
    assert f"/cases/improvements/new/?root_cause={a.pk}" in html


def test_the_case_metrics_page_shows_n_and_suppression(month, people):
    MetricPolicy.objects.filter(pk=1).update(min_sample=30)
    translation.activate("en")

    response = client_for(people.carmen).get(
        "/cases/metrics/", {"since": "2026-03-01", "until": "2026-03-31"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    assert response.status_code == 200
    cell = _figure(html, 'data-key="all"', "first_response")
    assert (cell["n"], cell["value"], cell["suppressed"]) == ("4", "", "1")
    assert "insufficient sample" in html
    assert _figure(html, 'data-key="all"', "opened")["value"] == "4"


def test_a_unit_outside_ones_scope_is_refused_by_name(month, people):
    carmen = client_for(people.carmen)

    page = carmen.get("/cases/insights/", {"unit": "sevilla-nervion"})
    api = carmen.get(f"{A}/metrics", {"unit": "sevilla-nervion"})

    assert page.status_code == 400
    assert 'data-field="unit"' in page.content.decode()
    assert api.status_code == 422
    assert api.json()["detail"][0]["field"] == "unit"


def test_the_api_answers_each_figure_with_n_and_interval(month, people):
    client = client_for(people.bruno)

    causes = client.get(f"{A}/root-causes", {**MARCH_QUERY, "by": "unit"}).json()
    metrics = client.get(f"{A}/metrics", MARCH_QUERY).json()

    assert causes["total"] == 5 and causes["scope"]["previous_since"] == "2026-01-29"
    first = causes["rows"][0]
    assert (first["name"], first["group"], first["n"], first["previous_n"]) == (
        "Cargo duplicado",
        "Norte",
        3,
        1,
    )
    assert first["time_to_close"] == {
        "value": None,
        "low": None,
        "high": None,
        "n": 3,
        "suppressed": True,
    }
    assert metrics["total"]["opened"] == 6
    assert metrics["total"]["time_to_resolve_open"] is True
    assert metrics["total"]["resolved_without_contact"] == 2
    assert metrics["total"]["follow_up_nps"]["value"] == pytest.approx(40.0)
    assert {d["label"] for d in metrics["departments"]} == {"Atención al cliente", "Facturación"}


def test_the_case_metrics_page_says_a_median_waits_for_open_cases_and_counts_silent_fcr(
    month, people
):
    translation.activate("en")

    response = client_for(people.bruno).get(
        "/cases/metrics/", MARCH_QUERY, HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    cell = _figure(html, 'data-key="all"', "time_to_resolve")
    assert (cell["n"], cell["value"], cell["suppressed"], cell["open"]) == ("6", "", "1", "1")
    assert "too many still open" in html
    assert "2 resolved with no contact logged" in html


def test_medians_of_cases_opened_in_the_period_show_once_enough_have_finished(org, people):
    # Seven Bilbao cases resolved in 1..7 hours, no policy minimum to speak of: median 4 h,
    # between the first and seventh values (P(B <= 0) = 1/128 <= 2.5% < P(B <= 1) = 8/128).
    MetricPolicy.objects.update_or_create(pk=1, defaults={"min_sample": 1})
    cause = RootCause.objects.get(name="Cargo duplicado")
    for h in range(1, 8):
        _case(org.bilbao, cause, resolved=timedelta(hours=h))

    f = _filter(people.bruno)
    t = case_metrics(actor_of(people.bruno), f, now=NOW).total
    row = root_causes(actor_of(people.bruno), f).rows[0]

    for e in (t.time_to_resolve, row.time_to_close):
        assert (e.value, e.low, e.high, e.n, e.suppressed) == (4.0, 1.0, 7.0, 7, False)
    assert not t.time_to_resolve_open


def _depths(person) -> list[tuple[str, str]]:
    field: Any = InsightFilterForm(actor=actor_of(person)).fields["depth"]
    return list(field.choices)


def test_the_unit_level_choices_name_the_kinds_of_unit_in_ones_scope(org, people):
    with translation.override("en"):
        everyone, carmen, diego = (
            _depths(person) for person in (people.bruno, people.carmen, people.diego)
        )

        assert [(v, str(label)) for v, label in everyone] == [
            ("", "—"),
            ("0", "Company"),
            ("1", "Region"),
            ("2", "Store"),
        ]
        assert [v for v, _label in carmen] == ["", "1", "2"]
        assert [(v, str(label)) for v, label in diego] == [("", "—"), ("2", "Store")]
