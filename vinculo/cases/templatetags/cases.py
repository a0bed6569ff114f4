"""Labels of the codes a case's activity log and timeline rows store (a status, a priority,
how a contact went)."""

from django import template

from vinculo.cases.choices import ContactOutcome, Priority, Status

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


@register.filter
def priority_label(value: str) -> str:
    return str(Priority(value).label) if value in Priority.values else value


@register.filter
def outcome_label(value: str) -> str:
    return str(ContactOutcome(value).label) if value in ContactOutcome.values else value
