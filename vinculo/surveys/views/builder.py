"""The survey builder (Perm.MANAGE_SURVEYS): list, create, settings, the draft's editor,
publish, close and reopen. The edits of the draft (texts, questions, skip rules) are in
builder_edits.py; both answer plain POSTs with a redirect to the editor, and HTMX
(hx-boost on the editor) swaps only the editor for the same requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.surveys import services
from vinculo.surveys.builder_fields import condition_text, with_languages
from vinculo.surveys.choices import QuestionKind, SurveyStatus
from vinculo.surveys.definition import DefinitionError, SurveyDefinition, check_definition
from vinculo.surveys.definition_errors import REFUSALS, describe, where
from vinculo.surveys.forms import QuestionForm, SkipRuleForm, SurveySettingsForm, TextsForm
from vinculo.surveys.models import Survey
from vinculo.surveys.queries import survey_list, text_in, version_history, working_version
from vinculo.surveys.questions import SCORED


def survey_of(request: HttpRequest, survey_id: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("current_version"), pk=survey_id)


def to_editor(survey: Survey, anchor: str = "") -> HttpResponse:
    """Back to the editor; ``?at=`` lets the page bring the changed part into view after an
    HTMX swap (the ``#fragment`` does it without JavaScript)."""
    url = reverse("surveys:edit", args=[survey.pk])
    return redirect(f"{url}?at={anchor}#{anchor}" if anchor else url)


@dataclass(frozen=True)
class EditorState:
    """What the editor shows open: a question's form (``open_key``; "" for a new one), and
    bound forms that came back with errors."""

    open_key: str | None = None
    new_kind: str = ""
    question_form: QuestionForm | None = None
    texts_form: TextsForm | None = None
    skip_form: SkipRuleForm | None = None


def render_editor(
    request: HttpRequest, survey: Survey, state: EditorState, status: int = 200
) -> HttpResponse:
    """The editor page, or only the editor for HTMX (never for a history restore)."""
    htmx = request.htmx  # type: ignore[attr-defined]
    partial = bool(htmx) and not htmx.history_restore_request
    template = "surveys/builder/_editor.html" if partial else "surveys/builder/edit.html"
    return render(request, template, _editor_context(request, survey, state), status=status)


def _editor_context(request: HttpRequest, survey: Survey, state: EditorState) -> dict[str, Any]:
    version = working_version(survey)
    definition = services.definition_of(version) if version else SurveyDefinition(title={})
    langs, ui = survey.languages, get_language() or survey.default_language
    questions = []
    for index, question in enumerate(definition.questions):
        form = None
        if state.open_key == question.key:
            form = state.question_form or QuestionForm(
                initial=QuestionForm.initial_of(question, langs),
                languages=langs,
                earlier=definition.questions[:index],
                current=question,
            )
        questions.append(
            {
                "q": question,
                "text": text_in(question.text, ui, survey.default_language),
                "kind_label": QuestionKind(question.kind).label,
                "condition": condition_text(question.show_if),
                "form": form,
            }
        )
    new_form = None
    if state.open_key == "":
        new_form = state.question_form or QuestionForm(
            initial=_new_question(definition, state.new_kind),
            languages=langs,
            earlier=definition.questions,
        )
    return {
        "survey": survey,
        "version": version,
        "definition": definition,
        "questions": questions,
        "new_form": new_form,
        "kinds": QuestionKind.choices,
        "texts_form": state.texts_form
        or TextsForm(initial=TextsForm.initial_of(definition), languages=langs),
        "skip_form": state.skip_form or SkipRuleForm(questions=definition.questions),
        "skip_rules": [(rule, condition_text(rule.when)) for rule in definition.skip_rules],
        "focus": request.GET.get("at", ""),
        "problem": _problem(survey, definition),
        "history": version_history(request.actor, survey),  # type: ignore[attr-defined]
        "links": _links(request, survey),
        "next_number": _next_number(survey, version),
    }


def _new_question(definition: SurveyDefinition, kind: str) -> dict[str, Any]:
    """A new question's starting values: a free key named after its kind, on the last page."""
    kind = kind if kind in QuestionKind.values else QuestionKind.NPS
    taken = {q.key for q in definition.questions}
    key, number = str(kind), 2
    while key in taken:
        key, number = f"{kind}_{number}", number + 1
    page = definition.questions[-1].page if definition.questions else 1
    return {"kind": kind, "key": key, "page": page, "required": kind in SCORED}


def _problem(survey: Survey, definition: SurveyDefinition) -> str:
    """Why the draft cannot be published yet (empty when it can)."""
    if not definition.questions:
        return str(REFUSALS["no_questions"])
    try:
        check_definition(definition, survey.languages)
    except DefinitionError as error:
        return (where(error, definition.questions) or _("Survey texts: ")) + describe(error)
    return ""


def _next_number(survey: Survey, version: Any) -> int:
    """The number the draft will have when published."""
    if version is not None and version.published_at is None:
        return int(version.number)
    latest = survey.current_version.number if survey.current_version else 0
    return latest + 1


def _links(request: HttpRequest, survey: Survey) -> dict[str, str]:
    """The public link, its preview, and the survey's other staff pages."""
    public = reverse("respond:survey", args=[survey.slug])
    links = {"public": request.build_absolute_uri(public), "preview": f"{public}?preview=1"}
    for name in ("posters", "kiosk", "distribution"):
        links[name] = reverse(f"surveys:{name}", args=[survey.pk])
    links["entry"] = reverse("surveys:entry")
    return links


@require_GET
@require_perm(Perm.MANAGE_SURVEYS)
def survey_list_page(request: HttpRequest) -> HttpResponse:
    surveys = survey_list(request.actor)  # type: ignore[attr-defined]
    return render(request, "surveys/builder/list.html", {"surveys": surveys})


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_SURVEYS)
def survey_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    initial = {"languages": ["es"], "default_language": "es", "public_link": True}
    form = SurveySettingsForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        survey = services.create_survey(actor=actor, **form.cleaned_data)
        messages.success(request, _("Survey created. Now add its questions."))
        return to_editor(survey)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/builder/settings.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_SURVEYS)
