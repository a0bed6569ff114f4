"""Signed tokens in survey links: personal invitations and the unit a QR code carries.

Tokens are signed with SECRET_KEY (django.core.signing), so nothing secret is stored and
a changed character is detected. An invitation token names the invitation; expiry and
single use are checked against the invitation row, which can also be revoked.
"""

from __future__ import annotations

from django.core import signing

from vinculo.accounts.models import Unit
from vinculo.surveys.models import Invitation

INVITATION_SALT = "vinculo.surveys.invitation"
UNIT_SALT = "vinculo.surveys.unit"


class BadToken(Exception):
    """The link was altered or is not one of ours; ``code`` is "tampered" or "unknown"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=INVITATION_SALT).sign(signing.b62_encode(invitation.pk))


def invitation_from_token(token: str) -> Invitation:
    """The invitation a token names. Raises ``BadToken``; expiry is the caller's check."""
    try:
        value = signing.Signer(salt=INVITATION_SALT).unsign(token)
        pk = signing.b62_decode(value)
    except (signing.BadSignature, ValueError):
        raise BadToken("tampered") from None
    invitation = (
        Invitation.objects.select_related("survey", "customer", "unit", "touchpoint")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise BadToken("unknown")
    return invitation


def unit_token(unit: Unit) -> str:
    """Short enough for a QR code: the unit's id and a truncated signature."""
    return signing.Signer(salt=UNIT_SALT).sign(signing.b62_encode(unit.pk))


def unit_from_token(token: str) -> Unit:
    try:
        pk = signing.b62_decode(signing.Signer(salt=UNIT_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise BadToken("tampered") from None
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise BadToken("unknown")
    return unit
