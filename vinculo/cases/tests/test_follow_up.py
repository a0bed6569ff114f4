"""The follow-up survey after a case: resolving with it e-mails the customer a personal link
(through the real SMTP server), the answer given through the real survey page comes back
onto the case (score, solved, log, timeline) once, and it is "not sent", with the reason,
when nobody can be reached; contact fatigue never holds it back."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.cases.choices import EventKind, FollowUpStatus, Status, Trigger
from vinculo.cases.follow_up import (
    SCORE_KEY,
    SLUG,
    SOLVED_KEY,
    follow_up_survey,
    link_answers,
)
from vinculo.cases.models import Case, CaseEvent, CaseSettings, FollowUp, RootCause
from vinculo.cases.services import reopen, resolve
from vinculo.cases.testing import opened
from vinculo.customers.models import Customer
from vinculo.customers.services import create_customer
from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector, InvitationStatus, InviteChannel, SurveyStatus
from vinculo.surveys.invitations import invite_customer, set_contact_policy
from vinculo.surveys.models import Invitation, Response
from vinculo.surveys.submission import Respondent, submit_all
from vinculo.surveys.testing import live_version, published_survey
from vinculo.surveys.tests.distribution_helpers import TOKEN_IN_LINK
from vinculo.surveys.tests.respond_helpers import answer, invite, text_of
from vinculo.test import Org, People, client_for
from vinculo.testservers import SmtpServer

Callbacks = Any  # pytest-django's django_capture_on_commit_callbacks


def customer(
    name: str = "Ana Ruiz", consents: dict[str, bool] | None = None, **ids: str
) -> Customer:
    identities = ids if ids else {"email": "ana@example.com"}
    return create_customer(
        identities=identities,
        name=name,
        source="test",
        consents={"email": True, "sms": True} if consents is None else consents,
        language="es",
    )


def detractor_case(org: Org, who: Customer | None, score: int = 3) -> Case:
    """A case opened by a real response with an NPS answer of ``score``."""
    survey = published_survey(unit=org.bilbao)
    respondent = Respondent(
        survey=survey,
        version=live_version(survey),
        unit=org.bilbao,
        collector=Collector.LINK,
        language="es",
        customer=who,
    )
    raw = {"nps": score, "csat": 1, "mejora": "Me cobraron dos veces"}
    response = submit_all(respondent=respondent, idempotency_key=f"r-{score}", raw=raw).response
    return opened(org.bilbao, customer=who, trigger=Trigger.RESPONSE, trigger_id=response.pk)


def resolve_with_follow_up(case: Case, callbacks: Callbacks, **extra: Any) -> Case:
    with callbacks(execute=True):  # the invitation is sent after the commit
        return resolve(
            actor=SYSTEM,
            case=case,
            root_cause=RootCause.objects.filter(parent__isnull=False).first(),
            resolution="Abonado el cargo duplicado",
            follow_up=True,
            **extra,
        )


def link_path(smtp_server: SmtpServer, index: int = 0) -> str:
    """The personal link of an e-mail that arrived, as a path on this site."""
    body = smtp_server.messages[index].message.get_body(preferencelist=("plain",))
    assert body is not None
    match = TOKEN_IN_LINK.search(body.get_content())
    assert match, "the e-mail has no survey link"
    return f"/s/i/{match.group(1)}/"


def answer_follow_up(path: str, solved: str = "1", score: str = "9") -> Any:
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    return answer(client, page, {SOLVED_KEY: solved, SCORE_KEY: score, "comentario": "Gracias"})


# -- the survey ---------------------------------------------------------------------------


def test_the_built_in_survey_is_built_once_in_spanish_and_english_and_kept_in_settings(
    org: Org,
) -> None:
    first = follow_up_survey(org.bilbao)
    second = follow_up_survey(org.sevilla)

    assert first == second and first.slug == SLUG
    assert CaseSettings.objects.get(pk=1).follow_up_survey == first
    assert (first.status, first.unit, first.public_link) == (SurveyStatus.LIVE, org.company, False)
    version = live_version(first)
    assert version.title == {"es": "¿Resolvimos tu problema?", "en": "Did we solve your problem?"}
    kinds = [(q.key, q.kind, q.required) for q in version.questions.order_by("position")]
    assert kinds == [
        ("resuelto", "yes_no", True),
        ("recomendacion", "rating", True),
        ("comentario", "long_text", False),
    ]
    assert version.questions.get(key="recomendacion").settings["min"] == 0
    assert version.questions.get(key="recomendacion").settings["max"] == 10


def test_a_survey_chosen_in_the_settings_is_the_one_sent(org: Org) -> None:
    own = published_survey(unit=org.company, slug="mi-seguimiento")
    CaseSettings.objects.create(pk=1, follow_up_survey=own)

    assert follow_up_survey(org.bilbao) == own


# -- sending ------------------------------------------------------------------------------


def test_resolving_with_the_follow_up_e_mails_the_customer_their_personal_link(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callbacks
) -> None:
    ana = customer()
    case = detractor_case(org, ana)

    resolve_with_follow_up(case, django_capture_on_commit_callbacks)

    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.status == FollowUpStatus.SENT and follow_up.sent_at is not None
    invitation = follow_up.invitation
    assert invitation is not None
    assert (invitation.channel, invitation.unit, invitation.customer) == ("email", org.bilbao, ana)
    assert invitation.status == InvitationStatus.SENT
    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["ana@example.com"]
    assert mail.message["Subject"] and "¿Resolvimos tu problema?" in mail.message["Subject"]
    assert link_path(smtp_server).startswith("/s/i/")
    logged = CaseEvent.objects.get(case=case, kind=EventKind.FOLLOW_UP)
    assert logged.data == {"status": "sent", "channel": "email"}


def test_without_the_follow_up_nothing_is_sent(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callbacks
) -> None:
    case = detractor_case(org, customer())

    with django_capture_on_commit_callbacks(execute=True):
        resolve(actor=SYSTEM, case=case, root_cause=RootCause.objects.first(), resolution="Ok")

    assert not FollowUp.objects.exists()
    assert smtp_server.messages == []


def test_a_customer_with_only_a_phone_gets_it_by_sms(
    org: Org, django_capture_on_commit_callbacks: Callbacks
) -> None:
    case = opened(org.bilbao, customer=customer(phone="+34600112233"))

    resolve_with_follow_up(case, django_capture_on_commit_callbacks)

    invitation = FollowUp.objects.get(case=case).invitation
    assert invitation is not None and invitation.channel == InviteChannel.SMS


def test_contact_fatigue_does_not_hold_the_follow_up_back(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callbacks
) -> None:
    set_contact_policy(fatigue_days=30)
    ana = customer()
    # The survey the customer answered yesterday, which opened the case.
    invite(published_survey(unit=org.bilbao, slug="otra"), ana, org.bilbao)
    case = opened(org.bilbao, customer=ana)

    resolve_with_follow_up(case, django_capture_on_commit_callbacks)

    assert FollowUp.objects.get(case=case).invitation.status == InvitationStatus.SENT  # type: ignore[union-attr]
    assert len(smtp_server.wait_for(1)) == 1
    # Any other survey still waits its 30 days: the exemption is the follow-up's only.
    with django_capture_on_commit_callbacks(execute=True):
        other = invite_customer(
            survey=published_survey(unit=org.bilbao, slug="campana"),
            customer=ana,
            channel=InviteChannel.EMAIL,
        )
    other.refresh_from_db()
    assert other.status == InvitationStatus.SUPPRESSED
    assert other.failure_reason.startswith("invited 0 days ago")


def test_nobody_to_reach_leaves_the_follow_up_not_sent_with_the_reason(
    org: Org,
    people: People,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    cases = {
        "no customer": opened(org.bilbao, "Sin cliente"),
        "no e-mail address or phone number": opened(
            org.bilbao, "Sin dirección", customer=customer("Sin Datos", crm_id="C-1")
        ),
        "opted out of surveys": opened(
            org.bilbao,
            "Baja",
            customer=customer("Baja", {"email": True, "surveys": False}, email="b@example.com"),
        ),
        "no consent for e-mail": opened(
            org.bilbao, "Sin permiso", customer=customer("Sin Permiso", {}, email="s@example.com")
        ),
    }

    for case in cases.values():
        resolve_with_follow_up(case, django_capture_on_commit_callbacks)

    reasons = {f.reason: (f.status, f.invitation_id, f.sent_at) for f in FollowUp.objects.all()}
    assert reasons == dict.fromkeys(cases, (FollowUpStatus.NOT_SENT, None, None))
    assert not Invitation.objects.exists() and smtp_server.messages == []
    url = f"/cases/{cases['opted out of surveys'].pk}/"
    page = client_for(people.alicia).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="follow-up-reason">The customer opted out of surveys.' in text_of(page)


def test_a_case_resolved_again_after_a_reopening_is_not_asked_twice(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callbacks
) -> None:
    case = opened(org.bilbao, customer=customer())
    resolve_with_follow_up(case, django_capture_on_commit_callbacks)
    reopen(actor=SYSTEM, case=case, reason="Sigue sin funcionar")

    resolve_with_follow_up(case, django_capture_on_commit_callbacks)

    assert FollowUp.objects.filter(case=case).count() == 1
    assert Invitation.objects.count() == 1
    assert len(smtp_server.wait_for(1)) == 1


def test_a_follow_up_that_reached_nobody_is_tried_again_on_the_next_resolution(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callbacks
) -> None:
    ana = customer("Ana", {}, email="ana@example.com")  # no consent for e-mail yet
    case = opened(org.bilbao, customer=ana)
    resolve_with_follow_up(case, django_capture_on_commit_callbacks)
    assert FollowUp.objects.get(case=case).status == FollowUpStatus.NOT_SENT
    Customer.objects.filter(pk=ana.pk).update(consents={"email": True})
    reopen(actor=SYSTEM, case=case, reason="Vuelve a llamar")

    resolve_with_follow_up(case, django_capture_on_commit_callbacks)

    follow_up = FollowUp.objects.get(case=case)
    assert (follow_up.status, follow_up.reason) == (FollowUpStatus.SENT, "")
    assert len(smtp_server.wait_for(1)) == 1


def test_a_bounced_follow_up_becomes_not_sent_with_the_reason(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callbacks
) -> None:
    smtp_server.refuse("ana@example.com")
    case = opened(org.bilbao, customer=customer())
    resolve_with_follow_up(case, django_capture_on_commit_callbacks)

    assert link_answers() == 1

    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.status == FollowUpStatus.NOT_SENT
    assert "550" in follow_up.reason
    assert link_answers() == 0


# -- the answer ---------------------------------------------------------------------------


def test_the_answer_comes_back_onto_the_case_and_the_customers_timeline(
    org: Org,
    people: People,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    ana = customer()
    case = detractor_case(org, ana, score=3)
    resolve_with_follow_up(case, django_capture_on_commit_callbacks)
    smtp_server.wait_for(1)

    thanks = answer_follow_up(link_path(smtp_server), solved="1", score="9")
    assert "¡Gracias! Tu respuesta nos ayuda a mejorar." in text_of(thanks)
    changed = link_answers()

    assert changed == 1
    follow_up = FollowUp.objects.get(case=case)
    response = Response.objects.get(invitation=follow_up.invitation)
    assert (follow_up.status, follow_up.score, follow_up.solved) == ("answered", 9, True)
    assert (follow_up.response, follow_up.answered_at) == (response, response.completed_at)
    logged = CaseEvent.objects.get(case=case, kind=EventKind.FOLLOW_UP, data__status="answered")
    assert logged.data == {"status": "answered", "score": 9, "solved": True}
    row = Interaction.objects.get(customer=ana, touchpoint__interaction_type__code="case_follow_up")
    assert row.attributes == {"case": case.pk, "score": 9, "solved": True, "response": response.pk}
    assert row.touchpoint.channel.code == "email"
    # The case page: before (the NPS that opened it) and after.
    page = client_for(people.alicia).get(f"/cases/{case.pk}/")
    assert 'id="recovered-score" data-before="3" data-after="9"' in text_of(page)
    assert 'id="follow-up-score"><strong>9/10</strong>' in text_of(page)
    assert 'data-solved="yes"' in text_of(page)


def test_linking_the_answers_again_changes_nothing(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callbacks
) -> None:
    ana = customer()
    case = opened(org.bilbao, customer=ana)
    resolve_with_follow_up(case, django_capture_on_commit_callbacks)
    smtp_server.wait_for(1)
    answer_follow_up(link_path(smtp_server), solved="0", score="4")

    first, second = link_answers(), link_answers()

    assert (first, second) == (1, 0)
    follow_up = FollowUp.objects.get(case=case)
    assert (follow_up.score, follow_up.solved) == (4, False)
    assert CaseEvent.objects.filter(case=case, data__status="answered").count() == 1
    rows = Interaction.objects.filter(touchpoint__interaction_type__code="case_follow_up")
    assert rows.count() == 1


def test_a_follow_up_not_answered_yet_is_left_waiting(
    org: Org, django_capture_on_commit_callbacks: Callbacks
) -> None:
    case = opened(org.bilbao, customer=customer())
    resolve_with_follow_up(case, django_capture_on_commit_callbacks)

    assert link_answers() == 0
    assert FollowUp.objects.get(case=case).status == FollowUpStatus.SENT


# -- the page and the API -----------------------------------------------------------------


def test_the_resolve_form_offers_the_follow_up_ticked_as_the_settings_say(
    org: Org, people: People
) -> None:
    reachable = opened(org.bilbao, customer=customer())
    unreachable = opened(org.bilbao, "Sin cliente")
    client = client_for(people.alicia)

    offered = text_of(client.get(f"/cases/{reachable.pk}/"))
    CaseSettings.objects.create(pk=1, follow_up_by_default=False)
    unticked = text_of(client.get(f"/cases/{reachable.pk}/"))
    refused = text_of(client.get(f"/cases/{unreachable.pk}/", HTTP_ACCEPT_LANGUAGE="en"))

    assert checkbox(offered) == {"checked"}
    assert checkbox(unticked) == set()
    assert checkbox(refused) == {"disabled"}
    assert 'id="resolve_follow_up_helptext">The case has no customer.' in refused


def checkbox(page: str) -> set[str]:
    """The states (checked, disabled) of the resolve form's follow-up box."""
    tag = re.search(r'<input type="checkbox" name="follow_up"[^>]*>', page)
    assert tag, "no follow-up box"
    return {state for state in ("checked", "disabled") if f" {state}" in tag.group(0)}


