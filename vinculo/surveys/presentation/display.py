"""Display logic on the respondent's side: what the page's script decides, and progress.

The server decides what it can from answers already stored; a condition on an answer
given on the same page is left to the page's script (respond.js), and a page whose
questions depend on answers not given yet still counts in the progress indicator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vinculo.surveys.logic import Flow, QuestionLike, holds


def refers_to(condition: Any, keys: set[str]) -> bool:
    """Whether any part of ``condition`` reads an answer to one of ``keys``."""
    if not isinstance(condition, Mapping):
        return False
    if "question" in condition:
        return condition["question"] in keys
    parts = condition.get("all") or condition.get("any") or []
    if "not" in condition:
        parts = [condition["not"]]
    return any(refers_to(part, keys) for part in parts)


def client_condition(
    condition: Any, page_keys: set[str], answers: Mapping[str, Any], customer: Any
) -> Any:
    """``condition`` with every part the server can decide replaced by ``{"const": bool}``.

    What is left names only questions of the same page, which the page's script reads
    from the form as the respondent answers.
    """
    if not refers_to(condition, page_keys):
        return {"const": holds(condition, answers, customer)}
    for combinator in ("all", "any"):
        if combinator in condition:
            return {
                combinator: [
                    client_condition(part, page_keys, answers, customer)
                    for part in condition[combinator]
                ]
            }
    if "not" in condition:
        return {"not": client_condition(condition["not"], page_keys, answers, customer)}
    return dict(condition)


def expected_path(
    flow: Flow,
    questions: Sequence[QuestionLike],
    answers: Mapping[str, Any],
    customer: Any,
    page: int,
) -> list[int]:
    """The pages a respondent on ``page`` will probably see, for the progress indicator.

    ``Flow.path`` only counts pages the answers so far already show; a later page whose
    questions depend on answers not given yet is counted too, so the first page of a
    two-page survey says "1 of 2" and offers "Next", not "Send".
    """
    path = flow.path(questions, answers, customer)
    unknown = {q.key for q in questions} - set(answers)
    for later in flow.pages:
        if later <= page or later in path:
            continue
        on_it = [q for q in questions if q.page == later]
        if any(q.show_if and refers_to(q.show_if, unknown) for q in on_it):
            path.append(later)
    return sorted(path)
