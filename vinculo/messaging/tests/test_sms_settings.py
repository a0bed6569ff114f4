"""provider_from_settings: SMS_* settings to a provider, or a clear configuration error."""

import pytest

from vinculo.messaging.sms import (
    SmsNotConfigured,
    TwilioProvider,
    WebhookJsonProvider,
    provider_from_settings,
)


@pytest.fixture
def sms_settings(settings):
    settings.SMS_PROVIDER = ""
    settings.SMS_URL = ""
    settings.SMS_TOKEN = ""
    settings.SMS_ACCOUNT_SID = ""
    settings.SMS_FROM = ""
    settings.SMS_TIMEOUT_SECONDS = 10
    settings.SMS_STATUS_CALLBACK_URL = ""
    return settings


def test_unset_provider_says_sms_is_not_configured(sms_settings):
    with pytest.raises(SmsNotConfigured, match="set SMS_PROVIDER"):
        provider_from_settings()


def test_unknown_provider_is_named_in_the_error(sms_settings):
    sms_settings.SMS_PROVIDER = "carrier-pigeon"

    with pytest.raises(SmsNotConfigured, match="carrier-pigeon"):
        provider_from_settings()


def test_webhook_provider_sends_to_the_configured_url(sms_settings, http_peer):
    sms_settings.SMS_PROVIDER = "webhook"
    sms_settings.SMS_URL = f"{http_peer.url}/send"
    sms_settings.SMS_TOKEN = "tok"

    sms = provider_from_settings()
    outcome = sms.send(to="+34600111222", body="Hola", reference="r1")

    assert isinstance(sms, WebhookJsonProvider)
    assert outcome.provider_message_id == "msg-1"
    assert http_peer.requests[0].headers["Authorization"] == "Bearer tok"


def test_twilio_without_account_sid_names_the_missing_setting(sms_settings):
    sms_settings.SMS_PROVIDER = "twilio"
    sms_settings.SMS_TOKEN = "t"
    sms_settings.SMS_FROM = "+15005550006"

    with pytest.raises(SmsNotConfigured, match="needs SMS_ACCOUNT_SID"):
        provider_from_settings()


def test_twilio_defaults_to_twilios_own_api(sms_settings):
    sms_settings.SMS_PROVIDER = "twilio"
    sms_settings.SMS_ACCOUNT_SID = "AC1"
    sms_settings.SMS_TOKEN = "t"
    sms_settings.SMS_FROM = "+15005550006"
    sms_settings.SMS_TIMEOUT_SECONDS = 4

    sms = provider_from_settings()

    assert isinstance(sms, TwilioProvider)
    assert sms.url == "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"
    assert sms.timeout == 4.0


def test_non_http_url_is_a_configuration_error(sms_settings):
    sms_settings.SMS_PROVIDER = "webhook"
    sms_settings.SMS_URL = "file:///etc/passwd"

    with pytest.raises(SmsNotConfigured, match="SMS_URL"):
        provider_from_settings()
