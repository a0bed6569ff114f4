"""Labels of the codes a case's activity log stores (a status, a priority)."""

from django import template

from vinculo.cases.choices import Priority, Status

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


@register.filter
def priority_label(value: str) -> str:
    return str(Priority(value).label) if value in Priority.values else value
