"""Builder errors in the user's language: a ``DefinitionError`` (and where it belongs on the
builder page) and the refusals of ``services.SurveyRefused``.

``check_definition`` (and the condition checks in logic.py) say what is wrong in English for
developers; the builder page and the API show these sentences instead, in Spanish or English.
An unknown message is shown as it came, so nothing is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vinculo.surveys.builder_fields import LANGUAGE_NAMES
from vinculo.surveys.definition import DefinitionError, QuestionDef

REFUSALS = {
    "nothing_to_publish": gettext_lazy("There are no changes to publish."),
    "no_questions": gettext_lazy("Add at least one question before publishing."),
    "missing_translations": gettext_lazy(
        "Some texts are missing in one of the survey's languages: complete them to publish."
    ),
    "never_published": gettext_lazy("Publish the survey before opening it."),
    "cannot_unpublish": gettext_lazy("A published survey cannot go back to draft."),
    "draft_was_published": gettext_lazy(
        "The draft was published meanwhile: your change was not saved. Try again."
    ),
}
_PATH = re.compile(r"^(?P<list>questions|skip_rules)\[(?P<index>\d+)\](?:\.(?P<rest>.+))?$")
_ITEM = re.compile(r"^(?P<field>options|rows)\[(?P<index>\d+)\]\.label$")


def describe(error: DefinitionError) -> str:
    """The error's message as a sentence in the active language."""
    message = error.message
    if match := re.search(r"key '([^']*)' is used twice", message):
        return _("The key “%(key)s” is already used by another question.") % {"key": match[1]}
    if match := re.search(r"missing text in (.+)$", message):
        names = ", ".join(str(LANGUAGE_NAMES.get(c, c)) for c in match[1].split(", "))
        sentence = _("Write this text in: %(languages)s.") % {"languages": names}
        if item := _ITEM.match(_rest(error.field)):
            return _("Line %(line)s: %(problem)s") % {
                "line": int(item["index"]) + 1,
                "problem": sentence,
            }
        return sentence
    if match := re.search(r"condition on '([^']*)', which is not an earlier question", message):
        return _("The condition looks at “%(key)s”, which is not a question before this one.") % {
            "key": match[1]
        }
    if match := re.search(r"unknown operator (.+)$", message):
        return _("Unknown operator %(op)s.") % {"op": match[1]}
    if match := re.search(r"operator '([^']*)' needs a list value", message):
        return _("The operator “%(op)s” needs a list of values.") % {"op": match[1]}
    if match := re.search(r"operator '([^']*)' needs a value", message):
        return _("The operator “%(op)s” needs a value.") % {"op": match[1]}
    if match := re.search(r"unknown customer field '([^']*)'", message):
        return _("“%(field)s” is not a customer field.") % {"field": match[1]}
    if match := re.search(r"there is no page (\d+)", message):
        return _("There is no page %(page)s.") % {"page": match[1]}
    known = {
        "questions must be in page order": _("Questions must be in page order."),
        "this kind needs at least two options": _(
            "This kind of question needs two options or more."
        ),
        "this kind has no options": _("This kind of question has no options: leave them empty."),
        "a matrix needs at least one statement": _("A matrix needs one statement or more."),
        "only a matrix has statements": _("Only a matrix has statements: leave them empty."),
        "codes must be unique": _("Each code must be different."),
        "a rating goes from min to max within 0-10": _(
            "A rating goes from its lowest to its highest value, both within 0-10."
        ),
        "style is 'stars' or 'numbers'": _("A rating is shown as stars or numbers."),
        "unknown consent channel": _("Unknown consent channel."),
        "skips go forward, to an existing page": _("A skip goes forward, to a page that exists."),
        "a condition must be an object": _("A condition is a JSON object: {…}."),
        "a condition names a 'question' or a 'customer' field": _(
            "A condition names a “question” or a “customer” field."
        ),
    }
    for english, sentence in known.items():
        if english in message:
            return str(sentence)
    if "needs a list of conditions" in message:
        return _("“all” and “any” need a list of conditions.")
    return message


def _rest(field: str) -> str:
    match = _PATH.match(field)
    return (match["rest"] or "") if match else field


@dataclass(frozen=True)
class Place:
    """Where an error belongs: a question (index) or skip rule, and which part of it."""

    part: str  # "questions", "skip_rules" or "survey" (title, intro, thank-you)
    index: int | None
    field: str  # e.g. "options", "text", "show_if", "title"


def place_of(error: DefinitionError) -> Place:
    match = _PATH.match(error.field)
    if match is None:
        return Place("survey", None, error.field.split(".")[0])
    rest = (match["rest"] or "").split(".")[0]
    return Place(match["list"], int(match["index"]), re.sub(r"\[\d+\]$", "", rest))


def where(error: DefinitionError, questions: Sequence[QuestionDef]) -> str:
    """A prefix naming the question or skip rule an error is about ("" for survey texts)."""
    place = place_of(error)
    if place.part == "questions" and place.index is not None and place.index < len(questions):
        return _("Question “%(key)s”: ") % {"key": questions[place.index].key}
    if place.part == "skip_rules" and place.index is not None:
        return _("Skip rule %(number)s: ") % {"number": place.index + 1}
    return ""


def question_form_field(error: DefinitionError, kind: str, languages: list[str]) -> str | None:
    """The question form's field for an error about that question (None: the whole form)."""
    field = place_of(error).field
    if field in ("key", "page", "options", "rows"):
        return field
    if field in ("text", "help_text"):
        missing = re.search(r"missing text in (\w+)", error.message)
        lang = missing[1] if missing and missing[1] in languages else languages[0]
        return f"{'text' if field == 'text' else 'help'}_{lang}"
    if field == "show_if":
        return "cond_subject"
    if field == "settings":
        return {"rating": "rating_min", "consent": "consent_channel"}.get(kind)
    return None


def loc_of(error: DefinitionError) -> list[str | int]:
    """The error's path as a pydantic location: ``questions[2].options`` → questions, 2, options."""
    loc: list[str | int] = []
    for part in error.field.split("."):
        name, *indexes = re.split(r"\[(\d+)\]", part)
        loc.append(name)
        loc.extend(int(index) for index in indexes if index)
    return loc