def survey_settings(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_of(request, survey_id)
    form = SurveySettingsForm(
        request.POST or None,
        actor=request.actor,  # type: ignore[attr-defined]
        survey=survey,
        initial=SurveySettingsForm.initial_of(survey),
    )
    if request.method == "POST" and form.is_valid():
        added = [c for c in form.cleaned_data["languages"] if c not in survey.languages]
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        with transaction.atomic():
            if changed:
                services.update_survey(survey=survey, **changed)
            if added:
                # Texts copied from the default language keep the draft savable.
                draft = services.definition_of(services.draft_of(survey))
                copied = with_languages(draft, survey.default_language, added)
                services.save_draft(survey=survey, definition=copied)
                messages.warning(
                    request,
                    _(
                        "New language added: its texts start as copies. "
                        "Translate them before publishing."
                    ),
                )
        messages.success(request, _("Settings saved."))
        return to_editor(survey)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "survey": survey}
    return render(request, "surveys/builder/settings.html", context, status=status)


@require_GET
@require_perm(Perm.MANAGE_SURVEYS)
def survey_edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The draft's editor; ``?edit=<key>`` opens a question, ``?add=<kind>`` a new one."""
    survey = survey_of(request, survey_id)
    if "add" in request.GET:
        state = EditorState(open_key="", new_kind=request.GET["add"])
    else:
        state = EditorState(open_key=request.GET.get("edit") or None)
    return render_editor(request, survey, state)


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def survey_publish(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_of(request, survey_id)
    try:
        version = services.publish(survey=survey)
    except services.SurveyRefused as refused:
        messages.error(request, REFUSALS.get(refused.code, refused.code))
    else:
        messages.success(request, _("Version %(number)s is live.") % {"number": version.number})
    return to_editor(survey)


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def survey_status(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Closes a live survey (its links stop taking answers) or reopens a closed one."""
    survey = survey_of(request, survey_id)
    status = request.POST.get("status", "")
    if status not in (SurveyStatus.LIVE, SurveyStatus.CLOSED):
        return render_editor(request, survey, EditorState(), status=400)
    try:
        services.set_status(survey=survey, status=status)
    except services.SurveyRefused as refused:
        messages.error(request, REFUSALS.get(refused.code, refused.code))
    else:
        done = _("Survey reopened.") if status == SurveyStatus.LIVE else _("Survey closed.")
        messages.success(request, done)
    return to_editor(survey)


@require_GET
@require_perm(Perm.MANAGE_SURVEYS)
def version_detail(request: HttpRequest, survey_id: int, number: int) -> HttpResponse:
    """A published version as it was answered, read-only."""
    survey = survey_of(request, survey_id)
    version = get_object_or_404(survey.versions, number=number, published_at__isnull=False)
    definition = services.definition_of(version)
    ui = get_language() or survey.default_language
    questions = [(q, text_in(q.text, ui, survey.default_language)) for q in definition.questions]
    context = {"survey": survey, "version": version, "questions": questions}
    return render(request, "surveys/builder/version.html", context)


def _urls() -> list[Any]:
    # Imported here: builder_edits imports this module's helpers.
    from vinculo.surveys.views import builder_edits as edits

    return [
        path("", survey_list_page, name="list"),
        path("new/", survey_create, name="create"),
        path("<int:survey_id>/", survey_edit, name="edit"),
        path("<int:survey_id>/settings/", survey_settings, name="settings"),
        path("<int:survey_id>/texts/", edits.texts_save, name="texts"),
        path("<int:survey_id>/questions/new/", edits.question_save, name="question_add"),
        path("<int:survey_id>/questions/<slug:key>/", edits.question_save, name="question"),
        path(
            "<int:survey_id>/questions/<slug:key>/delete/",
            edits.question_delete,
            name="question_delete",
        ),
        path(
            "<int:survey_id>/questions/<slug:key>/move/", edits.question_move, name="question_move"
        ),
        path("<int:survey_id>/skip-rules/", edits.skip_rule_add, name="skip_rule_add"),
        path(
            "<int:survey_id>/skip-rules/<int:index>/delete/",
            edits.skip_rule_delete,
            name="skip_rule_delete",
        ),
        path("<int:survey_id>/publish/", survey_publish, name="publish"),
        path("<int:survey_id>/status/", survey_status, name="status"),
        path("<int:survey_id>/versions/<int:number>/", version_detail, name="version"),
    ]


urlpatterns = _urls()
