"""A survey's results question by question: a scored question's figure, a choice
question's share of each option, a matrix's mean per statement; each with n, its 95%
interval and suppression, read from the roll-ups."""

from __future__ import annotations

from dataclasses import dataclass

from vinculo.metrics import catalogue
from vinculo.metrics.catalogue import QuestionMeta
from vinculo.metrics.figures import Figure, figure
from vinculo.metrics.filters import MetricFilter
from vinculo.metrics.queries import total_of
from vinculo.metrics.reading import Group, read
from vinculo.metrics.stats import Counts
from vinculo.surveys.choices import QuestionKind as K


@dataclass(frozen=True)
class OptionShare:
    code: str
    label: str
    figure: Figure


def distribution(f: MetricFilter, question_key: str, language: str = "es") -> list[OptionShare]:
    """The share of respondents choosing each option of a choice question (of the filter's
    survey), or the mean of each statement of a matrix."""
    metas = catalogue.questions(
        survey_id=f.survey.pk if f.survey else None, key=question_key, customer_only=True
    )
    if not metas:
        return []
    meta = next(iter(metas.values()))
    found = read(
        questions=list(metas),
        units=[f.unit],
        period=f.period,
        where=f.where,
        group=Group(option=True),
    )
    min_n = f.min_sample
    if meta.kind == K.MATRIX:
        return [
            OptionShare(
                str(row["code"]),
                meta.option_label(str(row["code"]), language),
                figure(K.RATING, found.get((str(row["code"]),), Counts()), min_n),
            )
            for row in meta.rows
        ]
    answered = total_of(f, metas).n
    return [
        OptionShare(
            str(option["code"]),
            meta.option_label(str(option["code"]), language),
            figure(K.YES_NO, _share(found.get((str(option["code"]),), Counts()), answered), min_n),
        )
        for option in meta.options
    ]


@dataclass(frozen=True)
class QuestionResult:
    """One question of a survey over the filter: a scored question's figure, or the share
    of each option of a choice question (the mean of each statement of a matrix)."""

    key: str
    label: str
    kind: str
    figure: Figure | None
    options: list[OptionShare]


def survey_results(f: MetricFilter, language: str = "es") -> list[QuestionResult]:
    """Every counted question of the filter's survey (all its versions, by key), read in
    two queries whatever their number."""
    if f.survey is None:
        return []
    metas = catalogue.questions(survey_id=f.survey.pk, customer_only=True)
    if not metas:
        return []
    ids = list(metas)
    totals = read(
        questions=ids, units=[f.unit], period=f.period, where=f.where, group=Group(question=True)
    )
    options = read(
        questions=ids,
        units=[f.unit],
        period=f.period,
        where=f.where,
        group=Group(question=True, option=True),
    )
    by_key: dict[str, list[QuestionMeta]] = {}
    for meta in metas.values():  # newest version first (catalogue order)
        by_key.setdefault(meta.key, []).append(meta)
    results = []
    ordered = sorted(by_key.items(), key=lambda item: item[1][0].position)
    for key, versions in ordered:
        newest = versions[0]
        total = sum((totals.get((m.id,), Counts()) for m in versions), Counts())
        chosen: dict[str, Counts] = {}
        for (qid, code), counts in options.items():
            if metas[qid].key == key:
                chosen[code] = chosen.get(code, Counts()) + counts
        results.append(_result(f, newest, total, chosen, language))
    return results


def _result(
    f: MetricFilter, meta: QuestionMeta, total: Counts, chosen: dict[str, Counts], language: str
) -> QuestionResult:
    label, min_n = meta.label(language), f.min_sample
    if meta.kind == K.MATRIX:  # each statement's mean position on the scale
        rows = [
            OptionShare(
                str(row["code"]),
                meta.option_label(str(row["code"]), language),
                figure(K.RATING, chosen.get(str(row["code"]), Counts()), min_n),
            )
            for row in meta.rows
        ]
        return QuestionResult(meta.key, label, meta.kind, None, rows)
    if meta.kind in NUMERIC_KINDS:
        return QuestionResult(meta.key, label, meta.kind, figure(meta.kind, total, min_n), [])
    shares = [
        OptionShare(
            str(option["code"]),
            meta.option_label(str(option["code"]), language),
            figure(K.YES_NO, _share(chosen.get(str(option["code"]), Counts()), total.n), min_n),
        )
        for option in meta.options
    ]
    return QuestionResult(meta.key, label, meta.kind, None, shares)


NUMERIC_KINDS = (K.NPS, K.ENPS, K.CSAT, K.CES, K.RATING, K.YES_NO)


def _share(chosen: Counts, answered: int) -> Counts:
    """An option's counts as a yes/no over the people who answered the question."""
    return Counts(n=answered, total=chosen.n, total_sq=chosen.n, top=chosen.n, bottom=0)
