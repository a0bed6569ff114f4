"""Text analytics: quality on the hand-labelled evaluation set, and speed of the pipeline.

Run by ``python -m bench textan``; prints one JSON line. Quality is reported per split:
``dev`` rows were looked at while the lexicons and rules were tuned, ``test`` rows never
were, so the test figures are the honest ones. Speed is comments per second through the
whole pipeline (tokens, language, sentiment, emotions, the starter topics, evidence) in one
process, i.e. one core, beside a bare pass that only tokenises the same texts, and the
words page's computation (``words.count_words``: two tokenising passes) over as many of
them as the page reads at most.
"""

import argparse
import csv
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinculo.settings")
django.setup()

from vinculo.textan.engine.evaluation import COLLAPSE, Evaluation, split_labels  # noqa: E402
from vinculo.textan.engine.lexicon import EMOTIONS, version  # noqa: E402
from vinculo.textan.engine.pipeline import analyze  # noqa: E402
from vinculo.textan.engine.text import tokens  # noqa: E402
from vinculo.textan.starter import starter_rules  # noqa: E402
from vinculo.textan.words import LIMIT, Doc, count_words  # noqa: E402

EVALSET = Path(__file__).resolve().parent / "data" / "textan" / "evalset.csv"


def load() -> list[dict[str, str]]:
    with EVALSET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def quality(rows: list[dict[str, str]], show: int) -> dict[str, Any]:
    by_split: dict[str, Evaluation] = {}
    failures: list[dict[str, str]] = []
    for row in rows:
        found = analyze(row["text"])
        evaluation = by_split.setdefault(row["split"], Evaluation(emotion_labels=EMOTIONS))
        evaluation.add_sentiment(row["language"], row["label"], found.sentiment, five=False)
        evaluation.add_sentiment(row["language"], row["sentiment"], found.sentiment, five=True)
        gold = split_labels(row["emotion"])
        evaluation.add_emotions(row["language"], gold, found.emotions)
        if row["split"] == "test" and COLLAPSE[found.sentiment] != row["label"]:
            failures.append(
                {
                    "id": row["id"],
                    "gold": row["sentiment"],
                    "got": found.sentiment,
                    "text": row["text"][:160],
                }
            )
    figures: dict[str, Any] = {}
    for split, evaluation in by_split.items():
        summary = evaluation.summary()
        per_emotion = {
            key: {s.label: round(s.f1, 3) for s in tally.per_label()}
            for key, tally in evaluation.emotions.items()
        }
        figures[split] = {"summary": summary, "emotion_f1": per_emotion}
    figures["failures"] = failures[:show]
    figures["failure_count"] = len(failures)
    return figures


def speed(rows: list[dict[str, str]], total: int) -> dict[str, Any]:
    texts = [r["text"] for r in rows]
    texts = (texts * (total // len(texts) + 1))[:total]
    topics = starter_rules()
    for text in texts[:200]:  # lexicons loaded, caches warm, as in a running worker
        analyze(text, topics)
    started = time.perf_counter()
    for text in texts:
        tokens(text)
    bare = time.perf_counter() - started
    started = time.perf_counter()
    languages: Counter[str] = Counter()
    docs = []
    for text in texts:
        found = analyze(text, topics)
        languages[found.language] += 1
        docs.append(Doc(text, found.language, found.score, found.sentiment, found.emotions))
    whole = time.perf_counter() - started
    # The words page over as many texts as it reads at most (two passes, all in memory).
    docs = docs[:LIMIT]
    started = time.perf_counter()
    view = count_words(lambda: docs, min_sample=30)
    words = time.perf_counter() - started
    return {
        "texts": total,
        "pipeline_per_s": round(total / whole),
        "bare_tokens_per_s": round(total / bare),
        "word_view_texts": len(docs),
        "word_view_s": round(words, 2),
        "word_view_per_s": round(len(docs) / words),
        "word_view_terms": len(view.words) + len(view.phrases),
        "languages": dict(languages),
        "topics": len(topics.rules),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=50_000)
    parser.add_argument("--failures", type=int, default=25)
    args = parser.parse_args()
    rows = load()
    figures = {"model": version(), "rows": len(rows), **quality(rows, args.failures)}
    figures["speed"] = speed(rows, args.texts)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
