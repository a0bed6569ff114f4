"""Timeline rows for survey facts: a completed response writes one Interaction."""

from __future__ import annotations

from typing import Any

from vinculo.journeys.models import InteractionType
from vinculo.journeys.services import record_interaction
from vinculo.surveys.choices import QuestionKind
from vinculo.surveys.models import Answer, Response

SOURCE = "surveys"
RESPONSE_KIND = "survey_response"
RESPONSE_TYPE = "survey_response"
# The scores a timeline row shows without opening the response.
HEADLINE_KINDS = (
    QuestionKind.NPS,
    QuestionKind.CSAT,
    QuestionKind.CES,
    QuestionKind.ENPS,
    QuestionKind.RATING,
)


def headline(response: Response) -> dict[str, Any]:
    """The survey name and the response's scores, keyed by question key."""
    scores = {
        answer.question.key: answer.number
        for answer in Answer.objects.filter(
            response=response, question__kind__in=HEADLINE_KINDS, row=""
        ).select_related("question")
    }
    return {"survey": response.survey.name, **scores}


def record_response_on_timeline(response: Response) -> None:
    """One timeline row per completed response of a known customer; a retry adds nothing."""
    if response.customer_id is None or response.completed_at is None:
        return
    interaction_type = InteractionType.objects.get(code=RESPONSE_TYPE)
    touchpoint = response.touchpoint
    record_interaction(
        customer=response.customer,  # type: ignore[arg-type]
        channel=response.channel,
        interaction_type=interaction_type,
        stage=touchpoint.stage if touchpoint is not None else None,
        unit=response.unit,
        occurred_at=response.completed_at,
        source=SOURCE,
        external_id=f"response-{response.pk}",
        attributes=headline(response),
        record_kind=RESPONSE_KIND,
        record_id=response.pk,
    )


def _timeline_row(response_id: int) -> Any:
    from vinculo.journeys.models import Interaction

    return Interaction.objects.filter(source=SOURCE, external_id=f"response-{response_id}")


def refresh_response_on_timeline(response: Response) -> None:
    """After a correction: the timeline row shows the new scores and unit."""
    _timeline_row(response.pk).update(attributes=headline(response), unit_id=response.unit_id)


def remove_response_from_timeline(response_id: int) -> None:
    """After a deletion: the response leaves the customer's timeline too."""
    _timeline_row(response_id).delete()
