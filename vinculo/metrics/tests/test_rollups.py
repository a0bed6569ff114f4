"""Keeping the roll-ups: what each response adds, where, on which day; folding once;
corrections and deletions; rebuilding and checking against the raw answers."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from vinculo.accounts.actors import SYSTEM as SYSTEM_ACTOR
from vinculo.accounts.services import move_unit
from vinculo.metrics.models import PendingScore, ScoreCube, ScoreDay
from vinculo.metrics.rollups import fold
from vinculo.metrics.rollups.rebuild import rebuild
from vinculo.metrics.testing import answer, folded, measure_survey
from vinculo.surveys.choices import Collector
from vinculo.surveys.corrections import correct_response, delete_response
from vinculo.surveys.models import Question
from vinculo.surveys.submission import AnswersInvalid, Respondent, answer_page
from vinculo.surveys.testing import live_version, published_survey
from vinculo.test import at, make_customer


def question(survey, key):
    return Question.objects.get(version=survey.current_version, key=key)


def cube(survey, key, unit, grain="d", dim="", value="", option="", start=None):
    rows = ScoreCube.objects.filter(
        question_id=question(survey, key).pk,
        unit_id=unit.pk,
        grain=grain,
        dim=dim,
        value=value,
        option=option,
    )
    if start is not None:
        rows = rows.filter(start=start)
    return [(r.n, r.total, r.total_sq, r.top, r.bottom) for r in rows]


def test_a_response_adds_its_counts_to_its_unit_and_every_unit_above(org):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9, csat=2, ces=6)
    answer(survey, org.santander, at("2026-03-10 18:00"), nps=4, csat=5)

    folded()

    march_10, march = date(2026, 3, 10), date(2026, 3, 1)
    assert cube(survey, "nps", org.bilbao, start=march_10) == [(1, 9, 81, 1, 0)]
    assert cube(survey, "nps", org.norte, start=march_10) == [(2, 13, 97, 1, 1)]
    assert cube(survey, "nps", org.company, "m", start=march) == [(2, 13, 97, 1, 1)]
    assert cube(survey, "nps", org.sur) == []
    # CSAT boxes are 4-5 and 1-2; CES "easy" is 5-7.
    assert cube(survey, "csat", org.norte, start=march_10) == [(2, 7, 29, 1, 1)]
    assert cube(survey, "ces", org.company, start=march_10) == [(1, 6, 36, 1, 0)]
    fine = ScoreDay.objects.get(question_id=question(survey, "nps").pk, unit_id=org.bilbao.pk)
    assert (fine.day, fine.month, fine.n, fine.top) == (march_10, march, 1, 1)


def test_the_day_is_the_companys_local_day_not_utcs(org):
    survey = measure_survey(org.company)
    # 23:30 in Madrid on 1 March is 22:30 UTC: still 1 March. 00:30 on the 2nd is the 2nd.
    answer(survey, org.bilbao, at("2026-03-01 23:30"), nps=10)
    answer(survey, org.bilbao, at("2026-03-02 00:30"), nps=0)

    folded()

    assert cube(survey, "nps", org.bilbao, start=date(2026, 3, 1)) == [(1, 10, 100, 1, 0)]
    assert cube(survey, "nps", org.bilbao, start=date(2026, 3, 2)) == [(1, 0, 0, 0, 1)]


def test_choices_count_each_option_and_the_people_who_answered(org):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), motivos=["precio", "trato"], tienda="centro")
    answer(survey, org.bilbao, at("2026-03-10 13:00"), motivos=["precio"], volveria=True)
    answer(survey, org.bilbao, at("2026-03-10 14:00"), aspectos={"cola": "bien"}, volveria=False)

    folded()

    def option(key, code):
        return cube(survey, key, org.bilbao, option=code)

    assert option("motivos", "") == [(2, 0, 0, 0, 0)]
    assert option("motivos", "precio") == [(2, 0, 0, 0, 0)]
    assert option("motivos", "trato") == [(1, 0, 0, 0, 0)]
    assert option("motivos", "rapidez") == []
    assert option("tienda", "centro") == [(1, 0, 0, 0, 0)]
    assert cube(survey, "volveria", org.bilbao) == [(2, 1, 1, 1, 1)]
    # A 3-point matrix scale has one box at each end: "bien" (3) is the top box.
    assert option("aspectos", "cola") == [(1, 3, 9, 1, 0)]
    assert cube(survey, "comentario", org.bilbao) == []


def test_a_response_counts_when_completed_not_when_started(org):
    survey = published_survey(unit=org.bilbao)
    who = Respondent(
        survey=survey,
        version=live_version(survey),
        unit=org.bilbao,
        collector=Collector.LINK,
        language="es",
    )
    answer_page(respondent=who, idempotency_key="two-pages", page=1, raw={"nps": 3, "csat": 1})
    assert not PendingScore.objects.exists()

    answer_page(respondent=who, idempotency_key="two-pages", page=2, raw={"mejora": "Colas"})
    folded()

    assert [r.n for r in ScoreCube.objects.filter(unit_id=org.company.pk, grain="m", dim="")] == [
        1,
        1,
    ]


def test_folding_deletes_what_it_folded_and_a_second_fold_adds_nothing(org):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9)
    assert PendingScore.objects.count() == 1

    assert fold() == 1
    assert fold() == 0

    assert not PendingScore.objects.exists()
    assert cube(survey, "nps", org.company) == [(1, 9, 81, 1, 0)]


def test_segment_and_lifecycle_are_kept_as_they_were_when_the_customer_answered(org):
    survey = measure_survey(org.company)
    customer = make_customer("Ana", email="ana@example.com")
    customer.segment, customer.lifecycle_stage = "empresa", "at_risk"
    customer.save()
    answer(survey, org.bilbao, at("2026-03-10 12:00"), customer=customer, nps=2)
    customer.segment, customer.lifecycle_stage = "particular", "active"
    customer.save()

    folded()

    assert cube(survey, "nps", org.company, "m", "segment", "empresa") == [(1, 2, 4, 0, 1)]
    assert cube(survey, "nps", org.company, "m", "lifecycle", "at_risk") == [(1, 2, 4, 0, 1)]
    assert cube(survey, "nps", org.company, "m", "segment", "particular") == []


def test_days_by_dimension_of_a_unit_on_its_own_live_in_the_daily_table_only(org):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9)

    folded()

    def by_channel(unit, grain):
        nps = question(survey, "nps").pk
        rows = ScoreCube.objects.filter(question_id=nps, unit_id=unit.pk, dim="channel")
        return rows.filter(grain=grain).count()

    assert by_channel(org.bilbao, "d") == 0
    assert by_channel(org.norte, "d") == 1
    assert by_channel(org.bilbao, "m") == 1


def test_a_correction_moves_the_counts_and_a_deletion_takes_them_away(org):
    survey = measure_survey(org.company)
    response = answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9, motivos=["precio"])
    folded()

    correct_response(
        actor=SYSTEM_ACTOR,
        response_id=response.pk,
        answers={"nps": 3, "motivos": ["trato"]},
        unit=org.sevilla,
        reason="Tienda equivocada",
    )
    folded()

    assert cube(survey, "nps", org.norte) == []
    assert cube(survey, "nps", org.sur) == [(1, 3, 9, 0, 1)]
    assert cube(survey, "motivos", org.company, option="precio") == []
    assert cube(survey, "motivos", org.company, option="trato") == [(1, 0, 0, 0, 0)]

    delete_response(actor=SYSTEM_ACTOR, response_id=response.pk, reason="Prueba")
    folded()

    assert not ScoreCube.objects.exists()
    assert not ScoreDay.objects.exists()


def test_an_invalid_correction_changes_nothing(org):
    survey = measure_survey(org.company)
    response = answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9)
    folded()

    with pytest.raises(AnswersInvalid) as caught:
        correct_response(
            actor=SYSTEM_ACTOR, response_id=response.pk, answers={"nps": 11, "nada": 1}
        )

    assert {e.key for e in caught.value.errors} == {"nps", "nada"}
    assert not PendingScore.objects.exists()
    assert response.answers.get().number == 9


def test_rebuild_finds_a_tampered_roll_up_and_repairs_it(org):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9, motivos=["precio"])
    answer(survey, org.sevilla, at("2026-04-02 09:00"), nps=6, csat=3)
    folded()
    assert rebuild(apply=False).matches

    ScoreDay.objects.filter(question_id=question(survey, "nps").pk).update(n=5)
    ScoreCube.objects.filter(unit_id=org.company.pk).delete()
    report = rebuild(apply=False)

    assert not report.matches
    assert (report.fine.missing, report.fine.extra) == (2, 2)
    assert report.cube.missing > 0 and report.cube.extra == 0

    assert not rebuild(apply=True).matches  # it reports what it found, then repairs it
    assert rebuild(apply=False).matches


def test_moving_a_store_to_another_region_moves_its_figures_after_the_move_commits(
    org, django_capture_on_commit_callbacks
):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9)
    folded()

    with django_capture_on_commit_callbacks(execute=True):
        move_unit(unit=org.bilbao, new_parent=org.sur)

    assert cube(survey, "nps", org.norte) == []
    assert cube(survey, "nps", org.sur) == [(1, 9, 81, 1, 0)]
    assert rebuild(apply=False).matches


def test_the_rebuild_command_checks_repairs_and_fails_a_check_that_differs(org):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9)
    folded()
    out = io.StringIO()

    call_command("rebuild_rollups", "--check", stdout=out)
    assert "The roll-ups match the answers." in out.getvalue()

    ScoreDay.objects.update(n=7)
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--check", stdout=io.StringIO())
    call_command("rebuild_rollups", stdout=io.StringIO())
    call_command("rebuild_rollups", "--check", stdout=io.StringIO())


def test_rebuild_if_empty_builds_the_roll_ups_of_an_upgraded_installation(org):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), nps=9)
    PendingScore.objects.all().delete()  # as before the metrics existed

    call_command("rebuild_rollups", "--if-empty", stdout=io.StringIO())

    assert cube(survey, "nps", org.company) == [(1, 9, 81, 1, 0)]
