"""Stored invitation reasons are read in the reader's language."""

from django.utils import translation

from vinculo.surveys.templatetags.surveys import invitation_reason


def test_known_reasons_are_translated_and_provider_messages_kept() -> None:
    with translation.override("es"):
        assert invitation_reason("opted out of surveys") == "se ha dado de baja de las encuestas"
        assert invitation_reason("invited 3 days ago (limit 30)") == (
            "invitado hace 3 días (límite 30)"
        )
        assert invitation_reason("HTTP 500 from provider") == "HTTP 500 from provider"
