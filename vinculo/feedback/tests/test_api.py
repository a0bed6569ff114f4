"""POST/GET /api/v1/feedback, the batch, and tying an item to its customer."""

from typing import Any

from django.test import Client

from vinculo.feedback.models import FeedbackItem
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, client_for, make_customer
from vinculo.textan.models import TextAnalysis
from vinculo.textan.tasks import analyze_texts_task

URL = "/api/v1/feedback"


def review(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "source": "review",
        "site": "Google",
        "external_id": "g-1",
        "unit": "bilbao-centro",
        "occurred_at": "2026-03-01T10:00:00+01:00",
        "rating": 1,
        "text": "Pésima atención, me tuvieron una hora esperando. No vuelvo.",
        "author": "Ana R.",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def post(client: Client, body: dict[str, Any], url: str = URL) -> Any:
    return client.post(url, body, content_type="application/json")


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["detail"]]


def test_an_item_is_filed_once_and_read_with_its_analysis(org: Org, people: People) -> None:
    client = client_for(people.bruno)

    first = post(client, review())
    again = post(client, review(text="changed on a retry"))
    analyze_texts_task.call()
    read = client.get(f"{URL}/{first.json()['id']}")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["text"].startswith("Pésima atención")  # the retry changed nothing
    assert FeedbackItem.objects.count() == 1
    body = read.json()
    assert (body["channel"], body["unit"], body["rating"], body["rating_max"]) == (
        "web",
        "bilbao-centro",
        1,
        5,
    )
    analysis = body["analysis"]
    assert analysis["language"] == "es" and analysis["sentiment"] in ("negative", "very_negative")
    assert analysis["topics"] == []  # no topic rules in this test's database
    assert analysis["evidence"], "the words behind the decision are returned"


