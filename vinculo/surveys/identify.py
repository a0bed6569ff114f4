"""Linking an anonymous respondent to the customer 360 from what they typed.

An e-mail or phone question marked ``"identifies": true`` links the response to the
customer owning that identity, or creates a prospect when nobody does. What a respondent
types is self-reported, so it only *links*: it never adds identities to an existing
customer or changes their profile (someone typing another person's e-mail must not be
able to attach their own phone to that person).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from vinculo.customers.models import Customer
from vinculo.customers.services import IdentityConflict, create_customer, find_by_identities
from vinculo.lib.locks import lock_identities
from vinculo.surveys.choices import QuestionKind
from vinculo.surveys.models import Question

IDENTITY_KINDS = {QuestionKind.EMAIL: "email", QuestionKind.PHONE: "phone"}


def identifies(question: Question) -> bool:
    """An e-mail or phone question whose answer links the respondent."""
    return question.kind in IDENTITY_KINDS and bool(question.settings.get("identifies"))


def records_consent(question: Question) -> bool:
    return question.kind == QuestionKind.CONSENT and bool(question.settings.get("channel"))


def respondent_from_answers(
    questions: Iterable[Question], answers: Mapping[str, Any], *, unit_id: int, language: str
) -> tuple[Customer | None, bool]:
    """The customer the answers identify, and whether they are known (found or created).

    ``answers`` maps question keys to values as logic compares them (normalised e-mail and
    phone texts). Nobody identified: ``(None, False)``.
    """
    identities = {
        IDENTITY_KINDS[QuestionKind(q.kind)]: answers[q.key]
        for q in questions
        if identifies(q) and answers.get(q.key)
    }
    if not identities:
        return None, False
    lock_identities()
    for kind in ("email", "phone"):  # the e-mail decides when two owners disagree
        if kind not in identities:
            continue
        try:
            owner = find_by_identities({kind: identities[kind]})
        except IdentityConflict:
            continue
        if owner is not None:
            return owner, False
    customer = create_customer(
        identities=identities, source="surveys", home_unit_id=unit_id, language=language
    )
    return customer, True


def record_consents(
    customer_id: int, questions: Iterable[Question], answers: Mapping[str, Any]
) -> None:
    """A ticked consent question with a ``channel`` records that consent on the customer.

    Only for a respondent we know (invited, entered by staff) or created by this response:
    a self-reported e-mail must not change the consents of the customer who owns it.
    """
    given = {
        q.settings["channel"]: True for q in questions if records_consent(q) and answers.get(q.key)
    }
    if not given:
        return
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    customer.consents = {**customer.consents, **given}
    customer.save(update_fields=["consents", "updated_at"])
