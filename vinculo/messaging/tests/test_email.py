"""send_email against a real SMTP server on loopback."""

import pytest

from vinculo.messaging.email import message_id_for, send_email, unsubscribe_headers
from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure
from vinculo.testservers import unused_port

UNSUBSCRIBE = "https://cx.example.com/u/abc123"


def send(**overrides):
    arguments = {
        "to": "lucia@example.com",
        "subject": "¿Qué tal tu visita a Bilbao Centro?",
        "text": "Cuéntanos: https://cx.example.com/s/abc123",
        "html": '<p>Cuéntanos: <a href="https://cx.example.com/s/abc123">encuesta</a></p>',
        "headers": unsubscribe_headers(UNSUBSCRIBE),
        "reference": "invitation-42",
        "from_email": "Telco Demo <encuestas@telco.example>",
    }
    return send_email(**{**arguments, **overrides})


def test_message_arrives_with_both_parts_unsubscribe_headers_and_our_message_id(smtp_server):
    outcome = send()

    [mail] = smtp_server.wait_for(1)
    assert (mail.mail_from, mail.rcpt_tos) == ("encuestas@telco.example", ["lucia@example.com"])
    message = mail.message
    assert message["Subject"] == "¿Qué tal tu visita a Bilbao Centro?"
    assert message.get_body(("plain",)).get_content().strip() == (
        "Cuéntanos: https://cx.example.com/s/abc123"
    )
    assert 'href="https://cx.example.com/s/abc123"' in message.get_body(("html",)).get_content()
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long Message-ID is folded onto its own line; the parser keeps the fold's space.
    assert message["Message-ID"].strip() == outcome.provider_message_id
    assert (outcome.status, outcome.provider) == ("sent", "email")


def test_message_id_embeds_the_reference_and_the_senders_domain(smtp_server):
    outcome = send(reference="invitation 42/<x>")

    assert outcome.provider_message_id.startswith("<")
    assert outcome.provider_message_id.endswith(".invitation-42-x@telco.example>")


def test_message_id_in_caller_headers_is_replaced_by_ours(smtp_server):
    outcome = send(headers={"Message-ID": "<theirs@example.com>", "X-Campaign": "q3"})

    [mail] = smtp_server.wait_for(1)
    assert [value.strip() for value in mail.message.get_all("Message-ID")] == [
        outcome.provider_message_id
    ]
    assert mail.message["X-Campaign"] == "q3"


def test_text_only_message_has_no_html_part(smtp_server):
    send(html=None, headers=None)

    [mail] = smtp_server.wait_for(1)
    assert not mail.message.is_multipart()
    assert mail.message.get_content_type() == "text/plain"


def test_default_sender_is_default_from_email(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Vínculo <no-reply@cx.example>"

    send(from_email=None)

    [mail] = smtp_server.wait_for(1)
    assert mail.mail_from == "no-reply@cx.example"


def test_refused_recipient_is_a_permanent_bounce(smtp_server):
    smtp_server.refuse("lucia@example.com")

    with pytest.raises(PermanentFailure) as failure:
        send()

    assert failure.value.bounced is True
    assert failure.value.reason == "550 5.1.1 Mailbox unavailable"
    assert smtp_server.messages == []


def test_recipient_deferred_with_4xx_is_temporary(smtp_server):
    smtp_server.refuse("lucia@example.com", "450 4.2.1 Mailbox busy")

    with pytest.raises(TemporaryFailure) as failure:
        send()

    assert failure.value.reason == "450 4.2.1 Mailbox busy"


def test_data_answered_with_451_is_temporary(smtp_server):
    smtp_server.defer()

    with pytest.raises(TemporaryFailure) as failure:
        send()

    assert failure.value.reason == "451 4.3.0 Try again later"


def test_data_refused_with_5xx_is_permanent_but_not_a_bounce(smtp_server):
    smtp_server.defer("554 5.7.1 Message rejected as spam")

    with pytest.raises(PermanentFailure) as failure:
        send()

    assert failure.value.bounced is False
    assert "554" in failure.value.reason


def test_server_down_is_temporary(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = unused_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2

    with pytest.raises(TemporaryFailure) as failure:
        send()

    assert failure.value.reason == "cannot reach SMTP server: Connection refused"


def test_message_id_falls_back_to_this_hosts_name_without_a_sender_domain():
    message_id = message_id_for("r1", "no-reply")

    assert message_id.startswith("<") and ".r1@" in message_id
