"""Read side of the text analytics."""

from __future__ import annotations

from vinculo.accounts.models import Unit
from vinculo.textan.engine.text import Kind, tokens
from vinculo.textan.engine.topics import TopicRule, Topics
from vinculo.textan.models import Topic


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def topic_paths() -> dict[int, str]:
    """Every topic's path from the root: "Atención > Tiempo de espera"."""
    rows = {t.pk: t for t in Topic.objects.only("pk", "name", "parent_id")}
    paths: dict[int, str] = {}

    def path(pk: int) -> str:
        if pk not in paths:
            topic = rows[pk]
            head = f"{path(topic.parent_id)} > " if topic.parent_id in rows else ""
            paths[pk] = head + topic.name
        return paths[pk]

    for pk in rows:
        path(pk)
    return paths


def topic_rules() -> Topics:
    """The active topics' rules, ready to match."""
    paths = topic_paths()
    active = Topic.objects.filter(active=True).only("pk", "terms", "excluded_terms")
    return Topics(
        TopicRule(t.pk, paths[t.pk], _lines(t.terms), _lines(t.excluded_terms))
        for t in active
        if _lines(t.terms)
    )


def topic_subtree(topic_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in Topic.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [topic_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def place_words() -> frozenset[str]:
    """The folded words of the units' names and codes ("Sevilla Nervión", "bilbao-centro"):
    comments name their store all the time, and a store is neither a topic nor a driver."""
    words: set[str] = set()
    for name, code in Unit.objects.values_list("name", "code"):
        words.update(t.text for t in tokens(f"{name} {code}") if t.kind == Kind.WORD)
    return frozenset(words)
