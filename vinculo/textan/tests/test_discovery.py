"""Suggested topics: clustering the comments no topic matched, and an analyst accepting
(renamed, terms edited, under a parent) or rejecting what it finds."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.feedback.services import FeedbackData, file_feedback
from vinculo.journeys.models import Channel
from vinculo.metrics.testing import answer, measure_survey
from vinculo.surveys.choices import SurveyKind
from vinculo.test import Org, actor_of, at, client_for
from vinculo.textan.choices import SuggestionStatus
from vinculo.textan.discovery import find_clusters, uncategorised
from vinculo.textan.models import TextAnalysis, TextTopic, Topic, TopicSuggestion
from vinculo.textan.queries import place_words
from vinculo.textan.services import accept_suggestion, discover_topics, reject_suggestion
from vinculo.textan.tasks import analyze_texts_task

T = "/api/v1/texts"

PARKING = [
    "No hay sitio en el aparcamiento de la tienda, di tres vueltas",
    "El aparcamiento siempre está lleno por las tardes",
    "Deberían ampliar el aparcamiento, es imposible encontrar plaza",
    "Tardé veinte minutos en encontrar plaza en el aparcamiento",
    "El aparcamiento cierra antes que la tienda y me quedé con el coche dentro",
    "Cobran el aparcamiento aunque compres en la tienda",
    "La barrera del aparcamiento no funcionaba al salir",
    "Poned más plazas de aparcamiento para familias",
    "El aparcamiento está muy oscuro y las plazas son estrechas",
    "No encuentro plaza de aparcamiento nunca los sábados",
    "El ticket del aparcamiento no se valida en caja",
    "Aparcamiento lleno otra vez, tuve que dejar el coche lejos",
    "Las plazas del aparcamiento para minusválidos estaban ocupadas",
    "Me multaron en el aparcamiento por pasarme diez minutos",
    "El aparcamiento subterráneo tiene goteras",
    "Falta señalización en el aparcamiento para llegar a la entrada",
    "The parking lot is always full, I could not find a space",
    "Parking is a nightmare on weekends, no free spaces",
    "They charge for parking even if you shop in the store",
    "The parking barrier was broken when I left",
    "Please add more parking spaces near the entrance",
    "Parking lot too small for the number of customers",
    "El parking del centro comercial siempre lleno",
    "Dejad el parking gratis al menos una hora",
    "No hay plazas de parking libres ni entre semana",
    "El aparcamiento necesita más plazas y mejor iluminación",
]
LOGIN = [
    "No puedo iniciar sesión en la app desde ayer",
    "La app me pide la contraseña cada vez que la abro",
    "Al iniciar sesión en la app me sale un error de contraseña",
    "He cambiado la contraseña tres veces y la app no me deja entrar",
    "La app cierra la sesión sola cada pocos minutos",
    "El código de verificación para iniciar sesión nunca llega",
    "No consigo entrar en la app con mi usuario y contraseña",
    "La app dice que la contraseña es incorrecta pero es la buena",
    "Me bloquearon la cuenta de la app tras tres intentos de contraseña",
    "Desde la actualización la app no me deja iniciar sesión",
    "Iniciar sesión con huella en la app ya no funciona",
    "Recuperar la contraseña de la app es un laberinto",
    "La app se queda cargando al iniciar sesión",
    "Tengo que restablecer la contraseña de la app cada semana",
    "I cannot log in to the app since the last update",
    "The app keeps asking for my password every time",
    "Login to the app fails with a password error",
    "The app logs me out every few minutes",
    "Password reset link for the app never arrives",
    "I can't log in to the app with my username and password",
    "The app says my password is wrong but it is correct",
    "After the update the app login screen just spins",
    "App login with fingerprint stopped working",
    "Otra vez la app sin dejarme iniciar sesión",
    "La sesión de la app caduca enseguida y hay que poner la contraseña",
    "No me acepta la contraseña en la app nueva",
]
POINTS = [
    "Los puntos de la tarjeta de cliente no se han sumado",
    "No me aparecen los puntos de mi tarjeta de fidelización",
    "Canjear los puntos de la tarjeta es complicadísimo",
    "Los puntos de la tarjeta caducan demasiado pronto",
    "Compré ayer y no me cargaron los puntos en la tarjeta",
    "La tarjeta de puntos no la reconocen en caja",
    "Perdí todos mis puntos de la tarjeta sin avisar",
    "En la tienda no sabían cómo canjear los puntos de la tarjeta",
    "Quiero saber cuántos puntos tengo en la tarjeta",
    "Los puntos de la tarjeta solo valen para productos caros",
    "Me dijeron que los puntos tardan un mes en aparecer en la tarjeta",
    "La tarjeta de cliente no suma puntos en las compras online",
    "Han cambiado las condiciones de los puntos de la tarjeta",
    "My loyalty card points were not added after my purchase",
    "Redeeming loyalty points is too complicated",
    "The loyalty card points expire too quickly",
    "The cashier could not scan my loyalty card for points",
    "I lost all my loyalty points without notice",
    "Loyalty card points do not show up online",
    "How many points do I have on my loyalty card?",
    "No me sumaron los puntos de la tarjeta otra vez",
    "Los puntos acumulados en la tarjeta desaparecieron",
    "La tarjeta de puntos debería servir en todas las tiendas",
    "Pedí la tarjeta de puntos hace un mes y no ha llegado",
    "Los puntos de la tarjeta no se pueden usar en rebajas",
    "Tarjeta de puntos inútil, nunca suma nada",
]
NOISE = [
    "Todo bien",
    "El dependiente me recomendó un modelo más barato",
    "Compré unos auriculares para mi hijo",
    "Vine a devolver un producto y tardaron un poco",
    "La música de la tienda estaba alta",
    "Pagué con tarjeta de crédito sin problema",
    "Buen surtido de fundas para móviles",
    "Hacía frío dentro del local",
    "The store was clean and tidy",
    "Nothing special to report",
    "Me atendió una chica joven",
    "Volveré el mes que viene",
    "Quería una impresora y no quedaban",
    "Hay pocas cajas abiertas a mediodía",
]
# What employees wrote: a clear theme of its own, which must never be suggested.
STAFF = [
    "La nómina llega tarde y los turnos cambian sin avisar",
    "Los turnos de fin de semana y la nómina siempre con retraso",
    "Quiero saber los turnos con tiempo, la nómina llega tarde",
] * 5

THEMES = {"parking": PARKING, "login": LOGIN, "points": POINTS}


def file_comments(org: Org) -> dict[int, str]:
    """Every customer comment filed as feedback (half in Bilbao, half in Sevilla), the
    staff comments answered in an employee survey, and all of them analysed; returns
    each feedback analysis's theme."""
    web = Channel.objects.get(code="web")
    filed = {}
    texts = [(theme, text) for theme, rows in THEMES.items() for text in rows]
    texts += [("noise", text) for text in NOISE]
    for n, (theme, text) in enumerate(texts):
        item, _created = file_feedback(
            actor=SYSTEM,
            data=FeedbackData(
                source="review",
                text=text,
                unit=org.bilbao if n % 2 else org.sevilla,
                channel=web,
                occurred_at=timezone.now(),
                external_id=f"d-{n}",
            ),
        )
        filed[item.pk] = theme
    staff = measure_survey(org.company, slug="clima", kind=SurveyKind.EMPLOYEE)
    for n, text in enumerate(STAFF):
        answer(staff, org.bilbao, at(f"2026-03-{n + 1:02d} 10:00"), comentario=text)
    analyze_texts_task.call()
    return {
        a.pk: filed[a.feedback_id]
        for a in TextAnalysis.objects.filter(feedback__isnull=False)
        if a.feedback_id is not None
    }


