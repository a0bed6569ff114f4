"""Forms of the survey builder and the responses list. They validate and translate between
what a person types and the definition document; ``services.save_draft`` checks the rest.

Options and matrix statements are typed one per line as ``code | Español | English`` (the
survey's languages in order): fast to write, paste from a spreadsheet and review.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.queries import units_in_scope
from vinculo.customers.choices import ConsentChannel, LifecycleStage
from vinculo.journeys.models import Channel, InteractionType, JourneyStage, Touchpoint
from vinculo.lib.forms import date_input
from vinculo.surveys.builder_fields import (
    LANGUAGE_NAMES,
    condition_fields,
    condition_initial,
    condition_subjects,
    options_text,
    parse_options,
    read_condition,
)
from vinculo.surveys.choices import Collector, QuestionKind, ResponseStatus, SurveyKind
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.definition import KEY_PATTERN, QuestionDef
from vinculo.surveys.models import Survey
from vinculo.surveys.queries import NPS_GROUPS, ResponseFilter

CONSENT_CHANNELS = ["email", "sms", "phone", "whatsapp", "post", "surveys"]


class SurveySettingsForm(forms.Form):
    """Create a survey or change its settings: what it is, where answers land, languages."""

    name = forms.CharField(label=_("Name"), max_length=150)
    slug = forms.SlugField(
        label=_("Link name"),
        max_length=60,
        help_text=_("Part of the public link: /s/link-name/"),
        error_messages={
            "invalid": _(
                "Use only letters without accents, digits and hyphens, e.g. visita-tienda."
            )
        },
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyKind.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"), queryset=Touchpoint.objects.order_by("name"), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    default_language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
    public_link = forms.BooleanField(
        label=_("Public link open: anyone with the link or the QR code can answer"), required=False
    )

    def __init__(self, *args: Any, actor: Actor, survey: Survey | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.survey = survey
        self.fields["unit"].queryset = units_in_scope(actor)  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, survey: Survey) -> dict[str, Any]:
        names = ("name", "slug", "kind", "unit", "touchpoint", "languages", "default_language")
        return {name: getattr(survey, name) for name in names} | {"public_link": survey.public_link}

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        taken = Survey.objects.filter(slug=slug)
        if self.survey is not None:
            taken = taken.exclude(pk=self.survey.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another survey already uses this link name."))
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        languages, default = cleaned.get("languages"), cleaned.get("default_language")
        if languages and default and default not in languages:
            self.add_error(
                "default_language", _("The default language must be one of its languages.")
            )
        return cleaned


class TextsForm(forms.Form):
    """Title, introduction and thank-you message, one field per survey language."""

    PARTS = (
        ("title", _("Title"), False),
        ("intro", _("Introduction"), True),
        ("thank_you", _("Thank-you message"), True),
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        for part, label, long in self.PARTS:
            for lang in languages:
                widget = forms.Textarea(attrs={"rows": 2}) if long else forms.TextInput()
                self.fields[f"{part}_{lang}"] = forms.CharField(
                    label=f"{label} ({LANGUAGE_NAMES.get(lang, lang)})",
                    required=False,
                    max_length=2000,
                    widget=widget,
                )

    @classmethod
    def initial_of(cls, definition: Any) -> dict[str, str]:
        return {
            f"{part}_{lang}": text
            for part, _label, _long in cls.PARTS
            for lang, text in getattr(definition, part).items()
        }

    def texts(self) -> dict[str, dict[str, str]]:
        """``{"title": {"es": ...}, ...}`` from the valid form; empty texts are left out."""
        return {
            part: {
                lang: self.cleaned_data[f"{part}_{lang}"].strip()
                for lang in self.languages
                if self.cleaned_data[f"{part}_{lang}"].strip()
            }
            for part, _label, _long in self.PARTS
        }


class QuestionForm(forms.Form):
    """One question: kind, key, page, texts per language, options, settings, display logic.

    Fields of other kinds are ignored (the page hides them); settings a form does not know,
    e.g. set through the API, are kept.
    """

    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    key = forms.RegexField(
        label=_("Key"),
        regex=KEY_PATTERN,
        max_length=40,
        help_text=_(
            "Lower case, digits and _, e.g. nps. Keep it across versions: reports compare by key."
        ),
        error_messages={"invalid": _("Start with a letter; use only a-z, 0-9 and _.")},
    )
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=50, initial=1)
    required = forms.BooleanField(label=_("Required"), required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    rows = forms.CharField(
        label=_("Statements (matrix rows)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    rating_min = forms.IntegerField(
        label=_("Lowest value"), required=False, min_value=0, max_value=10
    )
    rating_max = forms.IntegerField(
        label=_("Highest value"), required=False, min_value=1, max_value=10
    )
    rating_style = forms.ChoiceField(
        label=_("Shown as"),
        choices=[("stars", _("Stars")), ("numbers", _("Numbers"))],
        required=False,
    )
    max_choices = forms.IntegerField(
        label=_("At most this many choices"), required=False, min_value=1
    )
    max_length = forms.IntegerField(
        label=_("Maximum length"), required=False, min_value=1, max_value=5000
    )
    identifies = forms.BooleanField(
        label=_("Identifies the respondent (links the answer to the customer)"), required=False
    )
    consent_channel = forms.ChoiceField(
        label=_("Consent for channel"),
        required=False,
        choices=[("", "—"), *((c.value, c.label) for c in ConsentChannel if c in CONSENT_CHANNELS)],
    )

    SETTINGS = ("min", "max", "style", "max_choices", "max_length", "identifies", "channel")

    def __init__(
        self,
        *args: Any,
        languages: list[str],
        earlier: list[QuestionDef],
        current: QuestionDef | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.languages, self.earlier, self.current = languages, earlier, current
        for lang in languages:
            name = LANGUAGE_NAMES.get(lang, lang)
            self.fields[f"text_{lang}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"help_{lang}"] = forms.CharField(
                label=_("Help text (%(language)s)") % {"language": name},
                required=False,
                max_length=2000,
            )
        self.fields.update(condition_fields(condition_subjects(earlier)))
        example = " | ".join(["code", *(str(LANGUAGE_NAMES.get(lang, lang)) for lang in languages)])
        self.fields["options"].help_text = _("One per line: %(example)s") % {"example": example}
        self.fields["rows"].help_text = self.fields["options"].help_text

    @property
    def text_fields(self) -> list[forms.BoundField]:
        """The question's text and help text in each language, for the template."""
        return [self[f"{part}_{lang}"] for lang in self.languages for part in ("text", "help")]

    @classmethod
    def initial_of(cls, question: QuestionDef, languages: list[str]) -> dict[str, Any]:
        found = question.settings
        initial = {
            "kind": question.kind,
            "key": question.key,
            "page": question.page,
            "required": question.required,
            "options": options_text(question.options, languages),
            "rows": options_text(question.rows, languages),
            "rating_min": found.get("min"),
            "rating_max": found.get("max"),
            "rating_style": found.get("style", "stars"),
            "max_choices": found.get("max_choices"),
            "max_length": found.get("max_length"),
            "identifies": found.get("identifies", False),
            "consent_channel": found.get("channel", ""),
            **condition_initial(question.show_if),
        }
        for lang in languages:
            initial[f"text_{lang}"] = question.text.get(lang, "")
            initial[f"help_{lang}"] = question.help_text.get(lang, "")
        return initial

    def clean_options(self) -> list[dict[str, Any]]:
        return parse_options(self.cleaned_data["options"], self.languages)

    def clean_rows(self) -> list[dict[str, Any]]:
        return parse_options(self.cleaned_data["rows"], self.languages)

    def question(self) -> QuestionDef | None:
        """The question the valid form describes; None (errors added) when it cannot be read."""
        kinds = {q.key: q.kind for q in self.earlier}
        show_if = read_condition(self, kinds)
        if self.errors:
            return None
        data, kind = self.cleaned_data, self.cleaned_data["kind"]
        texts = {lang: data[f"text_{lang}"].strip() for lang in self.languages}
        helps = {lang: data[f"help_{lang}"].strip() for lang in self.languages}
        keeps_options = kind in (
            K.SINGLE_CHOICE,
            K.MULTIPLE_CHOICE,
            K.DROPDOWN,
            K.RANKING,
            K.MATRIX,
        )
        return QuestionDef.model_validate(
            {
                "key": data["key"],
                "kind": kind,
                "page": data["page"],
                "required": data["required"],
                "text": {lang: text for lang, text in texts.items() if text},
                "help_text": {lang: text for lang, text in helps.items() if text},
                "options": data["options"] if keeps_options else [],
                "rows": data["rows"] if kind == K.MATRIX else [],
                "settings": self._settings(kind),
                "show_if": show_if,
            }
        )

    def _settings(self, kind: str) -> dict[str, Any]:
        data = self.cleaned_data
        kept = {
            k: v
            for k, v in (self.current.settings if self.current else {}).items()
            if k not in self.SETTINGS
        }
        if kind == K.RATING:
            kept |= {
                "min": data["rating_min"] if data["rating_min"] is not None else 1,
                "max": data["rating_max"] if data["rating_max"] is not None else 5,
                "style": data["rating_style"] or "stars",
            }
        elif kind == K.MULTIPLE_CHOICE and data["max_choices"]:
            kept["max_choices"] = data["max_choices"]
        elif kind in (K.SHORT_TEXT, K.LONG_TEXT) and data["max_length"]:
            kept["max_length"] = data["max_length"]
        elif kind in (K.EMAIL, K.PHONE):
            kept["identifies"] = data["identifies"]
        elif kind == K.CONSENT and data["consent_channel"]:
            kept["channel"] = data["consent_channel"]
        return kept


