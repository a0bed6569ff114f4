"""Typed readers for environment variables; settings.py is their only caller."""

import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class EmailUrl:
    """Django's EMAIL_* settings as one EMAIL_URL describes them."""

    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# scheme: (default port, STARTTLS, implicit TLS)
_SMTP_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "smtps": (465, False, True),
}
_OTHER_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def parse_email_url(url: str) -> EmailUrl:
    """Reads ``smtp://user:pass@host:25``, ``smtp+tls://...`` (STARTTLS, port 587 by default),
    ``smtps://...`` (implicit TLS, port 465 by default), ``console:`` or ``dummy:``.

    User and password are percent-decoded, so a password with ``@`` or ``/`` is written
    ``%40`` or ``%2F``.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in _OTHER_BACKENDS:
        return EmailUrl(backend=_OTHER_BACKENDS[scheme])
    if scheme not in _SMTP_SCHEMES:
        raise ValueError(
            f"e-mail URL scheme must be smtp, smtp+tls, smtps, console or dummy, got {scheme!r}"
        )
    if not parts.hostname:
        raise ValueError("e-mail URL has no host")
    default_port, use_tls, use_ssl = _SMTP_SCHEMES[scheme]
    return EmailUrl(
        backend=SMTP_BACKEND,
        host=parts.hostname,
        port=parts.port or default_port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def env_email_url(name: str) -> EmailUrl | None:
    """The e-mail settings in variable ``name``, or None when it is unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_email_url(raw)
    except ValueError as exc:
        # The message names the variable but never echoes it: it may hold a password.
        raise ValueError(f"{name}: {exc}") from exc
