"""The matrix rows of feedback: /api/v1/feedback/...

Sofía's review of Sevilla is the item "about Sofía": people and keys outside Sur get 404
for it and never find it in a list; filing an item for Sevilla is refused to them with
the 422 that names the unit (the answer for a unit that does not exist).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import A, Endpoint, World
from vinculo.accounts.tests.matrix_survey_api import op
from vinculo.accounts.tests.matrix_survey_pages import get, post
from vinculo.customers.models import Customer
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.testing import filed
from vinculo.metrics.models import MetricPolicy
from vinculo.test import Org
from vinculo.textan.models import ScoringJob, Topic, TopicSuggestion
from vinculo.textan.services import FEEDBACK as FEEDBACK_TEXTS
from vinculo.textan.services import write_analyses

F = f"{A}/feedback"
VIEW, ADD, TOPICS = Perm.VIEW_FEEDBACK, Perm.ADD_FEEDBACK, Perm.MANAGE_TOPICS
EXPORT = Perm.EXPORT_FEEDBACK


def sofias_review(org: Org, sofia: Customer) -> FeedbackItem:
    Topic.objects.create(name="Matriz", terms="tienda")
    text = "Soy Sofía Sevilla: me atendieron fatal en la tienda."
    item = filed(org.sevilla, text, "SOFIA-REVIEW-1", customer=sofia)
    # A pending suggested topic whose example is her review: read only by who sees her.
    write_analyses(FEEDBACK_TEXTS, [item.pk])
    TopicSuggestion.objects.create(
        name="Sugerida",
        terms="atendieron",
        size=8,
        examples=[{"analysis": item.analysis.pk, "excerpt": item.text}],
    )
    return item


def _item(w: World) -> dict[str, Any]:
    return {"source": "complaint", "unit": "sevilla-nervion", "text": "La tienda estaba cerrada"}


API: list[Endpoint] = [
    op("get", F, VIEW, lists=True),
    op("get", f"{F}/export", EXPORT, lists=True),
    op("get", f"{F}/export", EXPORT, f"{F}/export?format=xlsx", lists=True),
    op(
        "get",
        f"{F}/export",
        EXPORT,
        f"{F}/export?unit=sevilla-nervion",
        about_sofia=True,
        outsider=(422,),
    ),
    op("post", F, ADD, body=_item, about_sofia=True, outsider=(422,)),
    op(
        "post",
        f"{F}/batch",
        ADD,
        body=lambda w: {"items": [_item(w)]},
        about_sofia=True,
        outsider=(422,),
    ),
    op("get", f"{F}/{{item_id}}", VIEW, f"{F}/{{feedback}}", about_sofia=True),
    op(
        "post",
        f"{F}/{{item_id}}/customer",
        ADD,
        f"{F}/{{feedback}}/customer",
        body=lambda w: {"customer_id": w.sofia_id},
        about_sofia=True,
    ),
]


T = f"{A}/texts"


def _suggestion(w: World) -> int:
    return TopicSuggestion.objects.get(name="Sugerida").pk


def _matrix_topic(w: World) -> str:
    return f"{T}/topics/{Topic.objects.get(name='Matriz').pk}"


def _every_term_shown(address: str) -> Callable[[World], str]:
    """``address`` (a path, or a page's URL name), with the minimum sample set to 1 before
    it is called: the words of Sofía's one review ("Sofía Sevilla") are then listed to
    whoever may read it, and the matrix checks that nobody else finds them."""

    def url(w: World) -> str:
        MetricPolicy.objects.update_or_create(pk=1, defaults={"min_sample": 1})
        return address if address.startswith("/") else reverse(address)

    return url


TEXTS_API: list[Endpoint] = [
    op("post", f"{T}/analyze", VIEW, body=lambda w: {"text": "Una vergüenza de servicio"}),
    op("get", f"{T}/insights", VIEW, lists=True),
    op(
        "get",
        f"{T}/insights",
        VIEW,
        f"{T}/insights?unit=sevilla-nervion",
        about_sofia=True,
        outsider=(422,),
    ),
    op("get", f"{T}/breakdown", VIEW, f"{T}/breakdown?by=stage", lists=True),
    op("get", f"{T}/trend", VIEW, lists=True),
    Endpoint(f"GET {T}/words", "get", _every_term_shown(f"{T}/words"), VIEW, lists=True),
    op(
        "get",
        f"{T}/words",
        VIEW,
        f"{T}/words?unit=sevilla-nervion",
        about_sofia=True,
        outsider=(422,),
    ),
    op("get", f"{T}/topics", VIEW, lists=True),
    op("post", f"{T}/topics", TOPICS, body=lambda w: {"name": "Nuevo", "terms": ["nuevo"]}),
    Endpoint(
        f"PUT {T}/topics/{{topic_id}}",
        "put",
        _matrix_topic,
        TOPICS,
        data=lambda w: {"name": "Matriz", "terms": ["tienda", "local"]},
    ),
    op("post", f"{T}/rerun", TOPICS),
    op("get", f"{T}/suggestions", VIEW, lists=True),
    op("post", f"{T}/suggestions/discover", TOPICS),
    Endpoint(
        f"POST {T}/suggestions/{{suggestion_id}}/accept",
        "post",
        lambda w: f"{T}/suggestions/{_suggestion(w)}/accept",
        TOPICS,
        data=lambda w: {"name": "Atención", "terms": ["atendieron"]},
    ),
    Endpoint(
        f"POST {T}/suggestions/{{suggestion_id}}/reject",
        "post",
        lambda w: f"{T}/suggestions/{_suggestion(w)}/reject",
        TOPICS,
    ),
]


def _topic_edit(w: World) -> str:
    return reverse("textan:topic_edit", args=[Topic.objects.get(name="Matriz").pk])


PAGES: list[Endpoint] = [
    get("feedback:inbox", VIEW, lists=True),
    get("feedback:export_csv", EXPORT, lists=True),
    get("feedback:export_csv", EXPORT, query="q=Sofía", lists=True),
    get("feedback:export_xlsx", EXPORT, lists=True),
    get("feedback:item", VIEW, "feedback", about_sofia=True),
    get("textan:insights", VIEW, lists=True),
    Endpoint("textan:words", "get", _every_term_shown("textan:words"), VIEW, lists=True),
    get("textan:topics", TOPICS),
    get("textan:topic_new", TOPICS),
    post(
        "textan:topic_new", TOPICS, form=lambda w: {"name": "Nuevo", "terms": "x", "active": "on"}
    ),
    Endpoint("textan:topic_edit", "get", _topic_edit, TOPICS),
    post("textan:rerun", TOPICS),
    post("textan:suggestions_discover", TOPICS),
    Endpoint(
        "textan:suggestion_accept",
        "post",
        lambda w: reverse("textan:suggestion_accept", args=[_suggestion(w)]),
        TOPICS,
        data=lambda w: {
            f"s{_suggestion(w)}-name": "Atención",
            f"s{_suggestion(w)}-terms": "atendieron",
        },
        json=False,
    ),
    Endpoint(
        "textan:suggestion_reject",
        "post",
        lambda w: reverse("textan:suggestion_reject", args=[_suggestion(w)]),
        TOPICS,
        json=False,
    ),
]


# File scoring (/texts/score/, /api/v1/texts/score): a person sees only the jobs they
# started, so the job these rows ask for is Bruno's and others allowed to score get 404.
SCORE = Perm.SCORE_TEXTS


def _brunos_job(w: World) -> int:
    job, _created = ScoringJob.objects.get_or_create(
        original_name="matriz.csv",
        created_by=w.people.bruno,
        defaults={"file": "scoring/in/matriz.csv", "actor_label": "bruno"},
    )
    return job.pk


def _texts_file(w: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("textos.csv", "text\nMuy buena atención\n".encode())}


def _scoring_page(name: str) -> Endpoint:
    url = lambda w: reverse(name, args=[_brunos_job(w)])  # noqa: E731
    return Endpoint(name, "get", url, SCORE, extra_ok=(404,))


PAGES += [
    get("textan:scoring", SCORE),
    post("textan:scoring", SCORE, form=_texts_file),
    _scoring_page("textan:scoring_job"),
    _scoring_page("textan:scoring_download"),
]
TEXTS_API += [
    op("get", f"{T}/score", SCORE),
    op("post", f"{T}/score", SCORE, body=_texts_file, json=False),
    Endpoint(
        f"GET {T}/score/{{job_id}}",
        "get",
        lambda w: f"{T}/score/{_brunos_job(w)}",
        SCORE,
        extra_ok=(404,),
    ),
    Endpoint(
        f"GET {T}/score/{{job_id}}/download",
        "get",
        lambda w: f"{T}/score/{_brunos_job(w)}/download",
        SCORE,
        extra_ok=(404,),
    ),
]
