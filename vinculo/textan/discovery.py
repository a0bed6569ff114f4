"""Topics that nobody has written a rule for yet, found in the comments no rule matched.

The method: the most recent uncategorised texts (feedback items and open answers of
customer surveys; employees' answers never, their surveys promise anonymity) in Spanish or
English become TF-IDF vectors of their folded words and of pairs of adjacent words (both
kept), leaving out stopwords, numbers, words under three letters, the words of the units'
names (a store is not a topic) and the sentiment lexicons' single words (they say how
people feel, not what about); a term must be in at least ``MIN_DF`` texts. K-means (fixed
seed) groups them; k is the one of 2..12 (at most one cluster per ``MIN_SIZE`` texts) with
the best cosine silhouette. A cluster becomes a
suggestion when it holds ``MIN_SIZE`` texts or more, its top term is in at least
``COHERENCE`` of them (otherwise it is the leftovers, not a theme), and not all of its top
terms are terms of an existing rule. The same texts give the same suggestions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from vinculo.accounts.actors import Actor
from vinculo.surveys.choices import SurveyKind
from vinculo.textan.engine.lexicon import NUMBER_WORDS, Element, lexicon, parse_term, stopwords
from vinculo.textan.engine.text import Kind, tokens
from vinculo.textan.insights import InsightFilter, analyses
from vinculo.textan.models import TextAnalysis, Topic, TopicSuggestion

LANGUAGES = ("es", "en")
LIMIT = 5_000  # most recent uncategorised texts read per run
MIN_DF = 3  # a term in fewer texts than this is noise
MIN_WORD = 3  # letters
MIN_SIZE = 8  # texts in a cluster worth suggesting
MAX_K = 12
COHERENCE = 0.4  # share of the cluster's texts that hold its top term
TERMS = 8
EXAMPLES = 5
EXCERPT = 200
SEED = 0
SILHOUETTE_SAMPLE = 2_000  # texts the silhouette is measured on (it costs n squared)


@dataclass(frozen=True)
class Example:
    analysis: int
    excerpt: str


@dataclass(frozen=True)
class Cluster:
    name: str
    terms: tuple[str, ...]
    size: int
    examples: tuple[Example, ...]


def uncategorised(limit: int = LIMIT) -> list[tuple[int, str]]:
    """(analysis id, text) of the most recent customer texts in es/en with no topic,
    in id order."""
    rows = (
        TextAnalysis.objects.filter(language__in=LANGUAGES, topics__isnull=True)
        .filter(Q(feedback__isnull=False) | Q(answer__response__survey__kind=SurveyKind.CUSTOMER))
        .annotate(
            body=Coalesce("feedback__text", "answer__text"),
            written=Coalesce("feedback__occurred_at", "answer__response__completed_at"),
        )
        .order_by(F("written").desc(nulls_last=True), "-pk")
        .values_list("pk", "body")[:limit]
    )
    return sorted((pk, body or "") for pk, body in rows)


@cache
def ignored_words() -> frozenset[str]:
    """Stopwords and sentiment words of both languages, and number words."""
    words: set[str] = set(NUMBER_WORDS)
    for language in LANGUAGES:
        words |= stopwords(language) | lexicon(language).words
    return frozenset(words)


def features(text: str, also_ignored: frozenset[str] = frozenset()) -> list[str]:
    """The text's kept words, and each pair of adjacent kept words (a phrase a topic rule
    can match as written: no stopword or punctuation between them)."""
    ignored = ignored_words() | also_ignored if also_ignored else ignored_words()
    found: list[str] = []
    previous = ""
    for token in tokens(text):
        word = token.text
        kept = (
            token.kind == Kind.WORD
            and len(word) >= MIN_WORD
            and word.isalpha()
            and word not in ignored
        )
        if kept:
            found.append(word)
            if previous:
                found.append(f"{previous} {word}")
        previous = word if kept else ""
    return found


def _kmeans(matrix: Any, k: int) -> np.ndarray[Any, Any]:
    model = KMeans(n_clusters=k, random_state=SEED, n_init=4)
    labels: np.ndarray[Any, Any] = model.fit_predict(matrix)
    return labels


def choose_k(matrix: Any) -> tuple[int, np.ndarray[Any, Any]]:
    """The k of 2..MAX_K (at most one cluster per MIN_SIZE texts) whose clusters have the
    best mean cosine silhouette; the smaller k on a tie. Returns k and the labels."""
    n = matrix.shape[0]
    best: tuple[float, int, np.ndarray[Any, Any]] | None = None
    for k in range(2, min(MAX_K, n // MIN_SIZE) + 1):
        labels = _kmeans(matrix, k)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(
            silhouette_score(
                matrix,
                labels,
                metric="cosine",
                sample_size=min(n, SILHOUETTE_SAMPLE),
                random_state=SEED,
            )
        )
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    if best is None:
        return 1, np.zeros(n, dtype=int)
    return best[1], best[2]


def _rule_terms() -> list[tuple[Element, ...]]:
    parsed = []
    for terms in Topic.objects.values_list("terms", flat=True):
        for line in terms.splitlines():
            try:
                parsed.append(parse_term(line.strip()))
            except ValueError:
                continue
    return parsed


def covered(term: str, rules: Iterable[tuple[Element, ...]]) -> bool:
    """Whether a rule term (``aparca*``, ``tarjeta de puntos``) matches this term."""
    words = term.split()
    for elements in rules:
        if len(elements) == len(words) and all(
            w.startswith(e.text) if e.prefix else w == e.text
            for e, w in zip(elements, words, strict=True)
        ):
            return True
    return False


def _spelling(term: str, texts: Iterable[str]) -> str:
    """The term as customers most often wrote it (accents kept), capitalised."""
    size = len(term.split())
    seen: Counter[str] = Counter()
    for text in texts:
        words = [t for t in tokens(text) if t.kind == Kind.WORD]
        for i in range(len(words) - size + 1):
            run = words[i : i + size]
            if " ".join(t.text for t in run) == term:
                seen[text[run[0].start : run[-1].end].lower()] += 1
    written = min(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0] if seen else term
    return (written[:1].upper() + written[1:])[:80]


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def find_clusters(
    texts: Sequence[tuple[int, str]], also_ignored: frozenset[str] = frozenset()
) -> list[Cluster]:
    """The suggestions these (analysis id, text) pairs hold, largest first; words of
    ``also_ignored`` (place names) are left out as stopwords are."""
    if len(texts) < 2 * MIN_SIZE:
        return []
    ignored = ignored_words() | also_ignored
    vectorizer = TfidfVectorizer(
        analyzer=lambda text: features(text, ignored), min_df=MIN_DF, sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform([text for _pk, text in texts])
    except ValueError:  # no term in MIN_DF texts
        return []
    keep = np.flatnonzero(matrix.getnnz(axis=1))
    if len(keep) < 2 * MIN_SIZE:
        return []
    matrix = matrix[keep]
    kept = [texts[int(i)] for i in keep]
    vocabulary = vectorizer.get_feature_names_out()
    _k, labels = choose_k(matrix)
    overall = np.asarray(matrix.mean(axis=0)).ravel()
    rules = _rule_terms()
    found = []
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        if len(members) < MIN_SIZE:
            continue
        rows = matrix[members]
        centroid = np.asarray(rows.mean(axis=0)).ravel()
        lift = centroid - overall
        order = sorted(
            (i for i in np.flatnonzero(lift > 0)), key=lambda i: (-lift[i], vocabulary[i])
        )[:TERMS]
        if not order:
            continue
        holding = rows[:, order[0]].getnnz() / len(members)
        terms = tuple(str(vocabulary[i]) for i in order)
        if holding < COHERENCE or all(covered(t, rules) for t in terms):
            continue
        closeness = rows @ centroid
        nearest = sorted(range(len(members)), key=lambda i: (-closeness[i], kept[members[i]][0]))
        examples = _distinct_examples(kept, [members[i] for i in nearest])
        name = _spelling(terms[0], (kept[m][1] for m in members))
        found.append(Cluster(name, terms, len(members), examples))
    return sorted(found, key=lambda c: (-c.size, c.name))


def _distinct_examples(
    kept: Sequence[tuple[int, str]], ordered: Sequence[int]
) -> tuple[Example, ...]:
    """The nearest texts, each wording once: copies of one template say nothing more."""
    found: dict[str, Example] = {}
    for index in ordered:
        analysis_id, text = kept[index]
        excerpt = _excerpt(text)
        found.setdefault(excerpt.casefold(), Example(analysis_id, excerpt))
        if len(found) == EXAMPLES:
            break
    return tuple(found.values())


def readable_examples(
    actor: Actor, suggestions: Sequence[TopicSuggestion]
) -> dict[int, list[dict[str, Any]]]:
    """Each suggestion's examples that the actor may read (a unit manager: those of their
    units only), in one query."""
    if actor.unit_ids is None:
        return {s.pk: list(s.examples) for s in suggestions}
    ids = [e["analysis"] for s in suggestions for e in s.examples]
    seen = set(analyses(actor, InsightFilter()).filter(pk__in=ids).values_list("pk", flat=True))
    return {s.pk: [e for e in s.examples if e["analysis"] in seen] for s in suggestions}
