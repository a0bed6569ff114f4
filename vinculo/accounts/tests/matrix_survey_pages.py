"""The matrix rows of the survey pages: the staff pages under /surveys/ (builder, responses,
distribution, agent entry, QR codes, kiosk set-up) and the respondent pages under /s/.

Rows "about Sofía" name her, her response or her unit (Sevilla): people who may not see her
(Carmen, Diego) must get a 404, or the 4xx given, and never a mark of hers. Each call runs
in a fresh world, so every change below is made to the world as the fixture built it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import PUBLIC, Endpoint, World, ids
from vinculo.accounts.tests.matrix_survey_world import SOFIA_ANSWER
from vinculo.journeys.models import Channel, InteractionType

MANAGE = Perm.MANAGE_SURVEYS
VIEW = Perm.VIEW_RESPONSES
ENTER = Perm.ENTER_RESPONSES
EXPORT = Perm.EXPORT_RESPONSES

Form = Callable[[World], dict[str, Any]]


def _url(name: str, *args: str, query: str = "") -> Callable[[World], str]:
    """``reverse(name)`` with the world's ids for ``args`` (e.g. "survey") and ``query``."""

    def build(w: World) -> str:
        known = ids(w)
        path = reverse(name, args=[known.get(a, a) for a in args])
        return f"{path}?{query.format(**known)}" if query else path

    return build


def get(name: str, needs: Perm | str, *args: str, query: str = "", **options: Any) -> Endpoint:
    return Endpoint(name, "get", _url(name, *args, query=query), needs, **options)


def post(
    name: str, needs: Perm | str, *args: str, form: Form | None = None, **options: Any
) -> Endpoint:
    """A form POST, as the page sends it."""
    url = _url(name, *args, query=options.pop("query", ""))
    return Endpoint(name, "post", url, needs, data=form, json=False, **options)


def _settings(w: World) -> dict[str, Any]:
    return {
        "name": "Matriz",
        "slug": "matriz",
        "kind": "customer",
        "unit": w.org.company.pk,
        "touchpoint": "",
        "languages": ["es", "en"],
        "default_language": "es",
        "public_link": "on",
    }


def _question(**values: str) -> Form:
    form = {
        "kind": "nps",
        "key": "nps_tienda",
        "page": "1",
        "required": "on",
        "text_es": "¿Recomendarías la tienda?",
        "text_en": "Would you recommend the shop?",
        "rating_style": "stars",
        "cond_op": "eq",
        **values,
    }
    return lambda w: form


def _campaign(w: World) -> dict[str, Any]:
    return {
        "name": "Campaña de la matriz",
        "channel": "email",
        "audience_unit": w.org.sevilla.pk,
        "expires_after_days": "30",
    }


def _trigger(w: World) -> dict[str, Any]:
    return {
        "name": "Tras una llamada",
        "interaction_type": InteractionType.objects.get(code="complaint").pk,
        "interaction_channel": Channel.objects.get(code="call_centre").pk,
        "channel": "sms",
        "delay_hours": "2",
        "max_age_hours": "48",
        "reminder_after_days": "",
        "expires_after_days": "7",
    }


def _answers(**hidden: str) -> Form:
    """The first page of the survey answered, with the respondent page's hidden fields."""
    return lambda w: {"_page": "1", "_lang": "es", "nps": "9", "csat": "4", **hidden}


def _interview(w: World) -> dict[str, Any]:
    """Sofía's phone interview in Sevilla, as the agent entry form posts it."""
    chosen = {"collector": "phone", "unit": w.org.sevilla.pk, "customer": w.sofia_id}
    return {**chosen, **_answers(_key="a" * 32)(w)}


# Sofía's interview, by phone, in Sevilla: only people who see Sevilla may hold it.
INTERVIEW = "collector=phone&unit={sevilla}&customer={sofia}"

BUILDER = [
    get("surveys:list", MANAGE),
    get("surveys:create", MANAGE),
    post("surveys:create", MANAGE, form=_settings),
    get("surveys:edit", MANAGE, "survey"),
    get("surveys:settings", MANAGE, "survey"),
    post("surveys:settings", MANAGE, "survey", form=lambda w: {**_settings(w), "slug": "otra"}),
    post(
        "surveys:texts",
        MANAGE,
        "survey",
        form=lambda w: {"title_es": "Tu tienda", "title_en": "Your shop", "intro_es": "Hola"},
    ),
    post("surveys:question_add", MANAGE, "survey", form=_question()),
    post("surveys:question", MANAGE, "survey", "nps", form=_question(key="nps")),
    post("surveys:question_delete", MANAGE, "survey", "gusto"),
    post("surveys:question_move", MANAGE, "survey", "csat", form=lambda w: {"direction": "up"}),
    post(
        "surveys:skip_rule_add",
        MANAGE,
        "survey",
        form=lambda w: {
            "skip-after_page": "1",
            "skip-cond_subject": "q:nps",
            "skip-cond_op": "lte",
            "skip-cond_value": "2",
            "skip-goto": "end",
        },
    ),
    post("surveys:skip_rule_delete", MANAGE, "survey", "0"),
    post("surveys:publish", MANAGE, "survey"),
    post("surveys:status", MANAGE, "survey", form=lambda w: {"status": "closed"}),
    get("surveys:version", MANAGE, "survey", "1"),
]