def test_the_resolve_form_sends_the_follow_up_when_ticked(
    org: Org, people: People, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callbacks
) -> None:
    case = opened(org.bilbao, customer=customer())
    cause = RootCause.objects.filter(parent__isnull=False).first()
    assert cause is not None
    client = client_for(people.alicia)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/cases/{case.pk}/resolve/",
            {"root_cause": cause.pk, "resolution": "Abonado", "follow_up": "on"},
        )

    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert FollowUp.objects.get(case=case).status == FollowUpStatus.SENT
    assert len(smtp_server.wait_for(1)) == 1


def test_the_api_resolves_with_the_follow_up_and_shows_it_on_the_case(
    org: Org, people: People, django_capture_on_commit_callbacks: Callbacks
) -> None:
    case = opened(org.bilbao, "Sin cliente")
    cause = RootCause.objects.filter(parent__isnull=False).first()
    assert cause is not None
    client = client_for(people.alicia)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/api/v1/cases/{case.pk}/resolve",
            {"root_cause": cause.pk, "resolution": "Ok", "follow_up": True},
            content_type="application/json",
        )

    assert done.status_code == 200
    assert done.json()["follow_up"] == {
        "status": "not_sent",
        "reason": "no customer",
        "score": None,
        "solved": None,
        "sent_at": None,
        "answered_at": None,
        "response_id": None,
    }
    plain = client.get(f"/api/v1/cases/{opened(org.bilbao, 'Otro').pk}")
    assert plain.json()["follow_up"] is None


def test_the_follow_up_of_an_old_invitation_is_answered_even_when_late(
    org: Org, django_capture_on_commit_callbacks: Callbacks
) -> None:
    """A follow-up whose response completed before the pass ran is still linked, with the
    time the customer answered, not the time of the pass."""
    case = opened(org.bilbao, customer=customer())
    resolve_with_follow_up(case, django_capture_on_commit_callbacks)
    invitation = FollowUp.objects.get(case=case).invitation
    assert invitation is not None
    survey = invitation.survey
    answered = timezone.now() - dt.timedelta(hours=5)
    submit_all(
        respondent=Respondent(
            survey=survey,
            version=live_version(survey),
            unit=org.bilbao,
            collector=Collector.EMAIL,
            language="es",
            customer=invitation.customer,
            invitation=invitation,
        ),
        idempotency_key="late",
        raw={SOLVED_KEY: True, SCORE_KEY: 10},
        completed_at=answered,
    )

    link_answers()

    follow_up = FollowUp.objects.get(case=case)
    assert (follow_up.score, follow_up.answered_at) == (10, answered)
