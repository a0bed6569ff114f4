"""Edits of a survey's draft (Perm.MANAGE_SURVEYS): texts, questions, skip rules.

Each reads the draft as one ``SurveyDefinition``, changes it and saves it whole with
``services.save_draft``, so a definition error is shown next to the field it names and
nothing is half-saved. Editing a live survey edits a new draft: answers already stored
keep pointing at the version they answered.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.surveys import services
from vinculo.surveys.definition import DefinitionError, QuestionDef, SurveyDefinition
from vinculo.surveys.definition_errors import (
    REFUSALS,
    describe,
    place_of,
    question_form_field,
    where,
)
from vinculo.surveys.forms import QuestionForm, SkipRuleForm, TextsForm
from vinculo.surveys.models import Survey
from vinculo.surveys.views.builder import (
    EditorState,
    render_editor,
    survey_of,
    to_editor,
)


def _draft(survey: Survey) -> SurveyDefinition:
    return services.definition_of(services.draft_of(survey))


def _save(
    request: HttpRequest, survey: Survey, definition: SurveyDefinition
) -> DefinitionError | None:
    """Saves the draft whole; returns the definition error, if any, for the caller to place."""
    try:
        services.save_draft(survey=survey, definition=definition)
    except DefinitionError as error:
        return error
    except services.SurveyRefused as refused:
        messages.error(request, REFUSALS.get(refused.code, refused.code))
    return None


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def texts_save(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Title, introduction and thank-you message in each of the survey's languages."""
    survey = survey_of(request, survey_id)
    form = TextsForm(request.POST, languages=survey.languages)
    if form.is_valid():
        error = _save(request, survey, _draft(survey).model_copy(update=form.texts()))
        if error is None:
            messages.success(request, _("Texts saved."))
            return to_editor(survey, "texts")
        place = place_of(error)
        if place.part == "survey":
            lang = next((c for c in survey.languages if c in error.message), survey.languages[0])
            form.add_error(f"{place.field}_{lang}", describe(error))
        else:
            form.add_error(None, where(error, _draft(survey).questions) + describe(error))
    return render_editor(request, survey, EditorState(texts_form=form), status=400)


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def question_save(request: HttpRequest, survey_id: int, key: str = "") -> HttpResponse:
    """Adds a question (no key) or replaces the question ``key``; kept in page order."""
    survey = survey_of(request, survey_id)
    definition = _draft(survey)
    keys = [q.key for q in definition.questions]
    if key and key not in keys:
        raise Http404
    index = keys.index(key) if key else len(keys)
    form = QuestionForm(
        request.POST,
        languages=survey.languages,
        earlier=definition.questions[:index],
        current=definition.questions[index] if key else None,
    )
    question = form.question() if form.is_valid() else None
    if question is not None:
        questions = [*definition.questions]
        questions[index : index + (1 if key else 0)] = [question]
        questions.sort(key=lambda q: q.page)  # stable: a question joins the end of its page
        error = _save(request, survey, definition.model_copy(update={"questions": questions}))
        if error is None:
            messages.success(request, _("Question “%(key)s” saved.") % {"key": question.key})
            return to_editor(survey, f"q-{question.key}")
        _place_question_error(form, error, questions, questions.index(question), survey)
    state = EditorState(open_key=key, question_form=form)
    return render_editor(request, survey, state, status=400)


def _place_question_error(
    form: QuestionForm,
    error: DefinitionError,
    questions: list[QuestionDef],
    index: int,
    survey: Survey,
) -> None:
    """Next to the field when the error is about this question; on top of the form if not."""
    place = place_of(error)
    mine = place.part == "questions" and place.index == index
    if place.field == "key" and place.index is not None:
        mine = mine or questions[place.index].key == questions[index].key  # the duplicate
    if mine:
        field = question_form_field(error, questions[index].kind, survey.languages)
        form.add_error(field, describe(error))
    else:
        form.add_error(None, where(error, questions) + describe(error))


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def question_delete(request: HttpRequest, survey_id: int, key: str) -> HttpResponse:
    survey = survey_of(request, survey_id)
    definition = _draft(survey)
    questions = [q for q in definition.questions if q.key != key]
    error = _save(request, survey, definition.model_copy(update={"questions": questions}))
    if error is not None:
        problem = {"key": key, "problem": where(error, questions) + describe(error)}
        messages.error(request, _("“%(key)s” was not deleted: %(problem)s") % problem)
    else:
        messages.success(request, _("Question “%(key)s” deleted.") % {"key": key})
    return to_editor(survey, "questions")


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def question_move(request: HttpRequest, survey_id: int, key: str) -> HttpResponse:
    """One place up or down; past the edge of its page it joins the neighbouring page."""
    survey = survey_of(request, survey_id)
    definition = _draft(survey)
    questions = [*definition.questions]
    keys = [q.key for q in questions]
    if key not in keys:
        raise Http404
    index = keys.index(key)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(questions):
        here, there = questions[index], questions[other]
        if here.page == there.page:
            questions[index], questions[other] = there, here
        else:
            questions[index] = here.model_copy(update={"page": there.page})
        error = _save(request, survey, definition.model_copy(update={"questions": questions}))
        if error is not None:
            messages.error(request, describe(error))
    return to_editor(survey, f"q-{key}")


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def skip_rule_add(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_of(request, survey_id)
    definition = _draft(survey)
    form = SkipRuleForm(request.POST, questions=definition.questions)
    rule = form.rule() if form.is_valid() else None
    if rule is not None:
        data = definition.model_dump()
        data["skip_rules"].append(rule)
        error = _save(request, survey, SurveyDefinition.model_validate(data))
        if error is None:
            messages.success(request, _("Skip rule added."))
            return to_editor(survey, "skip-rules")
        fields = {"after_page": "after_page", "goto": "goto", "when": "cond_subject"}
        form.add_error(fields.get(place_of(error).field), describe(error))
    return render_editor(request, survey, EditorState(skip_form=form), status=400)


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def skip_rule_delete(request: HttpRequest, survey_id: int, index: int) -> HttpResponse:
    survey = survey_of(request, survey_id)
    definition = _draft(survey)
    rules = [rule for position, rule in enumerate(definition.skip_rules) if position != index]
    if _save(request, survey, definition.model_copy(update={"skip_rules": rules})) is None:
        messages.success(request, _("Skip rule deleted."))
    return to_editor(survey, "skip-rules")
