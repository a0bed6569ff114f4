"""Editing the topic taxonomy, and the filters of the insights page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.queries import units_in_scope
from vinculo.lib.forms import date_input
from vinculo.textan.engine.topics import RuleError, compile_term
from vinculo.textan.insights import DIMENSIONS, Kind
from vinculo.textan.models import Topic
from vinculo.textan.queries import topic_paths, topic_subtree


class TopicForm(forms.ModelForm[Topic]):
    class Meta:
        model = Topic
        fields = ["name", "parent", "terms", "excluded_terms", "active"]
        widgets = {
            "terms": forms.Textarea(attrs={"rows": 8}),
            "excluded_terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A topic cannot be moved under itself or one of its own subtopics.
        barred = topic_subtree(self.instance.pk) if self.instance.pk else set()
        allowed = [(pk, path) for pk, path in topic_paths().items() if pk not in barred]
        choices = [("", "—"), *sorted(allowed, key=lambda kv: kv[1])]
        self.fields["parent"].choices = choices  # type: ignore[attr-defined]

    def _clean_terms(self, name: str) -> str:
        text: str = self.cleaned_data.get(name, "")
        problems = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    compile_term(line.strip(), None)
                except RuleError as error:
                    problems.append(
                        _("Line %(line)s: %(error)s") % {"line": number, "error": error}
                    )
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean_terms(self) -> str:
        return self._clean_terms("terms")

    def clean_excluded_terms(self) -> str:
        return self._clean_terms("excluded_terms")


class InsightFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    kind = forms.ChoiceField(
        label=_("Texts"),
        required=False,
        choices=[
            (Kind.ALL, _("Feedback and survey comments")),
            (Kind.FEEDBACK, _("Feedback")),
            (Kind.ANSWERS, _("Survey comments")),
        ],
    )
    since = forms.DateField(label=_("From"), required=False, widget=date_input())
    until = forms.DateField(label=_("To"), required=False, widget=date_input())
    by = forms.ChoiceField(
        label=_("Break down by"),
        required=False,
        choices=[
            ("unit", _("Unit")),
            ("channel", _("Channel")),
            ("touchpoint", _("Touchpoint")),
            ("stage", _("Journey stage")),
        ],
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(actor)  # type: ignore[attr-defined]

    def dimension(self) -> str:
        self.is_valid()
        chosen = self.cleaned_data.get("by") or "unit"
        return chosen if chosen in DIMENSIONS else "unit"


class SuggestionForm(forms.Form):
    """Accepting a suggested topic: its name, terms and parent as the analyst wants them."""

    name = forms.CharField(label=_("Name"), max_length=80)
    terms = forms.CharField(
        label=_("Terms"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One word or phrase per line."),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent topic"), queryset=Topic.objects.all(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *sorted(topic_paths().items(), key=lambda kv: kv[1])]
        self.fields["parent"].choices = choices  # type: ignore[attr-defined]

    def clean_terms(self) -> str:
        text: str = self.cleaned_data.get("terms", "")
        problems = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    compile_term(line.strip(), None)
                except RuleError as error:
                    problems.append(
                        _("Line %(line)s: %(error)s") % {"line": number, "error": error}
                    )
        if problems:
            raise forms.ValidationError(problems)
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, parent = data.get("name"), data.get("parent")
        if name and Topic.objects.filter(name=name, parent=parent).exists():
            self.add_error("name", _("A topic with this name already exists there."))
        return data