def suggestion_of(theme_words: set[str]) -> TopicSuggestion:
    return next(
        s
        for s in TopicSuggestion.objects.filter(status=SuggestionStatus.PENDING)
        if theme_words & set(s.terms.splitlines())
    )


def test_each_theme_is_suggested_with_its_words_and_its_own_comments_as_examples(org):
    themes = file_comments(org)

    found = discover_topics()

    assert found
    words = {s.name: set(s.terms.splitlines()) for s in found}
    assert any("aparcamiento" in w for w in words.values())
    assert any({"puntos", "tarjeta"} <= w for w in words.values())
    assert any({"contraseña", "app"} <= w or {"sesion", "app"} <= w for w in words.values())
    for suggestion in found:
        assert suggestion.size >= 8 and 3 <= len(suggestion.examples) <= 5
        assert all(len(e["excerpt"]) <= 200 for e in suggestion.examples)
        # Every example is a customer comment of the one theme its terms name.
        example_themes = {themes[e["analysis"]] for e in suggestion.examples}
        assert len(example_themes) == 1 and example_themes != {"noise"}


def test_the_same_comments_give_the_same_suggestions(org):
    file_comments(org)

    first = [(s.name, s.terms, s.size, s.examples) for s in discover_topics()]
    second = [(s.name, s.terms, s.size, s.examples) for s in discover_topics()]

    assert first == second
    assert TopicSuggestion.objects.count() == len(second)  # the pending ones were replaced


def test_the_stores_comments_name_are_not_suggested_as_topics(org):
    """Half the comments were written about Bilbao Centro and half about Sevilla Nervión."""
    file_comments(org)
    named = [(pk, f"{text} (tienda de Bilbao Centro)") for pk, text in uncategorised()]

    found = find_clusters(named, place_words())
    unguarded = find_clusters(named)

    assert found
    assert not any("bilbao" in term for cluster in found for term in cluster.terms)
    assert any("bilbao" in term for cluster in unguarded for term in cluster.terms)


def test_employee_survey_answers_are_never_read(org):
    file_comments(org)
    staff = set(TextAnalysis.objects.filter(answer__isnull=False).values_list("pk", flat=True))

    found = discover_topics()

    assert len(staff) == len(STAFF)
    for suggestion in found:
        assert not {"nomina", "turnos"} & set(suggestion.terms.splitlines())
        assert not staff & {e["analysis"] for e in suggestion.examples}


