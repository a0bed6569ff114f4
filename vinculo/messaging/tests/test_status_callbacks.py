"""Delivery reports: reading them, and telling the provider's from forgeries."""

import pytest
from django.http import QueryDict

from vinculo.messaging.sms import (
    DeliveryReport,
    MalformedCallback,
    parse_status_callback,
    valid_twilio_signature,
    valid_webhook_signature,
    webhook_signature,
)

# Twilio's published example (api-snippets, security/signature_validation): auth token
# 12345, this URL and these POST parameters are signed GvWf1cFY/Q7PnoempGyD5oXAezc=.
TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675310",
    "Digits": "1234",
    "From": "+14158675310",
    "To": "+18005551212",
}
TWILIO_SIGNATURE = "GvWf1cFY/Q7PnoempGyD5oXAezc="


def test_twilios_documented_example_is_valid():
    assert valid_twilio_signature(TWILIO_URL, TWILIO_PARAMS, TWILIO_SIGNATURE, "12345")


def test_twilios_older_documented_example_is_valid():
    # The same example with Caller and From +14158675309, published as RSOYDt4T1cUTdK1PDd93/VVr8B8=.
    params = {**TWILIO_PARAMS, "Caller": "+14158675309", "From": "+14158675309"}

    assert valid_twilio_signature(TWILIO_URL, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345")


def test_request_post_querydict_is_signed_like_a_dict():
    post = QueryDict(mutable=True)
    post.update(TWILIO_PARAMS)

    assert valid_twilio_signature(TWILIO_URL, post, TWILIO_SIGNATURE, "12345")


def test_changed_parameter_invalidates_the_signature():
    forged = {**TWILIO_PARAMS, "Digits": "9999"}

    assert not valid_twilio_signature(TWILIO_URL, forged, TWILIO_SIGNATURE, "12345")


def test_other_token_or_missing_token_never_validates():
    assert not valid_twilio_signature(TWILIO_URL, TWILIO_PARAMS, TWILIO_SIGNATURE, "54321")
    assert not valid_twilio_signature(TWILIO_URL, TWILIO_PARAMS, TWILIO_SIGNATURE, "")
    assert not valid_twilio_signature(TWILIO_URL, TWILIO_PARAMS, "", "12345")


def test_default_port_added_by_a_proxy_still_validates():
    with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2"

    assert valid_twilio_signature(with_port, TWILIO_PARAMS, TWILIO_SIGNATURE, "12345")


def test_webhook_signature_is_hex_hmac_sha256_of_the_body():
    # The textbook HMAC-SHA256 example (key "key", the quick brown fox), as in RFC-style
    # test tables and Wikipedia's HMAC article.
    body = b"The quick brown fox jumps over the lazy dog"
    expected = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"

    assert webhook_signature(body, "key") == expected
    assert valid_webhook_signature(body, expected.upper(), "key")
    assert not valid_webhook_signature(body + b"!", expected, "key")
    assert not valid_webhook_signature(body, expected, "")


def test_twilio_delivered_report():
    report = parse_status_callback("twilio", {"MessageSid": "SM1", "MessageStatus": "delivered"})

    assert report == DeliveryReport("SM1", "delivered")


def test_twilio_landline_failure_is_a_bounce_with_the_error_named():
    report = parse_status_callback(
        "twilio", {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "30006"}
    )

    assert report == DeliveryReport(
        "SM1", "failed", "Twilio error 30006: landline or unreachable carrier", True
    )


def test_twilio_unreachable_handset_fails_without_bouncing():
    report = parse_status_callback(
        "twilio", {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "30003"}
    )

    assert (report.status, report.bounced) == ("failed", False)


def test_twilio_intermediate_and_unknown_statuses_change_nothing():
    sent = parse_status_callback("twilio", {"SmsSid": "SM1", "SmsStatus": "sent"})
    future = parse_status_callback("twilio", {"MessageSid": "SM1", "MessageStatus": "beamed"})

    assert (sent.status, future.status) == ("sent", "queued")


def test_twilio_report_without_sid_is_malformed():
    with pytest.raises(MalformedCallback):
        parse_status_callback("twilio", {"MessageStatus": "delivered"})


def test_webhook_failed_report_keeps_the_gateways_reason():
    report = parse_status_callback(
        "webhook", {"id": "msg-1", "status": "failed", "reason": "number ported", "bounced": True}
    )

    assert report == DeliveryReport("msg-1", "failed", "number ported", True)


def test_webhook_report_with_unknown_status_is_malformed():
    with pytest.raises(MalformedCallback):
        parse_status_callback("webhook", {"message_id": "msg-1", "status": "teleported"})
