"""Personal invitation links /s/i/<token>/: open, resume on another device, refusals."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector, InvitationStatus, ResponseStatus
from vinculo.surveys.models import Invitation, Response
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.surveys.tests.respond_helpers import (
    answer,
    checked_values,
    hidden_fields,
    invitation_url,
    invite,
    text_of,
)
from vinculo.surveys.tokens import invitation_token
from vinculo.test import Org, make_customer


def test_opening_the_link_marks_the_invitation_opened_and_shows_the_first_page(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    invitation = invite(survey, ana, org.santander)

    page = Client().get(invitation_url(invitation))

    assert page.status_code == 200
    assert "¿Recomendarías Santander a un amigo?" in text_of(page)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPENED
    assert invitation.opened_at is not None


def test_a_response_started_on_one_device_resumes_on_another_and_completes(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    invitation = invite(survey, ana, org.santander)
    phone, laptop = Client(), Client()

    answer(phone, phone.get(invitation_url(invitation)), {"nps": "5", "csat": "2"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.STARTED

    resumed = laptop.get(invitation_url(invitation))
    assert hidden_fields(resumed)["_page"] == "2"
    assert "¿Qué podríamos mejorar en Santander?" in text_of(resumed)
    back = answer(laptop, resumed, {"_go": "back"})
    assert checked_values(back, "nps") == ["5"]
    done = answer(laptop, resumed, {"mejora": "La espera"})

    assert "¡Gracias por ayudarnos!" in text_of(done)
    response = Response.objects.get(invitation=invitation)
    assert (response.status, response.customer, response.unit) == (
        ResponseStatus.COMPLETE,
        ana,
        org.santander,
    )
    assert response.collector == Collector.EMAIL
    assert response.answers.count() == 3
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.COMPLETED
    assert Interaction.objects.filter(customer=ana, record_id=response.pk).count() == 1


def test_a_used_link_thanks_the_customer_and_takes_no_more_answers(org: Org) -> None:
    survey = published_survey(
        unit=org.bilbao, definition={**NPS_CSAT_TEXT, "questions": NPS_CSAT_TEXT["questions"][:2]}
    )
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    invitation = invite(survey, ana, org.santander)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    first = client.get(invitation_url(invitation))
    answer(client, first, {"nps": "9", "csat": "5", "_lang": "en"})

    again = client.get(invitation_url(invitation))
    replayed = answer(client, first, {"nps": "1", "csat": "1"})

    assert again.status_code == 200
    assert "Ya has respondido, gracias" in text_of(again)
    assert "Ya has respondido, gracias" in text_of(replayed)
    assert Response.objects.get().answers.get(question__key="nps").number == 9
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.COMPLETED


def test_a_tampered_link_is_not_valid_and_stores_nothing(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    invitation = invite(survey, make_customer("Ana"), org.santander)
    token = invitation_token(invitation)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    page = client.get(f"/s/i/{tampered}/")
    posted = client.post(f"/s/i/{tampered}/", {"_page": "1", "nps": "9", "csat": "5"})

    assert page.status_code == 400
    assert "This link is not valid" in text_of(page)
    assert posted.status_code == 400
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT


def test_a_link_to_a_deleted_invitation_is_not_found(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    invitation = invite(survey, make_customer("Ana"), org.santander)
    url = invitation_url(invitation)
    Invitation.objects.filter(pk=invitation.pk).delete()

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)

    assert page.status_code == 404
    assert "This link is not valid" in text_of(page)


def test_an_expired_link_says_so_and_stores_nothing(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    invitation = invite(survey, make_customer("Ana"), org.santander, expires_in_days=-1)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    page = client.get(invitation_url(invitation))
    posted = client.post(invitation_url(invitation), {"_page": "1", "nps": "9", "csat": "5"})

    assert page.status_code == 410
    assert "Este enlace ha caducado" in text_of(page)
    assert posted.status_code == 410
    assert Response.objects.count() == 0


def test_the_page_speaks_the_invitations_language_else_the_customers(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    john = make_customer("John Smith", email="john@example.com")
    john.language = "en"
    john.save()
    in_english = invite(survey, john, org.santander, language="en")
    in_spanish = invite(survey, john, org.santander, language="es")
    browser_says_spanish = Client(HTTP_ACCEPT_LANGUAGE="es")

    english = browser_says_spanish.get(invitation_url(in_english))
    spanish = browser_says_spanish.get(invitation_url(in_spanish))
    switched = browser_says_spanish.get(invitation_url(in_spanish) + "?lang=en")

    assert '<html lang="en">' in text_of(english)
    assert "Would you recommend Santander to a friend?" in text_of(english)
    assert "¿Recomendarías Santander a un amigo?" in text_of(spanish)
    assert "Would you recommend Santander to a friend?" in text_of(switched)


def test_questions_can_greet_the_customer_by_first_name(org: Org) -> None:
    definition = {
        **NPS_CSAT_TEXT,
        "questions": [
            {
                "key": "nps",
                "kind": "nps",
                "text": {
                    "es": "{{first_name}}, ¿recomendarías {{store}}?",
                    "en": "{{first_name}}, would you recommend {{store}}?",
                },
            }
        ],
    }
    survey = published_survey(unit=org.bilbao, definition=definition)
    invitation = invite(survey, make_customer("Ana Ruiz"), org.santander)

    page = Client().get(invitation_url(invitation))

    assert "Ana, ¿recomendarías Santander?" in text_of(page)


def test_the_open_pixel_marks_the_invitation_opened_once(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    invitation = invite(survey, make_customer("Ana"), org.santander)
    client = Client()

    first = client.get(invitation_url(invitation, "o.gif"))
    invitation.refresh_from_db()
    opened_at = invitation.opened_at
    client.get(invitation_url(invitation, "o.gif"))

    assert first.status_code == 200
    assert first["Content-Type"] == "image/gif"
    assert first.content.startswith(b"GIF89a")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPENED
    assert invitation.opened_at == opened_at is not None


def test_a_late_open_never_moves_a_completed_invitation_back(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    invitation = invite(survey, make_customer("Ana"), org.santander)
    done_at = timezone.now() - dt.timedelta(minutes=5)
    Invitation.objects.filter(pk=invitation.pk).update(
        status=InvitationStatus.COMPLETED, completed_at=done_at
    )

    Client().get(invitation_url(invitation, "o.gif"))

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.COMPLETED


def test_a_tampered_pixel_is_still_an_image(db: None) -> None:
    pixel = Client().get("/s/i/not-a-token/o.gif")

    assert pixel.status_code == 200
    assert pixel["Content-Type"] == "image/gif"
