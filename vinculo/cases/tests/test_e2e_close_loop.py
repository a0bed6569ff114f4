"""Closing the loop end to end, in a real Chromium, with the real alert-rule task, the real
scheduler tick and a real SMTP server:

a detractor answers a store's survey (NPS 3) → one tick of the scheduler opens a case for
the store's customer service → an agent of that store takes it, calls the customer and
resolves it with a root cause and the follow-up survey → the follow-up e-mail arrives →
the customer opens its link and answers "Sí" and 9 → the next tick links the answer → the
case shows the recovered score 3 → 9, and the customer's timeline has the whole story.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.choices import Role
from vinculo.accounts.models import Department
from vinculo.accounts.services import create_person
from vinculo.browser import TIMEOUT_MS, login
from vinculo.cases.choices import FollowUpStatus, Priority, Status
from vinculo.cases.models import Case, FollowUp
from vinculo.cases.rule_choices import RuleAction, RuleEvent
from vinculo.cases.rules_services import RuleData, save_rule
from vinculo.customers.services import create_customer
from vinculo.journeys.models import Interaction
from vinculo.surveys.models import Response
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import TOKEN_IN_LINK
from vinculo.test import PASSWORD, Org
from vinculo.testservers import SmtpServer

STORE_SURVEY = {
    "title": {"es": "Tu visita", "en": "Your visit"},
    "thank_you": {"es": "¡Gracias por ayudarnos!", "en": "Thank you for helping us!"},
    "questions": [
        {
            "key": "nps",
            "kind": "nps",
            "required": True,
            "text": {
                "es": "¿Recomendarías {{unit}} a un amigo?",
                "en": "Would you recommend {{unit}} to a friend?",
            },
        },
        {
            "key": "email",
            "kind": "email",
            "required": True,
            "settings": {"identifies": True},
            "text": {"es": "Tu correo electrónico", "en": "Your e-mail address"},
        },
        {
            "key": "mejora",
            "kind": "long_text",
            "text": {"es": "¿Qué podríamos mejorar?", "en": "What could we improve?"},
        },
    ],
}


def tick() -> None:
    """One run of the scheduler: every periodic task, run at once by the test backend."""
    call_command("run_scheduler", "--once", stdout=None)


@pytest.mark.browser
def test_a_detractor_is_called_back_and_their_recovered_score_shows_on_the_case(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    org: Org,
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> None:
    # The live server's database was emptied: seed what the follow-up writes on timelines.
    import_module("vinculo.cases.migrations.0005_follow_up_type").create(apps, None)
    service = Department.objects.get(code="customer_service")
    create_person(
        username="sara", password=PASSWORD, role=Role.AGENT, unit=org.bilbao, department=service
    )
    lucia = create_customer(
        identities={"email": "lucia@example.com"},
        name="Lucía Gómez",
        source="test",
        consents={"email": True},
        language="es",
        home_unit_id=org.bilbao.pk,
    )
    published_survey(unit=org.bilbao, slug="tu-visita-bilbao", definition=STORE_SURVEY)
    save_rule(
        actor=SYSTEM,
        data=RuleData(
            name="Detractores",
            event=RuleEvent.RESPONSE,
            conditions=[{"field": "nps", "op": "lte", "value": 6}],
            action=RuleAction.CASE,
            priority=Priority.HIGH,
            department=service,
            title="Detractor en {unit}",
        ),
    )
    shots = tmp_path / "screenshots"
    shots.mkdir()
    phone = browser.new_context(locale="es-ES", timezone_id="Europe/Madrid")
    phone.set_default_timeout(TIMEOUT_MS)
    customer = phone.new_page()

    # 1. The detractor answers the store's survey.
    customer.goto(f"{live_server.url}/s/tu-visita-bilbao/")
    customer.locator("label[for=q-nps-3]").click()
    customer.fill("input[name=email]", "lucia@example.com")
    customer.fill("textarea[name=mejora]", "Me cobraron dos veces la misma factura")
    customer.locator("button[value=next]").click()
    expect(customer.locator(".thanks-text")).to_have_text("¡Gracias por ayudarnos!")
    customer.screenshot(path=str(shots / "1-detractor-answered.png"))
    response = Response.objects.get(survey__slug="tu-visita-bilbao")
    assert response.customer_id == lucia.pk

    # 2. One tick: the alert rule opens a case for the store's customer service.
    tick()
    case = Case.objects.get(trigger="response", trigger_id=response.pk)
    assert (case.unit, case.department, case.customer_id) == (org.bilbao, service, lucia.pk)

    # 3. The store's agent takes it, calls the customer and resolves it with the follow-up.
    login(page, live_server.url, "sara", PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("link", name=f"#{case.pk} Detractor en Bilbao Centro").click()
    page.locator("#do-take button").click()
    expect(page.locator(".case-facts")).to_contain_text("sara")
    page.select_option("#contact_channel", "call")
    page.select_option("#contact_outcome", "reached")
    page.fill("#contact_text", "Le devolvemos el cargo duplicado y pedimos disculpas")
    page.locator("#do-contact button").click()
    page.select_option("#resolve_root_cause", label="Facturación > Cargo duplicado")
    page.fill("#resolve_resolution", "Abonado el cargo duplicado")
    expect(page.locator("#resolve_follow_up")).to_be_checked()  # the settings' default
    page.screenshot(path=str(shots / "2-resolving.png"), full_page=True)
    page.locator("#do-resolve button").click()
    expect(page.locator("#follow-up")).to_have_attribute("data-status", FollowUpStatus.SENT)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED

    # 4. The follow-up e-mail arrives; the customer opens its link and answers.
    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["lucia@example.com"]
    body = mail.message.get_body(preferencelist=("plain",))
    assert body is not None
    token = TOKEN_IN_LINK.search(body.get_content())
    assert token is not None, "the e-mail has no survey link"
    customer.goto(f"{live_server.url}/s/i/{token.group(1)}/")
    expect(customer.locator("h1")).to_contain_text("¿Resolvimos tu problema?")
    customer.locator("input[name=resuelto][value='1']").check()
    customer.locator("label[for=q-recomendacion-9]").click()
    customer.fill("textarea[name=comentario]", "Muy amables al teléfono")
    customer.screenshot(path=str(shots / "3-follow-up.png"), full_page=True)
    customer.locator("button[value=next]").click()
    expect(customer.locator(".thanks-text")).to_have_text(
        "¡Gracias! Tu respuesta nos ayuda a mejorar."
    )

    # 5. The next tick links the answer: the case shows the recovered score.
    tick()
    follow_up = FollowUp.objects.get(case=case)
    assert (follow_up.status, follow_up.score, follow_up.solved) == ("answered", 9, True)
    page.reload()
    expect(page.locator("#recovered-score")).to_have_text("3 → 9")
    expect(page.locator("#follow-up-score")).to_have_text("9/10")
    expect(page.locator("#follow-up-solved")).to_have_attribute("data-solved", "yes")
    page.screenshot(path=str(shots / "4-recovered-score.png"), full_page=True)

    # 6. The customer's timeline tells the whole story.
    page.goto(f"{live_server.url}/customers/{lucia.pk}/")
    timeline = page.locator("#timeline")
    for name in ("Caso abierto", "Contacto de seguimiento", "Caso resuelto"):
        expect(timeline).to_contain_text(name)
    expect(timeline).to_contain_text("Encuesta tras el caso")
    page.screenshot(path=str(shots / "5-timeline.png"), full_page=True)
    kinds = set(
        Interaction.objects.filter(customer=lucia).values_list(
            "touchpoint__interaction_type__code", flat=True
        )
    )
    assert {"survey_response", "case_opened", "case_contact", "case_resolved"} <= kinds
    assert "case_follow_up" in kinds
    assert len(list(shots.iterdir())) == 5
    phone.close()
