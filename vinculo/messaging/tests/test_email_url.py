"""EMAIL_URL parsing into Django's EMAIL_* settings."""

import pytest

from vinculo.lib.env import SMTP_BACKEND, EmailUrl, env_email_url, parse_email_url


def test_plain_smtp_with_credentials():
    assert parse_email_url("smtp://mailer:pw@mail.example.com:2525") == EmailUrl(
        backend=SMTP_BACKEND, host="mail.example.com", port=2525, user="mailer", password="pw"
    )


def test_starttls_defaults_to_the_submission_port():
    config = parse_email_url("smtp+tls://mail.example.com")

    assert (config.port, config.use_tls, config.use_ssl) == (587, True, False)


def test_implicit_tls_defaults_to_port_465():
    config = parse_email_url("smtps://u:p@mail.example.com")

    assert (config.port, config.use_tls, config.use_ssl) == (465, False, True)


def test_percent_encoded_password_is_decoded():
    config = parse_email_url("smtp://me%40example.com:p%40ss%2Fword@mail.example.com")

    assert (config.user, config.password) == ("me@example.com", "p@ss/word")


def test_console_url_selects_the_console_backend():
    assert parse_email_url("console:").backend == "django.core.mail.backends.console.EmailBackend"


def test_unknown_scheme_and_missing_host_are_errors():
    with pytest.raises(ValueError, match="scheme"):
        parse_email_url("imap://mail.example.com")
    with pytest.raises(ValueError, match="no host"):
        parse_email_url("smtp://")


def test_env_reader_names_the_variable_but_not_the_password(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "ftp://user:hunter2@mail.example.com")

    with pytest.raises(ValueError) as error:
        env_email_url("EMAIL_URL")

    assert str(error.value).startswith("EMAIL_URL: ")
    assert "hunter2" not in str(error.value)


def test_env_reader_returns_none_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env_email_url("EMAIL_URL") is None
    monkeypatch.setenv("EMAIL_URL", "  ")
    assert env_email_url("EMAIL_URL") is None