RESPONSES = [
    get("surveys:responses", VIEW, lists=True),
    # A part of her answer: the page shows the search again, and must show nothing else.
    get("surveys:responses", VIEW, query=f"q={SOFIA_ANSWER[6:]}", lists=True),
    get("surveys:response", VIEW, "response", about_sofia=True),
    get("surveys:export_csv", EXPORT, query="survey={survey}", lists=True),
    get("surveys:export_xlsx", EXPORT, query="survey={survey}", lists=True),
]

DISTRIBUTION = [
    get("surveys:distribution", MANAGE, "survey"),
    post("surveys:distribution", MANAGE, "survey", form=_campaign),
    get("surveys:audience_count", MANAGE, "survey", query="audience_unit={sevilla}"),
    get("surveys:trigger_create", MANAGE, "survey"),
    post("surveys:trigger_create", MANAGE, "survey", form=_trigger),
    get("surveys:distribution_detail", MANAGE, "campaign", lists=True),
    get("surveys:distribution_edit", MANAGE, "draft"),
    post("surveys:distribution_edit", MANAGE, "draft", form=_campaign),
    post("surveys:distribution_send", MANAGE, "draft"),
    post("surveys:distribution_cancel", MANAGE, "campaign"),
    post("surveys:distribution_retry", MANAGE, "campaign"),
    post("surveys:distribution_delete", MANAGE, "draft"),
    get("surveys:triggers", MANAGE),
    get("surveys:trigger_edit", MANAGE, "rule"),
    post("surveys:trigger_edit", MANAGE, "rule", form=_trigger),
    post("surveys:trigger_toggle", MANAGE, "rule"),
    get("surveys:contact_policy", MANAGE),
    post("surveys:contact_policy", MANAGE, form=lambda w: {"fatigue_days": "15"}),
    # SMS providers call it with no session: their signature is the only authority, and an
    # unsigned report is refused (403) whoever sends it. Signed reports: sending tests.
    post("surveys:sms_status", PUBLIC, "twilio", ok=(403,)),
    post("surveys:sms_status", PUBLIC, "webhook", ok=(403,)),
]

ENTRY = [
    get("surveys:entry", ENTER),
    get("surveys:entry", ENTER, query="customer={sofia}", about_sofia=True),
    # Sevilla is not among an outsider's units: the form refuses it (400) and names nobody.
    get(
        "surveys:entry",
        ENTER,
        query="survey={survey}&collector=phone&unit={sevilla}",
        about_sofia=True,
        outsider=(400,),
    ),
    get("surveys:entry_customers", ENTER, query="q=Sofía", lists=True),
    get("surveys:entry_customers", ENTER, query="q=655 000 111", lists=True),
    get("surveys:entry_interview", ENTER, "survey", query=INTERVIEW, about_sofia=True),
    post("surveys:entry_interview", ENTER, "survey", form=_interview, about_sofia=True),
    get("surveys:entry_done", ENTER, "response", about_sofia=True),
    get("surveys:kiosk", ENTER, "survey"),
    get("surveys:kiosk", ENTER, "survey", query="unit={sevilla}", about_sofia=True),
    get("surveys:qr_svg", MANAGE, "survey", "sevilla"),
    get("surveys:qr_png", MANAGE, "survey", "sevilla"),
    get("surveys:poster", MANAGE, "survey", "sevilla"),
    get("surveys:posters", MANAGE, "survey"),
]

RESPONDENT = [
    get("respond:survey", PUBLIC, "slug"),
    get("respond:survey", PUBLIC, "slug", query="u={qr}"),
    get("respond:survey", PUBLIC, "slug", query="preview=1"),
    post("respond:survey", PUBLIC, "slug", form=_answers(_key="matriz-publica")),
    get("respond:invitation", PUBLIC, "token"),
    post("respond:invitation", PUBLIC, "token", form=_answers()),
    get("respond:opened", PUBLIC, "token"),
    get("respond:unsubscribe", PUBLIC, "token"),
    post("respond:unsubscribe", PUBLIC, "token", form=lambda w: {"List-Unsubscribe": "One-Click"}),
    get("respond:widget_script", PUBLIC, "slug"),
    get("respond:kiosk", PUBLIC, "kiosk"),
    post("respond:kiosk", PUBLIC, "kiosk", form=_answers(_key="matriz-quiosco")),
]

PAGES = BUILDER + RESPONSES + DISTRIBUTION + ENTRY + RESPONDENT
