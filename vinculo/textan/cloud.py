"""The word cloud and the tables of the words page, drawn from a ``words.WordView``:
sizes, colour bands and sort orders (the page renders them as HTML, no script)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from vinculo.textan.words import Term

# Mean sentiment bands of the cloud's diverging colour scale, from negative to positive.
BANDS = (-0.6, -0.3, -0.1, 0.1, 0.3, 0.6)
SMALLEST, LARGEST = 0.9, 2.6  # font size, rem


@dataclass(frozen=True)
class CloudTerm:
    term: Term
    size: float  # rem: the area of a word grows with its texts
    band: int  # 0 (most negative) .. len(BANDS) (most positive)


def band(score: float | None) -> int:
    if score is None:
        return len(BANDS) // 2
    return sum(1 for edge in BANDS if score >= edge)


def legend() -> list[tuple[int, float, float]]:
    """Each colour band with the range of mean sentiment it stands for."""
    edges = [-1.0, *BANDS, 1.0]
    return [(i, edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


def cloud(terms: list[Term]) -> list[CloudTerm]:
    """Terms in alphabetical order, the font size from SMALLEST (fewest texts) to LARGEST
    (most) by the square root of their texts, so that a word's area rather than its
    height follows its count; the colour band from the mean sentiment of its texts."""
    if not terms:
        return []
    low = math.sqrt(min(t.n for t in terms))
    high = math.sqrt(max(t.n for t in terms))
    spread = high - low
    found = []
    for t in sorted(terms, key=lambda t: (t.key, t.text)):
        step = (math.sqrt(t.n) - low) / spread if spread else 1.0
        size = round(SMALLEST + step * (LARGEST - SMALLEST), 2)
        found.append(CloudTerm(t, size, band(t.score.value)))
    return found


# How the tables may be sorted: name -> key (a leading "-" in the name: descending).
SORTS: dict[str, Callable[[Term], tuple[object, ...]]] = {
    "term": lambda t: (t.key,),
    "-term": lambda t: (t.key,),
    "n": lambda t: (t.n, t.key),
    "-n": lambda t: (t.n, t.key),
    "score": lambda t: (t.score.value if t.score.value is not None else 0.0, t.key),
    "-score": lambda t: (t.score.value if t.score.value is not None else 0.0, t.key),
}
DEFAULT_SORT = "-n"


def sort_terms(terms: list[Term], sort: str) -> list[Term]:
    """The terms in the order a table's header asked for (most texts first otherwise)."""
    if sort not in SORTS:
        sort = DEFAULT_SORT
    return sorted(terms, key=SORTS[sort], reverse=sort.startswith("-"))


def headers(sort: str) -> dict[str, tuple[str, str]]:
    """For each sortable column (term, n, score): the sort its header's link asks for
    (the other way round when the table is already sorted by it) and its aria-sort."""
    first = {"term": "term", "n": "-n", "score": "score"}
    found = {}
    for column, start in first.items():
        if sort.lstrip("-") == column:
            descending = sort.startswith("-")
            found[column] = (
                column if descending else f"-{column}",
                "descending" if descending else "ascending",
            )
        else:
            found[column] = (start, "none")
    return found
