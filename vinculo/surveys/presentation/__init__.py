"""What a respondent sees: survey pages as plain, localized objects ready to render.

Every renderer (the response page, the kiosk, agent entry, the widget) turns ``Question``
rows into these view models, so templates never dig into per-language dicts and every
channel shows the same labels, scales and errors (``pages``). The reverse trip lives here
too: ``read_form`` turns a submitted HTML form back into the ``raw`` dict that
``questions.clean_answer`` expects (``forms``). ``refusals`` holds the polite page each
refusal (closed survey, expired link...) gets.

Form field names, the contract between the partials under
``surveys/respond/questions/`` and ``read_form``:

- most kinds: one field named after the question key (a radio group, a select, an input);
- multiple choice: the key repeated, one value per ticked box;
- matrix: ``<key>.<row code>`` per statement, the value an option code;
- ranking: ``<key>.<place>`` (1-based) per place, the value an option code;
- yes/no and consent: ``"1"`` for yes (ticked), ``"0"`` for no.

Control fields of the page itself start with ``_``; question keys never do.

Typical use (a renderer)::

    context = pipe_context(unit=unit, customer=customer, touchpoint=tp, answers=answers,
                           questions=questions, language="es", fallback="es")
    page = present_page(questions=questions, flow=flow, page=2, path=path, answers=answers,
                        customer=customer, raw={}, errors=[], language="es", fallback="es",
                        context=context)
    # template: {% for q in page.questions %}{% include "surveys/respond/_question.html" %}
    raw = read_form([q for q in questions if q.page == 2], request.POST)

``surveys/respond/_question.html`` draws one ``QuestionView`` named ``q`` (fieldset, legend,
help, error) and includes ``q.template``, the kind's partial ``questions/_<kind>.html``.
"""

from vinculo.surveys.presentation.display import client_condition, expected_path
from vinculo.surveys.presentation.forms import form_value, page_values, read_form
from vinculo.surveys.presentation.languages import LanguageChoice, language_choices
from vinculo.surveys.presentation.pages import (
    Choice,
    ErrorView,
    MatrixRow,
    PageView,
    QuestionRow,
    QuestionView,
    RankPlace,
    pipe_context,
    present_page,
    present_question,
    text_in,
)
from vinculo.surveys.presentation.refusals import Refusal, refusal

__all__ = [
    "Choice",
    "ErrorView",
    "LanguageChoice",
    "MatrixRow",
    "PageView",
    "QuestionRow",
    "QuestionView",
    "RankPlace",
    "Refusal",
    "client_condition",
    "expected_path",
    "form_value",
    "language_choices",
    "page_values",
    "pipe_context",
    "present_page",
    "present_question",
    "read_form",
    "refusal",
    "text_in",
]
