"""GET /api/v1/texts/words: words, phrases and drivers of the texts in scope."""

from typing import Any

from vinculo.feedback.testing import filed
from vinculo.metrics.models import MetricPolicy
from vinculo.test import Org, People, client_for
from vinculo.textan.tasks import analyze_texts_task

URL = "/api/v1/texts/words"


def test_words_come_with_n_share_sentiment_and_emotion(org: Org, people: People) -> None:
    MetricPolicy.objects.filter(pk=1).update(min_sample=5)
    for n in range(10):
        filed(org.bilbao, "La factura, una estafa" if n < 5 else "La tienda muy bonita", f"a-{n}")
    analyze_texts_task.call()

    body = client_for(people.bruno).get(URL).json()

    words = {w["key"]: w for w in body["words"]}
    assert (body["n"], body["total"], body["min_sample"], body["complete"]) == (10, 10, 5, True)
    factura = words["factura"]
    assert factura["n"] == 5 and factura["share"]["value"] == 50.0
    # 5 of 10: Wilson 95% 23.7% to 76.3%.
    assert round(factura["share"]["low"], 1) == 23.7 and round(factura["share"]["high"], 1) == 76.3
    assert factura["sentiment"]["value"] < 0 and factura["emotion"] == "anger"
    assert {"factura", "tienda"} <= set(words)


def test_a_manager_gets_only_their_units_words_and_no_other_unit(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    MetricPolicy.objects.filter(pk=1).update(min_sample=1)
    filed(org.bilbao, "El parking lleno", "b-1")
    filed(org.sevilla, "La tienda de Sevilla", "s-1")
    analyze_texts_task.call()
    carmen = client_for(people.carmen)

    with django_assert_max_num_queries(10):  # one of them: the units' names
        mine = carmen.get(URL).json()
    elsewhere = carmen.get(URL, {"unit": "sevilla-nervion"})

    assert {w["key"] for w in mine["words"]} == {"parking", "lleno"}
    assert elsewhere.status_code == 422
    assert client_for(people.nadie).get(URL).status_code == 403
