"""TwilioProvider against a real HTTP server speaking Twilio's REST API."""

import pytest

from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure
from vinculo.messaging.sms import TwilioProvider
from vinculo.testservers import HttpPeer

SID = "AC0123456789"


def twilio(peer: HttpPeer, sender: str = "+15005550006", callback: str = "") -> TwilioProvider:
    return TwilioProvider(
        account_sid=SID,
        auth_token="s3cret",
        sender=sender,
        base_url=peer.url,
        timeout=2,
        status_callback=callback,
    )


def test_message_is_posted_as_twilio_documents_and_its_sid_returned(http_peer):
    http_peer.respond(201, {"sid": "SM42", "status": "queued"})

    outcome = twilio(http_peer, callback="https://cx.example.com/sms/status").send(
        to="+34600111222", body="¿Qué tal?", reference="inv-7"
    )

    assert (outcome.provider_message_id, outcome.status, outcome.provider) == (
        "SM42",
        "sent",
        "twilio",
    )
    [request] = http_peer.requests
    assert request.path == "/2010-04-01/Accounts/AC0123456789/Messages.json"
    # base64("AC0123456789:s3cret"): HTTP basic auth with the account SID and auth token.
    assert request.headers["Authorization"] == "Basic QUMwMTIzNDU2Nzg5OnMzY3JldA=="
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.form() == {
        "To": "+34600111222",
        "From": "+15005550006",
        "Body": "¿Qué tal?",
        "StatusCallback": "https://cx.example.com/sms/status",
    }


def test_messaging_service_sender_is_sent_as_messaging_service_sid(http_peer):
    http_peer.respond(201, {"sid": "SM43"})

    twilio(http_peer, sender="MG9999").send(to="+34600111222", body="Hola", reference="r")

    form = http_peer.requests[0].form()
    assert form["MessagingServiceSid"] == "MG9999"
    assert "From" not in form
    assert "StatusCallback" not in form


def test_invalid_to_number_error_is_a_bounce_with_twilios_message(http_peer):
    http_peer.respond(
        400,
        {
            "code": 21211,
            "message": "The 'To' number +34600 is not a valid phone number.",
            "status": 400,
        },
    )

    with pytest.raises(PermanentFailure) as failure:
        twilio(http_peer).send(to="+34600", body="Hola", reference="r")

    assert failure.value.bounced is True
    assert failure.value.reason == (
        "HTTP 400 from provider: Twilio error 21211: "
        "The 'To' number +34600 is not a valid phone number."
    )


def test_wrong_credentials_are_permanent_but_not_a_bounce(http_peer):
    http_peer.respond(401, {"code": 20003, "message": "Authenticate", "status": 401})

    with pytest.raises(PermanentFailure) as failure:
        twilio(http_peer).send(to="+34600111222", body="Hola", reference="r")

    assert failure.value.bounced is False
    assert failure.value.reason == "HTTP 401 from provider: Twilio error 20003: Authenticate"


def test_twilio_outage_is_temporary(http_peer):
    http_peer.respond(503, None)

    with pytest.raises(TemporaryFailure) as failure:
        twilio(http_peer).send(to="+34600111222", body="Hola", reference="r")

    assert failure.value.reason == "HTTP 503 from provider"
