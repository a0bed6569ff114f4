"""The words page (/texts/words/): whose texts it reads, what it hides, how it escapes."""

import re
from typing import Any

from vinculo.feedback.testing import filed
from vinculo.metrics.models import MetricPolicy
from vinculo.test import Org, People, actor_of, at, client_for
from vinculo.textan.insights import InsightFilter
from vinculo.textan.tasks import analyze_texts_task
from vinculo.textan.words import word_view

URL = "/texts/words/"


def minimum(n: int) -> None:
    MetricPolicy.objects.filter(pk=1).update(min_sample=n)


def test_a_norte_manager_never_sees_the_words_of_sur(org: Org, people: People) -> None:
    minimum(1)
    filed(org.bilbao, "El parking de Bilbao siempre lleno", "n-1")
    filed(org.sevilla, "Soy Sofía Sevilla: me atendieron fatal en la tienda.", "s-1")
    analyze_texts_task.call()

    carmen = client_for(people.carmen).get(URL).content.decode()
    gabriel = client_for(people.gabriel).get(URL).content.decode()

    assert "parking" in carmen and "Sofía Sevilla" not in carmen and "atendieron" not in carmen
    assert "Sofía Sevilla" in gabriel and "parking" not in gabriel


def test_words_in_fewer_texts_than_the_minimum_are_not_shown_and_n_is(
    org: Org, people: People
) -> None:
    minimum(3)
    for n in range(3):
        filed(org.bilbao, f"La factura llegó tarde otra vez {n}", f"f-{n}")
    for n in range(2):
        filed(org.bilbao, "El parking estaba cerrado", f"p-{n}")
    analyze_texts_task.call()

    page = client_for(people.bruno).get(URL).content.decode()

    assert "5 textos leídos" in page or "5 texts read" in page
    assert ">factura</a>" in page and "parking" not in page
    row = re.search(r">factura</a></td>\s*<td class=\"num\">(\d+)</td>", page)
    assert row is not None and row.group(1) == "3"


def test_customer_text_is_escaped_in_the_cloud_the_tables_and_the_links(
    org: Org, people: People
) -> None:
    minimum(1)
    filed(org.bilbao, "<script>alert(1)</script> I don't like the parking", "x-1")
    analyze_texts_task.call()

    page = client_for(people.bruno).get(URL).content.decode()

    assert "<script>alert" not in page
    assert "don&#x27;t like" in page and "don't like" not in page
    assert "/feedback/?q=don%27t%20like" in page


def test_each_word_links_to_the_feedback_using_it_in_the_same_unit_and_dates(
    org: Org, people: People
) -> None:
    minimum(1)
    filed(org.bilbao, "Horario de la tienda", "h-1", occurred_at=at("2026-03-10 10:00"))
    analyze_texts_task.call()
    query = {"unit": str(org.bilbao.pk), "since": "2026-03-01", "until": "2026-03-31"}

    page = client_for(people.bruno).get(URL, query).content.decode()

    unit = org.bilbao.pk
    assert f"/feedback/?q=Horario&amp;unit={unit}&amp;since=2026-03-01&amp;until=2026-03-31" in page


def test_only_the_most_recent_texts_are_read_and_the_page_says_how_many(
    org: Org, people: People
) -> None:
    minimum(1)
    filed(org.bilbao, "Antiguo comentario", "o-1", occurred_at=at("2026-01-10 10:00"))
    filed(org.bilbao, "Reciente comentario", "r-1", occurred_at=at("2026-03-10 10:00"))
    filed(org.bilbao, "Reciente queja", "r-2", occurred_at=at("2026-03-11 10:00"))
    analyze_texts_task.call()

    view = word_view(actor_of(people.bruno), InsightFilter(min_sample=1), limit=2)

    assert (view.n, view.total, view.limit) == (2, 3, 2)
    assert "antiguo" not in {t.key for t in view.words}
    assert {t.key: t.n for t in view.words}["reciente"] == 2


def test_the_page_reads_in_a_fixed_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    minimum(1)
    for n in range(30):
        filed(org.bilbao, f"La factura llegó tarde, la tienda cerrada {n}", f"q-{n}")
    analyze_texts_task.call()
    client = client_for(people.bruno)

    with django_assert_max_num_queries(12):
        response = client.get(URL)

    assert response.status_code == 200


def test_the_terms_of_the_negative_texts_are_listed_as_what_drives_them(
    org: Org, people: People
) -> None:
    minimum(10)
    for n in range(20):
        filed(org.bilbao, "La factura llegó tarde", f"f-{n}")
        filed(org.bilbao, "La tienda está bien", f"t-{n}")
    analyze_texts_task.call()

    page = client_for(people.bruno).get(URL).content.decode()

    drivers = page[page.index('id="drivers-negative"') :]
    negative, positive = drivers.split('id="drivers-positive"')
    assert ">factura</a>" in negative and ">tienda</a>" not in negative
    assert ">tienda</a>" in positive