def test_an_item_from_a_known_address_lands_on_its_customers_timeline(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana Ruiz", email="ana@example.com")

    response = post(
        client_for(people.bruno), review(contact=[{"kind": "email", "value": "ANA@example.com "}])
    )

    item = FeedbackItem.objects.get(pk=response.json()["id"])
    assert item.customer == ana
    row = Interaction.objects.get(customer=ana, record_kind="feedback_item")
    assert row.record_id == item.pk and row.attributes["source"] == "review"


def test_an_anonymous_item_can_be_tied_to_its_customer_later(org: Org, people: People) -> None:
    client = client_for(people.bruno)
    item_id = post(client, review()).json()["id"]
    ana = make_customer("Ana Ruiz", email="ana@example.com")

    response = post(client, {"customer_id": ana.pk}, f"{URL}/{item_id}/customer")

    assert response.status_code == 200 and response.json()["customer_id"] == ana.pk
    assert Interaction.objects.filter(customer=ana, record_id=item_id).count() == 1


def test_bad_items_are_refused_naming_the_field(org: Org, people: People) -> None:
    client = client_for(people.bruno)

    empty = post(client, review(text="   "))
    binary = post(client, review(text="abc\x00def"))
    too_high = post(client, review(rating=7))
    unknown = post(client, review(unit="nowhere", channel="pigeon"))

    assert empty.status_code == 422 and fields(empty) == ["text"]
    assert "vacío" in empty.json()["detail"][0]["msg"]
    assert binary.status_code == 422 and fields(binary) == ["text"]
    assert too_high.status_code == 422 and fields(too_high) == ["rating"]
    assert unknown.status_code == 422 and sorted(fields(unknown)) == ["channel", "unit"]
    assert not FeedbackItem.objects.exists()


def test_a_batch_is_stored_whole_or_not_at_all(org: Org, people: People) -> None:
    client = client_for(people.bruno)
    good = [review(external_id=f"g-{n}") for n in range(3)]

    refused = post(
        client, {"items": [*good, review(external_id="g-9", unit="nowhere")]}, f"{URL}/batch"
    )
    stored = post(client, {"items": good}, f"{URL}/batch")
    again = post(client, {"items": good}, f"{URL}/batch")

    assert refused.status_code == 422 and fields(refused) == ["items[3].unit"]
    assert stored.json()["created"] == 3
    assert (again.json()["created"], again.json()["existing"]) == (0, 3)
    assert FeedbackItem.objects.count() == 3


def test_a_very_long_text_is_stored_whole_and_analysed_in_part(org: Org, people: People) -> None:
    text = "El servicio fue malo. " * 45_000  # about 1 MB

    response = post(client_for(people.bruno), review(text=text))
    analyze_texts_task.call()

    assert response.status_code == 201
    item = FeedbackItem.objects.get()
    assert len(item.text) == len(text)
    analysis = TextAnalysis.objects.get(feedback=item)
    assert analysis.truncated and analysis.sentiment in ("negative", "very_negative")


def test_scripts_in_a_comment_come_back_as_data(org: Org, people: People) -> None:
    client = client_for(people.bruno)
    text = "<script>alert('x')</script> mal servicio"

    item_id = post(client, review(text=text)).json()["id"]

    assert client.get(f"{URL}/{item_id}").json()["text"] == text


def test_a_unit_manager_sees_and_files_only_in_their_subtree(org: Org, people: People) -> None:
    post(client_for(people.bruno), review(unit="sevilla-nervion", external_id="s-1"))
    post(client_for(people.bruno), review(unit="bilbao-centro", external_id="b-1"))
    carmen = client_for(people.carmen)  # Norte

    listed = carmen.get(URL).json()
    outside = post(carmen, review(unit="sevilla-nervion", external_id="s-2"))

    assert [i["unit"] for i in listed["items"]] == ["bilbao-centro"]
    assert outside.status_code == 422 and fields(outside) == ["unit"]


def test_the_list_filters_by_sentiment_emotion_topic_and_words(org: Org, people: People) -> None:
    from vinculo.textan.services import add_starter_topics

    add_starter_topics()
    client = client_for(people.bruno)
    post(client, review(external_id="a", text="Me cobraron dos veces la factura, es una estafa"))
    post(
        client,
        review(external_id="b", text="Encantada con la atención de Marta, gracias!", rating=5),
    )
    analyze_texts_task.call()

    angry = client.get(URL, {"emotion": "anger"}).json()["items"]
    happy = (
        client.get(URL, {"sentiment": "very_positive"}).json()["items"]
        + client.get(URL, {"sentiment": "positive"}).json()["items"]
    )
    billing = client.get(URL, {"topic": _topic("Facturación")}).json()["items"]
    marta = client.get(URL, {"q": "marta"}).json()["items"]

    assert [i["external_id"] for i in angry] == ["a"]
    assert [i["external_id"] for i in happy] == ["b"]
    assert [i["external_id"] for i in billing] == ["a"]
    assert [i["external_id"] for i in marta] == ["b"]


def _topic(name: str) -> int:
    from vinculo.textan.models import Topic

    return Topic.objects.get(name=name).pk


def test_a_customers_feedback_is_exported_and_erased_with_them(org: Org, people: People) -> None:
    from vinculo.accounts.actors import SYSTEM
    from vinculo.customers.privacy import erase_customer, export_customer

    ana = make_customer("Ana Ruiz", email="ana@example.com")
    client = client_for(people.bruno)
    post(client, review(contact=[{"kind": "email", "value": "ana@example.com"}]))
    analyze_texts_task.call()

    exported = export_customer(ana)
    erase_customer(customer_id=ana.pk, actor=SYSTEM, reason="her request")

    assert exported["feedback"][0]["text"].startswith("Pésima atención")
    item = FeedbackItem.objects.get()
    assert (item.text, item.author, item.contact) == ("", "", {})
    analysis = TextAnalysis.objects.get(feedback=item)
    assert analysis.evidence == [] and analysis.sentiment in ("negative", "very_negative")


def test_another_units_item_is_never_returned_for_its_id(org: Org, people: People) -> None:
    post(client_for(people.diego), review())  # Bilbao's Google review g-1
    gabriel = client_for(people.gabriel)  # Sur

    single = post(gabriel, review(unit="sevilla-nervion", text="otra cosa"))
    batch = post(
        gabriel,
        {
            "items": [
                review(unit="sevilla-nervion", external_id="s-9"),
                review(unit="sevilla-nervion"),
            ]
        },
        f"{URL}/batch",
    )

    assert single.status_code == 422 and fields(single) == ["external_id"]
    assert "Pésima" not in single.content.decode()
    assert batch.status_code == 422 and fields(batch) == ["items[1].external_id"]
    assert list(FeedbackItem.objects.values_list("external_id", flat=True)) == ["g-1"]


def test_an_item_tied_to_the_wrong_customer_moves_to_the_right_timeline(
    org: Org, people: People
) -> None:
    client = client_for(people.bruno)
    item_id = post(client, review()).json()["id"]
    ana, eva = make_customer("Ana", email="ana@example.com"), make_customer("Eva", email="e@x.es")

    post(client, {"customer_id": ana.pk}, f"{URL}/{item_id}/customer")
    post(client, {"customer_id": eva.pk}, f"{URL}/{item_id}/customer")

    rows = Interaction.objects.filter(record_kind="feedback_item", record_id=item_id)
    assert list(rows.values_list("customer_id", flat=True)) == [eva.pk]


def test_erasing_a_customer_keeps_what_their_feedback_said_through_later_reruns(
    org: Org, people: People
) -> None:
    from vinculo.accounts.actors import SYSTEM
    from vinculo.customers.privacy import erase_customer
    from vinculo.textan.models import Topic

    ana = make_customer("Ana Ruiz", email="ana@example.com")
    post(client_for(people.bruno), review(contact=[{"kind": "email", "value": "ana@example.com"}]))
    analyze_texts_task.call()
    before = TextAnalysis.objects.get()

    erase_customer(customer_id=ana.pk, actor=SYSTEM, reason="her request")
    Topic.objects.create(name="Nuevo", terms="algo")
    analyze_texts_task.call()

    after = TextAnalysis.objects.get()
    assert (after.sentiment, after.score, after.emotions) == (
        before.sentiment,
        before.score,
        before.emotions,
    )
