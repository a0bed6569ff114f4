"""Linking an anonymous respondent to the customer 360 from what they typed.

An e-mail or phone question marked ``"identifies": true`` links the response to the
customer owning that identity, or creates a prospect when nobody does. What a respondent
types is self-reported, so it only *links*: it never adds identities to an existing
customer or changes their profile (someone typing another person's e-mail must not be
able to attach their own phone to that person).
"""

from __future__ import annotations

from vinculo.customers.models import Customer
from vinculo.customers.services import IdentityConflict, create_customer, find_by_identities
from vinculo.lib.locks import lock_identities
from vinculo.surveys.choices import QuestionKind
from vinculo.surveys.models import Answer, Question, Response

IDENTITY_KINDS = {QuestionKind.EMAIL: "email", QuestionKind.PHONE: "phone"}


def identifies(question: Question) -> bool:
    """An e-mail or phone question whose answer links the respondent."""
    return question.kind in IDENTITY_KINDS and bool(question.settings.get("identifies"))


def records_consent(question: Question) -> bool:
    return question.kind == QuestionKind.CONSENT and bool(question.settings.get("channel"))


def respondent_from_answers(response: Response) -> tuple[Customer | None, bool]:
    """The customer the answers identify, and whether this response created them."""
    identities = {
        IDENTITY_KINDS[QuestionKind(a.question.kind)]: a.text
        for a in Answer.objects.filter(
            response=response, question__kind__in=list(IDENTITY_KINDS)
        ).select_related("question")
        if a.text and a.question.settings.get("identifies")
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
        identities=identities,
        source="surveys",
        home_unit_id=response.unit_id,
        language=response.language,
    )
    return customer, True


def record_consents(response: Response) -> None:
    """A ticked consent question with a ``channel`` records that consent on the customer.

    Only for a respondent we know (invited, entered by staff) or created by this response:
    a self-reported e-mail must not change the consents of the customer who owns it.
    """
    if response.customer_id is None:
        return
    given = {
        a.question.settings["channel"]: bool(a.number)
        for a in Answer.objects.filter(
            response=response, question__kind=QuestionKind.CONSENT
        ).select_related("question")
        if a.question.settings.get("channel")
    }
    if not given:
        return
    customer = Customer.objects.select_for_update().get(pk=response.customer_id)
    customer.consents = {**customer.consents, **given}
    customer.save(update_fields=["consents", "updated_at"])
