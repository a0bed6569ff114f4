"""What one answer adds to the roll-ups, by question kind.

A scored answer adds to n, the sum, the sum of squares, and to the top or bottom box of
its scale:

| kind                 | top box (good)        | bottom box (bad)       |
|----------------------|-----------------------|------------------------|
| NPS, eNPS (0-10)     | promoters, 9-10       | detractors, 0-6        |
| CSAT (1-5)           | satisfied, 4-5        | dissatisfied, 1-2      |
| CES (1-7, 7 = easy)  | easy, 5-7             | difficult, 1-3         |
| rating (min-max)     | top two values        | bottom two values      |
| yes / no             | yes                   | no                     |
| matrix statement     | top two of its scale  | bottom two of its scale|

Scales of fewer than five points use one box at each end. A choice question adds one to
each option chosen, and one to its ``""`` row (the people who answered it), which is the
denominator of every option's share. Other kinds (text, dates, rankings) are not counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vinculo.metrics.stats import Counts
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.questions import scale_of

SCORED_KINDS = frozenset({K.NPS, K.ENPS, K.CSAT, K.CES, K.RATING, K.YES_NO})
CHOICE_KINDS = frozenset({K.SINGLE_CHOICE, K.DROPDOWN, K.MULTIPLE_CHOICE})
COUNTED_KINDS = SCORED_KINDS | CHOICE_KINDS | {K.MATRIX}


@dataclass(frozen=True)
class Boxes:
    top_from: int
    bottom_to: int


FIXED_BOXES: dict[str, Boxes] = {
    K.NPS: Boxes(9, 6),
    K.ENPS: Boxes(9, 6),
    K.CSAT: Boxes(4, 2),
    K.CES: Boxes(5, 3),
    K.YES_NO: Boxes(1, 0),
}


def scale_boxes(low: int, high: int) -> Boxes:
    """Top-two and bottom-two boxes of a scale; one box each on scales under five points."""
    width = 2 if high - low + 1 >= 5 else 1
    return Boxes(high - width + 1, low + width - 1)


def boxes_of(kind: str, settings: Mapping[str, Any], options: Sequence[Any]) -> Boxes | None:
    if kind in FIXED_BOXES:
        return FIXED_BOXES[kind]
    if kind == K.RATING:
        return scale_boxes(*scale_of(kind, settings))
    if kind == K.MATRIX:
        return scale_boxes(1, max(len(options), 1))
    return None


def scored(number: int, boxes: Boxes) -> Counts:
    return Counts(
        n=1,
        total=number,
        total_sq=number * number,
        top=int(number >= boxes.top_from),
        bottom=int(number <= boxes.bottom_to),
    )


ONE = Counts(n=1)


def answer_counts(
    kind: str,
    boxes: Boxes | None,
    *,
    row: str,
    number: int | None,
    choices: Sequence[str] | None,
) -> list[tuple[str, Counts]]:
    """``(option, counts)`` rows one stored answer adds; [] for kinds not counted."""
    if kind in SCORED_KINDS and number is not None and boxes is not None:
        return [("", scored(number, boxes))]
    if kind == K.MATRIX and number is not None and boxes is not None and row:
        return [(row[:40], scored(number, boxes))]
    if kind in CHOICE_KINDS and choices:
        return [("", ONE), *((str(code)[:40], ONE) for code in dict.fromkeys(choices))]
    return []
