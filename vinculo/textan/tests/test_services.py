"""Analysing open answers in the background: once each, again when the text, the lexicons
or the topic rules change, never twice for one text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vinculo.accounts.actors import SYSTEM
from vinculo.metrics.testing import answer, measure_survey
from vinculo.surveys.corrections import correct_response
from vinculo.test import at
from vinculo.textan.models import TextAnalysis, TextEmotion, TextTopic, Topic
from vinculo.textan.services import add_starter_topics, analyze_stale
from vinculo.textan.tasks import analyze_texts_task

pytestmark = pytest.mark.django_db


def run_worker() -> int:
    return analyze_texts_task.call()


def test_each_open_answer_is_analysed_once_with_its_emotions_and_topics(org):
    add_starter_topics()
    survey = measure_survey(org.company)
    angry = answer(
        survey,
        org.bilbao,
        at("2026-03-10 12:00"),
        nps=1,
        comentario="Llevo tres semanas esperando al técnico, es una vergüenza",
    )
    happy = answer(
        survey,
        org.bilbao,
        at("2026-03-10 13:00"),
        nps=10,
        comentario="Muy amables en la tienda, gracias!",
    )
    answer(survey, org.bilbao, at("2026-03-10 14:00"), nps=8)  # no comment

    assert run_worker() == 2
    assert run_worker() == 0  # nothing left: the same texts are never analysed twice

    bad = TextAnalysis.objects.get(answer__response=angry)
    good = TextAnalysis.objects.get(answer__response=happy)
    assert bad.language == "es" and bad.sentiment in ("negative", "very_negative")
    assert good.sentiment in ("positive", "very_positive")
    assert {e.emotion for e in TextEmotion.objects.filter(analysis=good)} >= {"gratitude"}
    topics = set(TextTopic.objects.filter(analysis=bad).values_list("topic__name", flat=True))
    assert "Tiempo de espera" in topics
    text = angry.answers.get(question__key="comentario").text
    marked = {text[e["start"] : e["end"]]: e for e in bad.evidence}
    assert marked["una vergüenza"]["weight"] < 0
    assert marked["Llevo tres semanas"]["weight"] < 0


def test_a_corrected_comment_is_analysed_again(org):
    survey = measure_survey(org.company)
    response = answer(survey, org.bilbao, at("2026-03-10 12:00"), comentario="Todo perfecto")
    run_worker()

    correct_response(
        actor=SYSTEM,
        response_id=response.pk,
        answers={"comentario": "Fatal, horrible"},
        reason="typo",
    )
    run_worker()

    analysis = TextAnalysis.objects.get(answer__response=response)
    assert analysis.sentiment in ("negative", "very_negative")
    assert TextAnalysis.objects.count() == 1


def test_a_new_topic_rule_re_analyses_the_texts_already_read(org):
    survey = measure_survey(org.company)
    response = answer(
        survey, org.bilbao, at("2026-03-10 12:00"), comentario="El parking es pequeño"
    )
    run_worker()
    assert not TextTopic.objects.exists()

    Topic.objects.create(name="Aparcamiento", terms="parking\naparcamiento")
    assert run_worker() == 1

    mention = TextTopic.objects.get(analysis__answer__response=response)
    assert (mention.topic.name, mention.term) == ("Aparcamiento", "parking")


def test_a_comment_with_no_words_is_analysed_as_no_language(org):
    survey = measure_survey(org.company)
    garbage = answer(
        survey, org.bilbao, at("2026-03-10 12:01"), comentario="\ufffd\ufffd ### 12345 @@@"
    )

    assert run_worker() == 1

    unreadable = TextAnalysis.objects.get(answer__response=garbage)
    assert (unreadable.language, unreadable.sentiment, unreadable.emotions) == (
        "und",
        "neutral",
        {},
    )


def test_once_every_text_is_current_the_stale_sweep_looks_no_further(org):
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-10 12:00"), comentario="Todo perfecto")
    run_worker()  # analyses it, then finds nothing stale and remembers the version

    with CaptureQueriesContext(connection) as current:
        assert analyze_stale() == 0
    Topic.objects.create(name="Perfección", terms="perfecto")
    with CaptureQueriesContext(connection) as changed:
        assert analyze_stale() == 1

    def scans(queries: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in queries.captured_queries if "model_version" in q["sql"]]

    assert scans(current) == [] and scans(changed) != []


def test_a_long_import_committing_far_below_the_window_is_still_analysed(org):
    from vinculo.feedback.testing import filed
    from vinculo.textan.models import AnalysisState

    item = filed(org.bilbao, "Fatal")
    # As if the file's first rows committed after 10,000 newer items were analysed.
    AnalysisState.objects.update_or_create(pk=1, defaults={"last_feedback_id": item.pk + 10_000})

    assert analyze_texts_task.call() == 0  # the usual window does not reach it
    assert analyze_texts_task.call(feedback_from=item.pk) == 1  # the import names its first
    assert TextAnalysis.objects.get(feedback=item).sentiment in ("negative", "very_negative")
