"""The feedback inbox, one item's page, the topic rules and the insights page."""

from typing import Any

from vinculo.feedback.testing import filed
from vinculo.test import Org, People, client_for
from vinculo.textan.models import TextTopic, Topic
from vinculo.textan.tasks import analyze_texts_task


def test_the_inbox_marks_the_evidence_and_escapes_the_customers_html(
    org: Org, people: People
) -> None:
    filed(org.bilbao, "<script>alert(1)</script> Una vergüenza de servicio", "x-1")
    analyze_texts_task.call()

    page = client_for(people.bruno).get("/feedback/").content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert '<mark class="ev neg"' in page
    assert "Muy negativo" in page or "Negativo" in page


def test_the_inbox_filters_by_emotion_and_shows_only_the_persons_units(
    org: Org, people: People
) -> None:
    filed(org.bilbao, "Estoy harta, es una estafa", "a-1")
    filed(org.bilbao, "Muchas gracias por todo, encantada", "a-2")
    filed(org.sevilla, "Una estafa en Sevilla también", "a-3")
    analyze_texts_task.call()

    angry = client_for(people.bruno).get("/feedback/", {"emotion": "anger"}).content.decode()
    carmen = client_for(people.carmen).get("/feedback/").content.decode()  # Norte

    assert "2 opiniones" in angry and "Muchas gracias" not in angry
    assert "Sevilla también" not in carmen and "Muchas gracias" in carmen


def test_a_new_topic_rule_changes_the_topics_after_a_rerun(
    org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    item = filed(org.bilbao, "El parking de la tienda siempre está lleno", "p-1")
    analyze_texts_task.call()
    client = client_for(people.bruno)

    bad = client.post(
        "/texts/topics/new/", {"name": "Aparcamiento", "terms": "parking\nx*", "active": "on"}
    )
    saved = client.post(
        "/texts/topics/new/",
        {"name": "Aparcamiento", "terms": "parking\naparcamiento", "active": "on"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/texts/rerun/")

    assert bad.status_code == 200 and "Línea 2" in bad.content.decode()
    assert saved.status_code == 302
    topic = Topic.objects.get(name="Aparcamiento")
    assert TextTopic.objects.filter(analysis__feedback=item, topic=topic).exists()
    insights = client.get("/texts/").content.decode()
    assert "Aparcamiento" in insights


def test_insights_suppress_small_groups_and_show_n(org: Org, people: People) -> None:
    for n in range(3):
        filed(org.bilbao, f"Una estafa, estoy indignado {n}", f"s-{n}")
    analyze_texts_task.call()

    page = client_for(people.bruno).get("/texts/").content.decode()

    assert "3 textos" in page or "3 texts" in page
    assert "muestra insuficiente" in page
