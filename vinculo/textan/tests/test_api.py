"""/api/v1/texts: read a text, the insights with n and 95% intervals, the topic rules."""

from typing import Any

from django.test import Client

from vinculo.feedback.testing import filed
from vinculo.test import Org, People, client_for
from vinculo.textan.models import TextAnalysis, Topic
from vinculo.textan.tasks import analyze_texts_task

T = "/api/v1/texts"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_a_text_is_read_with_its_evidence_and_nothing_is_stored(org: Org, people: People) -> None:
    Topic.objects.create(name="Espera", terms="espera*\nllevo # dias")

    text = "Llevo 3 días esperando, fatal"
    body = post(client_for(people.fernando), f"{T}/analyze", {"text": text}).json()

    assert body["language"] == "es" and body["sentiment"] == "very_negative"
    assert body["topics"][0]["path"] == "Espera"
    marked = {text[e["start"] : e["end"]]: e["weight"] for e in body["evidence"]}
    assert marked["fatal"] < 0 and marked["esperando"] < 0
    assert not TextAnalysis.objects.exists()


def test_reading_texts_one_by_one_is_limited_per_person(
    org: Org, people: People, settings: Any
) -> None:
    settings.TEXT_ANALYZE_RATE_LIMIT = 3
    fernando, bruno = client_for(people.fernando), client_for(people.bruno)

    codes = [post(fernando, f"{T}/analyze", {"text": "bien"}).status_code for _ in range(4)]
    other = post(bruno, f"{T}/analyze", {"text": "bien"})

    assert codes == [200, 200, 200, 429]
    assert other.status_code == 200  # each person has their own allowance


def test_insights_give_shares_with_n_intervals_and_suppression(org: Org, people: People) -> None:
    for n in range(40):
        filed(org.bilbao, "Una estafa, estoy indignado" if n < 10 else "Todo correcto", f"t-{n}")
    analyze_texts_task.call()
    client = client_for(people.bruno)

    body = client.get(f"{T}/insights").json()
    small = client.get(f"{T}/insights", {"unit": "sevilla-nervion"}).json()

    anger = next(e for e in body["emotions"] if e["key"] == "anger")
    assert body["n"] == 40 and anger["count"] == 10
    # 10 of 40 = 25%; Wilson 95%: 14.2% to 40.2%
    assert anger["share"]["value"] == 25.0
    assert round(anger["share"]["low"], 1) == 14.2 and round(anger["share"]["high"], 1) == 40.2
    assert small["n"] == 0 and small["sentiment"]["value"] is None


def test_breakdown_and_trend_suppress_groups_below_the_minimum(org: Org, people: People) -> None:
    for n in range(35):
        filed(org.bilbao, "Una estafa", f"t-{n}")
    for n in range(5):
        filed(org.sevilla, "Una estafa", f"t-{100 + n}")
    analyze_texts_task.call()

    rows = client_for(people.bruno).get(f"{T}/breakdown", {"by": "unit"}).json()
    trend = client_for(people.bruno).get(f"{T}/trend").json()

    by_unit = {r["label"]: r for r in rows}
    assert by_unit["Bilbao Centro"]["emotions"]["anger"]["value"] == 100.0
    assert by_unit["Sevilla Nervión"]["emotions"]["anger"]["suppressed"] is True
    assert sum(r["n"] for r in trend) == 40


def test_topic_rules_are_checked_and_a_bad_term_is_named(org: Org, people: People) -> None:
    client = client_for(people.bruno)

    bad = post(client, f"{T}/topics", {"name": "Espera", "terms": ["espera*", "x*"]})
    made = post(client, f"{T}/topics", {"name": "Espera", "terms": ["espera*"]})
    twice = post(client, f"{T}/topics", {"name": "Espera", "terms": ["cola"]})
    child = post(
        client, f"{T}/topics", {"name": "Cola", "parent": made.json()["id"], "terms": ["cola"]}
    )
    loop = client.put(
        f"{T}/topics/{made.json()['id']}",
        {"name": "Espera", "parent": child.json()["id"], "terms": ["espera*"]},
        content_type="application/json",
    )

    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "terms[1]"
    assert made.status_code == 201 and twice.status_code == 422
    assert child.json()["path"] == "Espera > Cola"
    assert loop.status_code == 422 and loop.json()["detail"][0]["field"] == "parent"
    assert client_for(people.carmen).post(f"{T}/rerun").status_code == 403