def test_accepting_creates_the_renamed_topic_and_the_comments_get_it(org, people):
    themes = file_comments(org)
    discover_topics()
    points = suggestion_of({"puntos"})
    parent = Topic.objects.create(name="Fidelización", terms="fidelizacion")

    topic = accept_suggestion(
        suggestion=points,
        name="Tarjeta de puntos",
        terms="puntos\ntarjeta\npoints\nloyalty",
        parent=parent,
        actor=actor_of(people.bruno),
    )
    analyze_texts_task.call()

    points.refresh_from_db()
    assert points.status == SuggestionStatus.ACCEPTED and points.topic == topic
    assert points.decided_by and points.decided_at is not None
    assert (topic.name, topic.parent) == ("Tarjeta de puntos", parent)
    tagged = set(TextTopic.objects.filter(topic=topic).values_list("analysis_id", flat=True))
    on_points = {pk for pk, theme in themes.items() if theme == "points"}
    assert on_points <= tagged
    # Those comments are categorised now: the next run does not suggest them again.
    again = discover_topics()
    assert all(not {"puntos"} & set(s.terms.splitlines()) for s in again)


def test_a_rejected_suggestion_does_not_come_back(org, people):
    file_comments(org)
    discover_topics()
    parking = suggestion_of({"aparcamiento"})

    reject_suggestion(suggestion=parking, actor=actor_of(people.bruno))
    again = discover_topics()

    assert (parking.name, parking.terms) not in {(s.name, s.terms) for s in again}
    assert TopicSuggestion.objects.get(pk=parking.pk).status == SuggestionStatus.REJECTED


def test_too_few_comments_suggest_nothing(org):
    web = Channel.objects.get(code="web")
    for n, text in enumerate(PARKING[:5]):
        file_feedback(
            actor=SYSTEM,
            data=FeedbackData("review", text, org.bilbao, web, timezone.now(), external_id=f"{n}"),
        )
    analyze_texts_task.call()

    assert discover_topics() == []


def test_the_topic_rules_page_lists_suggestions_and_accepts_one(
    org, people, django_capture_on_commit_callbacks: Any
):
    file_comments(org)
    client = client_for(people.bruno)
    with django_capture_on_commit_callbacks(execute=True):
        discovered = client.post(reverse("textan:suggestions_discover"))
    TopicSuggestion.objects.create(
        name="Escape",
        terms="escape",
        size=9,
        examples=[{"analysis": 1, "excerpt": "<script>alert(1)</script>"}],
    )
    login = suggestion_of({"app"})
    prefix = f"s{login.pk}"

    page = client.get(reverse("textan:topics")).content.decode()
    bad = client.post(
        reverse("textan:suggestion_accept", args=[login.pk]),
        {f"{prefix}-name": "Acceso a la app", f"{prefix}-terms": "ab*"},
    )
    accepted = client.post(
        reverse("textan:suggestion_accept", args=[login.pk]),
        {f"{prefix}-name": "Acceso a la app", f"{prefix}-terms": "app\nlogin\ncontraseña"},
    )

    assert discovered.status_code == 302 and TopicSuggestion.objects.count() > 1
    assert 'id="suggested-topics"' in page and login.name in page
    assert reverse("textan:suggestion_reject", args=[login.pk]) in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert bad.status_code == 422 and "&#x27;ab*&#x27;" in bad.content.decode()
    assert accepted.status_code == 302
    topic = Topic.objects.get(name="Acceso a la app")
    assert topic.terms == "app\nlogin\ncontraseña"
    assert (
        client_for(people.fernando).post(reverse("textan:suggestions_discover")).status_code == 403
    )


def test_the_api_lists_accepts_and_rejects_suggestions(org, people):
    file_comments(org)
    discover_topics()
    bruno, diego = client_for(people.bruno), client_for(people.diego)
    points, parking = suggestion_of({"puntos"}), suggestion_of({"aparcamiento"})
    sevilla = set(
        TextAnalysis.objects.filter(feedback__unit=org.sevilla).values_list("pk", flat=True)
    )
    pending = set(TopicSuggestion.objects.values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as queries:
        listed = bruno.get(f"{T}/suggestions").json()
    scoped = diego.get(f"{T}/suggestions").json()
    accepted = bruno.post(
        f"{T}/suggestions/{points.pk}/accept",
        {"name": "Puntos", "terms": ["puntos", "tarjeta"], "parent": None},
        content_type="application/json",
    )
    twice = bruno.post(
        f"{T}/suggestions/{points.pk}/accept",
        {"name": "Puntos 2", "terms": ["puntos"]},
        content_type="application/json",
    )
    rejected = bruno.post(f"{T}/suggestions/{parking.pk}/reject")
    refused = diego.post(f"{T}/suggestions/{parking.pk}/reject")

    assert len(queries) <= 6
    assert {s["id"] for s in listed} == pending
    # Diego manages Bilbao: he never reads an example written in Sevilla.
    assert all(e["analysis"] not in sevilla for s in scoped for e in s["examples"])
    assert any(s["examples"] for s in scoped)
    assert accepted.status_code == 201 and accepted.json()["terms"] == ["puntos", "tarjeta"]
    assert twice.status_code == 404
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert refused.status_code == 403
