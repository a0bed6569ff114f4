"""Property: whatever responses arrive, are corrected or deleted, and however the folds
fall between them, the roll-ups equal a recomputation from the raw answers."""

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from vinculo.accounts.actors import SYSTEM
from vinculo.metrics.rollups import fold
from vinculo.metrics.rollups.rebuild import rebuild
from vinculo.metrics.testing import answer, folded, measure_survey
from vinculo.surveys.corrections import correct_response, delete_response
from vinculo.test import at, make_customer

START = at("2026-01-31 22:00")  # around a month's end and midnight, in Madrid and UTC
SCORES = {
    "nps": st.integers(0, 10),
    "csat": st.integers(1, 5),
    "ces": st.integers(1, 7),
    "estrellas": st.integers(1, 5),
    "volveria": st.booleans(),
    "motivos": st.lists(st.sampled_from(["precio", "trato", "rapidez"]), min_size=1, unique=True),
    "tienda": st.sampled_from(["centro", "playa"]),
    "aspectos": st.fixed_dictionaries({"cola": st.sampled_from(["mal", "regular", "bien"])}),
}
answers = st.fixed_dictionaries({}, optional=SCORES).filter(bool)


def test_roll_ups_always_equal_a_recomputation_from_the_answers(org):
    survey = measure_survey(org.company)
    units = [org.company, org.norte, org.bilbao, org.santander, org.sevilla]
    customers: list[Any] = [None]
    for i, (segment, stage) in enumerate([("empresa", "active"), ("particular", "at_risk")]):
        customer = make_customer(f"C{i}", email=f"c{i}@example.com")
        customer.segment, customer.lifecycle_stage = segment, stage
        customer.save()
        customers.append(customer)

    class Responses(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.ids: list[int] = []

        @rule(
            unit=st.sampled_from(units),
            minutes=st.integers(0, 60 * 30),
            customer=st.sampled_from(customers),
            given=answers,
        )
        def arrives(self, unit, minutes, customer, given):
            when = START + timedelta(minutes=minutes)
            self.ids.append(answer(survey, unit, when, customer=customer, **given).pk)

        @precondition(lambda self: self.ids)
        @rule(data=st.data(), given=answers, unit=st.none() | st.sampled_from(units))
        def is_corrected(self, data, given, unit):
            response_id = data.draw(st.sampled_from(self.ids))
            correct_response(actor=SYSTEM, response_id=response_id, answers=given, unit=unit)

        @precondition(lambda self: self.ids)
        @rule(data=st.data())
        def is_deleted(self, data):
            response_id = data.draw(st.sampled_from(self.ids))
            delete_response(actor=SYSTEM, response_id=response_id, reason="property")
            self.ids.remove(response_id)

        @rule(limit=st.integers(1, 40))
        def worker_folds_some(self, limit):
            fold(limit=limit)

        def teardown(self) -> None:
            folded()
            report = rebuild(apply=False)
            assert report.matches, (report.fine, report.cube)

    run_state_machine_as_test(
        Responses,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            # The database persists across examples: each run adds to what the last left,
            # which the property must survive too.
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