class SkipRuleForm(forms.Form):
    """After a page, when a condition holds, go to a later page or end the survey."""

    prefix = "skip"  # its condition fields share names with the question form's

    after_page = forms.IntegerField(label=_("After page"), min_value=1, max_value=50)
    goto = forms.RegexField(
        label=_("Go to page (or “end”)"),
        regex=r"^(\d{1,2}|end)$",
        error_messages={"invalid": _("A page number, or “end”.")},
    )

    def __init__(self, *args: Any, questions: list[QuestionDef], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields.update(condition_fields(condition_subjects(questions)))
        self.fields["cond_subject"].required = True
        self.order_fields(["after_page", "cond_subject", "cond_attribute", "cond_op", "cond_value"])

    def rule(self) -> dict[str, Any] | None:
        when = read_condition(self, {q.key: q.kind for q in self.questions})
        if self.errors or when is None:
            return None
        goto = self.cleaned_data["goto"]
        return {
            "after_page": self.cleaned_data["after_page"],
            "when": when,
            "goto": "end" if goto == "end" else int(goto),
        }


class ResponseFilterForm(forms.Form):
    """Filters of the responses list, read from the query string (GET)."""

    survey = forms.ModelChoiceField(
        label=_("Survey"),
        queryset=Survey.objects.order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ResponseStatus.choices], required=False
    )
    collector = forms.ChoiceField(
        label=_("Collected by"), choices=[("", _("All")), *Collector.choices], required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=date_input())
    until = forms.DateField(label=_("To"), required=False, widget=date_input())
    nps_group = forms.ChoiceField(
        label=_("NPS group"),
        required=False,
        choices=[
            ("", _("All")),
            ("promoter", _("Promoters (9-10)")),
            ("passive", _("Passives (7-8)")),
            ("detractor", _("Detractors (0-6)")),
        ],
    )
    customer = forms.ChoiceField(
        label=_("Customer"),
        required=False,
        choices=[("", _("All")), ("known", _("Known")), ("anonymous", _("Anonymous"))],
    )
    q = forms.CharField(label=_("Text in answers"), required=False, max_length=200)
    # Set by a figure's drill-down link (the dashboard), not typed: kept in the URL.
    touchpoint = forms.IntegerField(label=_("Touchpoint"), required=False, widget=forms.HiddenInput)
    interaction_type = forms.SlugField(
        label=_("Interaction type"), required=False, max_length=40, widget=forms.HiddenInput
    )
    stage = forms.SlugField(
        label=_("Journey stage"), required=False, max_length=40, widget=forms.HiddenInput
    )
    segment = forms.CharField(
        label=_("Customer segment"), required=False, max_length=60, widget=forms.HiddenInput
    )
    lifecycle = forms.CharField(
        label=_("Lifecycle stage"), required=False, max_length=20, widget=forms.HiddenInput
    )
    score = forms.RegexField(
        label=_("Score"),
        regex=r"^(nps|enps|csat|ces|rating):\d{1,2}-\d{1,2}$",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(actor)  # type: ignore[attr-defined]
        channels = Channel.objects.order_by("name").values_list("code", "name")
        self.fields["channel"].choices = [("", _("All")), *channels]  # type: ignore[attr-defined]

    def drill_filters(self) -> list[tuple[str, str]]:
        """The filters a figure's drill-down set and the page has no field for, in words."""
        self.is_valid()
        data = self.cleaned_data
        shown: list[tuple[str, str]] = []
        # Names are looked up only for the filters set: the list page stays at its queries.
        lookups: dict[str, Any] = {
            "touchpoint": lambda v: Touchpoint.objects.filter(pk=v).values_list("name", flat=True),
            "interaction_type": lambda v: InteractionType.objects.filter(code=v).values_list(
                "name", flat=True
            ),
            "stage": lambda v: JourneyStage.objects.filter(code=v).values_list("name", flat=True),
            "lifecycle": lambda v: [dict(LifecycleStage.choices).get(v, v)],
            "segment": lambda v: [v],
        }
        for name, lookup in lookups.items():
            value = data.get(name)
            if value not in (None, ""):
                text = next(iter(lookup(value)), value)
                shown.append((str(self.fields[name].label), str(text)))
        score = score_range(data.get("score") or "")
        if score is not None:
            kind, low, high = score
            shown.append((str(self.fields["score"].label), f"{kind.upper()} {low}\u2013{high}"))
        return shown

    def response_filter(self) -> ResponseFilter:
        """The filter from the fields that are valid; an invalid field does not filter."""
        self.is_valid()
        data = self.cleaned_data
        survey, group = data.get("survey"), data.get("nps_group") or ""
        return ResponseFilter(
            survey_id=survey.pk if survey else None,
            unit=data.get("unit"),
            status=data.get("status") or "",
            collector=data.get("collector") or "",
            channel=data.get("channel") or "",
            since=data.get("since"),
            until=data.get("until"),
            nps_group=group if group in NPS_GROUPS else "",
            customer=data.get("customer") or "",
            text=data.get("q") or "",
            touchpoint_id=data.get("touchpoint"),
            interaction_type=data.get("interaction_type") or "",
            stage=data.get("stage") or "",
            segment=data.get("segment") or "",
            lifecycle=data.get("lifecycle") or "",
            score=score_range(data.get("score") or ""),
        )


def score_range(text: str) -> tuple[str, int, int] | None:
    """``"csat:1-2"`` → ``("csat", 1, 2)``; None when empty."""
    if not text:
        return None
    kind, _sep, bounds = text.partition(":")
    low, _dash, high = bounds.partition("-")
    return kind, int(low), int(high)
