"""Personal data rights: export everything held about a customer, and erase it.

Erasure removes what identifies the person (identities, name, free attributes, the merge
snapshots that copied them, what they wrote in feedback and survey answers) and keeps the
anonymous facts (interactions, lifecycle stage, home unit, scores, what the text analysis
found), so figures computed before and after do not jump. It is audited by a
``CustomerErasure`` that names the customer only by id.
"""

from typing import Any

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.customers.models import Customer, CustomerErasure, CustomerMerge, Identity
from vinculo.feedback.models import FeedbackItem
from vinculo.journeys.models import Interaction
from vinculo.lib.locks import lock_identities
from vinculo.surveys.corrections import snapshot
from vinculo.surveys.models import Answer, Question, Response, ResponseChange
from vinculo.surveys.questions import TEXT_KINDS
from vinculo.textan.models import TextAnalysis, TextTopic
from vinculo.textan.services import ERASED

EXPORT_FORMAT = "vinculo.customer-export/1"


def export_customer(customer: Customer) -> dict[str, Any]:
    """Everything held about a live customer, as plain JSON-ready data."""
    tombstones = list(Customer.objects.filter(merged_into=customer).values_list("pk", flat=True))
    interactions = (
        Interaction.objects.filter(customer=customer)
        .select_related(
            "touchpoint__channel", "touchpoint__interaction_type", "touchpoint__stage", "unit"
        )
        .order_by("occurred_at", "id")
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "customer": {
            "id": customer.pk,
            "former_ids": tombstones,
            "name": customer.name,
            "lifecycle_stage": customer.lifecycle_stage,
            "segment": customer.segment,
            "plan": customer.plan,
            "value_tier": customer.value_tier,
            "language": customer.language,
            "consents": customer.consents,
            "home_unit": customer.home_unit.code if customer.home_unit else None,
            "attributes": customer.attributes,
            "created_at": customer.created_at.isoformat(),
            "updated_at": customer.updated_at.isoformat(),
            "erased_at": customer.erased_at.isoformat() if customer.erased_at else None,
        },
        "identities": [
            {
                "kind": i.kind,
                "value": i.value,
                "source": i.source,
                "since": i.created_at.isoformat(),
            }
            for i in customer.identities.order_by("kind", "value")
        ],
        "interactions": [
            {
                "occurred_at": i.occurred_at.isoformat(),
                "channel": i.touchpoint.channel.code,
                "interaction_type": i.touchpoint.interaction_type.code,
                "stage": i.touchpoint.stage.code,
                "unit": i.unit.code,
                "amount": str(i.amount) if i.amount is not None else None,
                "currency": i.currency,
                "attributes": i.attributes,
                "source": i.source,
                "external_id": i.external_id,
            }
            for i in interactions.iterator(chunk_size=2000)
        ],
        "feedback": [
            {
                "written_at": f.occurred_at.isoformat(),
                "source": f.source,
                "site": f.site,
                "unit": f.unit.code,
                "rating": f"{f.rating}/{f.rating_max}" if f.rating is not None else None,
                "title": f.title,
                "text": f.text,
                "author": f.author,
                "contact": f.contact,
            }
            for f in FeedbackItem.objects.filter(customer=customer)
            .select_related("unit")
            .order_by("occurred_at", "id")
        ],
        "responses": [
            {
                "survey": r.survey.name,
                "status": r.status,
                "started_at": r.started_at.isoformat(),
                "completed_at": r.completed_at.isoformat() if r.completed_at else None,
                "unit": r.unit.code,
                "channel": r.channel.code,
                "language": r.language,
                "answers": snapshot(r)["answers"],
            }
            for r in Response.objects.filter(customer=customer)
            .select_related("survey", "unit", "channel")
            .order_by("started_at", "id")
        ],
        "merges": [
            {"merged_id": m.merged_id, "at": m.created_at.isoformat(), "by": m.actor_label}
            for m in CustomerMerge.objects.filter(survivor=customer).order_by("created_at")
        ],
    }


@transaction.atomic
def erase_customer(*, customer_id: int, actor: Actor, reason: str) -> CustomerErasure:
    """Erases the personal data of a live customer and of the customers merged into it."""
    lock_identities()
    customer = Customer.objects.select_for_update().get(pk=customer_id, merged_into__isnull=True)
    related = [
        customer.pk,
        *Customer.objects.filter(merged_into=customer).values_list("pk", flat=True),
    ]
    identities_deleted, _detail = Identity.objects.filter(customer_id__in=related).delete()
    scrubbed = (
        Interaction.objects.filter(customer_id__in=related)
        .exclude(attributes={})
        .update(attributes={})
    )
    CustomerMerge.objects.filter(merged_id__in=related).update(snapshot={"erased": True})
    # What they wrote unasked goes; what it said (sentiment, emotions, topics) stays, as
    # the anonymous facts do, without the evidence that pointed into the text.
    written = FeedbackItem.objects.filter(customer_id__in=related)
    TextAnalysis.objects.filter(feedback__in=written).update(evidence=[], text_digest=ERASED)
    TextTopic.objects.filter(analysis__feedback__in=written).update(start=0, end=0)
    written.update(
        text="", title="", author="", contact={}, attributes={}, updated_at=timezone.now()
    )
    _erase_written_answers(related)
    # Keys made from a row's content ("nk:" + a hash of identities and facts) could be
    # matched against guessed phones; rows keep a unique key that reveals nothing.
    Interaction.objects.filter(customer_id__in=related, external_id__startswith="nk:").update(
        external_id=Concat(Value("erased:"), Cast("id", output_field=CharField()))
    )
    now = timezone.now()
    Customer.objects.filter(pk__in=related).update(
        name="",
        name_folded="",
        segment="",
        plan="",
        value_tier="",
        consents={},
        attributes={},
        erased_at=now,
        updated_at=now,
    )
    return CustomerErasure.objects.create(
        customer=customer,
        actor_id=actor.user_id,
        actor_label=actor.label,
        reason=reason,
        identities_deleted=identities_deleted,
        interactions_scrubbed=scrubbed,
    )


def _erase_written_answers(customer_ids: list[int]) -> None:
    """What they typed into surveys (free text, e-mail, phone) goes, here and in the audit
    of corrections; scores, choices and what the text analysis found stay."""
    typed = Answer.objects.filter(
        response__customer_id__in=customer_ids, question__kind__in=TEXT_KINDS
    ).exclude(text="")
    TextAnalysis.objects.filter(answer__in=typed).update(evidence=[], text_digest=ERASED)
    TextTopic.objects.filter(analysis__answer__in=typed).update(start=0, end=0)
    typed.update(text="", updated_at=timezone.now())
    for change in ResponseChange.objects.filter(before__customer__in=customer_ids):
        keys = set(
            Question.objects.filter(
                version__survey_id=change.survey_id, kind__in=TEXT_KINDS
            ).values_list("key", flat=True)
        )
        answers = change.before.get("answers", {})
        change.before["answers"] = {
            key: "" if key.split(".")[0] in keys else value for key, value in answers.items()
        }
        change.save(update_fields=["before", "updated_at"])
