"""Scoring a file of texts: any CSV with a ``text`` column in, the same rows plus the
analytics' columns out, streamed row by row; with gold labels, an evaluation report.

Gold columns understood: ``label`` (negative / neutral / positive), ``sentiment`` (the five
levels, when its values are those), ``emotion`` (emotions separated by ';'). Rows are
grouped by their ``language`` column when the file has one, else by the detected language.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from vinculo.imports.readers import UnreadableFile, read_csv
from vinculo.textan.engine.evaluation import (
    COLLAPSE,
    SENTIMENT_3,
    SENTIMENT_5,
    Evaluation,
    split_labels,
)
from vinculo.textan.engine.lexicon import EMOTIONS
from vinculo.textan.engine.pipeline import Analysis, analyze
from vinculo.textan.engine.topics import NO_TOPICS, Topics

# A comment can be long (a pasted e-mail thread): the csv module's 128 KiB cell limit would
# stop the whole file at it. Texts beyond the engine's own limit are read only in part.
csv.field_size_limit(16 * 1024 * 1024)

# Read before scoring to refuse binary files and files with no line breaks.
HEAD_BYTES = 1 << 20

OUTPUT_COLUMNS = ("language", "sentiment", "score", "emotions", "emotion_scores", "topics")


class BatchError(Exception):
    """A file that cannot be scored at all; the message is for the person who sent it."""


@dataclass
class BatchReport:
    rows: int = 0
    empty: int = 0  # rows whose text was blank: written, not analysed
    evaluation: Evaluation = field(default_factory=lambda: Evaluation(emotion_labels=EMOTIONS))
    columns: list[str] = field(default_factory=list)


def _output_names(header: list[str]) -> list[str]:
    taken = {h.strip().lower() for h in header}
    return [f"vinculo_{c}" if c in taken else c for c in OUTPUT_COLUMNS]


def _column(header: list[str], name: str) -> int | None:
    wanted = [i for i, h in enumerate(header) if h.strip().lower() == name]
    return wanted[0] if wanted else None


def analysis_cells(found: Analysis) -> list[str]:
    ranked = sorted(found.emotions.items(), key=lambda kv: -kv[1])
    return [
        found.language,
        found.sentiment,
        f"{found.score:.3f}",
        ";".join(name for name, _v in ranked),
        ";".join(f"{name}:{value:.2f}" for name, value in ranked),
        ";".join(hit.path for hit in found.topics),
    ]


def score_file(
    source: Path,
    out: IO[str],
    *,
    topics: Topics = NO_TOPICS,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 10_000,
) -> BatchReport:
    """Writes ``source``'s rows with the analysis to ``out``, calling ``progress`` with the
    rows done every ``progress_every`` rows; a ``BatchError`` names what is wrong."""
    _check_head(source)
    try:
        header, rows = read_csv(source)
    except UnreadableFile as error:
        raise _unreadable(error, 1, source) from error
    text_at = _column(header, "text")
    if text_at is None:
        raise BatchError(_("The file has no “text” column (the first row must name the columns)."))
    report = BatchReport(columns=_output_names(header))
    writer = csv.writer(out)
    writer.writerow([*header, *report.columns])
    gold = _Gold(header)
    for number, row in _numbered(rows, source):
        text = row[text_at] if text_at < len(row) else ""
        found = analyze(text, topics)
        report.rows += 1
        if not text.strip():
            report.empty += 1
        padding = [""] * (len(header) - len(row))  # short rows keep the columns aligned
        writer.writerow([*row, *padding, *analysis_cells(found)])
        gold.add(report.evaluation, number, row, found)
        if progress is not None and report.rows % progress_every == 0:
            progress(report.rows)
    return report


def _check_head(source: Path) -> None:
    """Refuses at once what is not CSV text: binary data (a spreadsheet, a PDF, UTF-16
    text) holds NUL bytes, and a first line of megabytes is no row of column names."""
    with source.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if b"\x00" in head:
        raise BatchError(
            _(
                "Row 1: the file is not CSV text (it holds binary data, or it is saved as "
                "UTF-16). Save it from the spreadsheet as “CSV UTF-8” and upload it again."
            )
        )
    if len(head) == HEAD_BYTES and b"\n" not in head and b"\r" not in head:
        raise BatchError(
            _("Row 1 is longer than %(size)s: the file does not look like CSV.")
            % {"size": filesizeformat(HEAD_BYTES)}
        )


def _numbered(rows: Iterator[list[str]], source: Path) -> Iterator[tuple[int, list[str]]]:
    number = 1
    try:
        for number, row in enumerate(rows, start=2):
            yield number, row
    except UnreadableFile as error:
        raise _unreadable(error, number + 1, source) from error


def _unreadable(error: UnreadableFile, row: int, source: Path) -> BatchError:
    cause = error.__cause__
    if isinstance(cause, UnicodeDecodeError):
        # Text is decoded ahead of the rows read, so the row reached is not where the bad
        # bytes are: look for their line.
        line = _undecodable_line(source, "cp1252" if cause.encoding == "charmap" else "utf-8")
        return BatchError(
            _(
                "Line %(line)s: the text is neither UTF-8 nor Windows-1252. Save the file as "
                "“CSV UTF-8” and upload it again."
            )
            % {"line": line or row}
        )
    message = _("Row %(row)s: the file cannot be read as CSV (%(error)s).")
    return BatchError(message % {"row": row, "error": error})


def _undecodable_line(source: Path, encoding: str) -> int | None:
    with source.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                return number
    return None


class _Gold:
    """Where the gold labels are in the header, and how each row's count."""

    def __init__(self, header: list[str]) -> None:
        self.label = _column(header, "label")
        self.sentiment = _column(header, "sentiment")
        self.emotion = _column(header, "emotion")
        self.language = _column(header, "language")

    def add(self, evaluation: Evaluation, number: int, row: list[str], found: Analysis) -> None:
        language = _cell(row, self.language) or found.language
        label = _cell(row, self.label).lower()
        if label in SENTIMENT_3:
            evaluation.add_sentiment(language, label, found.sentiment, five=False)
        elif label:
            evaluation.invalid.append(f"row {number}: label '{label}'")
        level = _cell(row, self.sentiment).lower()
        if level in SENTIMENT_5:
            evaluation.add_sentiment(language, level, found.sentiment, five=True)
            if self.label is None:
                evaluation.add_sentiment(language, COLLAPSE[level], found.sentiment, five=False)
        if self.emotion is not None:
            emotions = split_labels(_cell(row, self.emotion))
            unknown = [e for e in emotions if e not in EMOTIONS]
            if unknown:
                evaluation.invalid.append(f"row {number}: emotion '{';'.join(unknown)}'")
            else:
                evaluation.add_emotions(language, emotions, found.emotions)


def _cell(row: list[str], at: int | None) -> str:
    return row[at].strip() if at is not None and at < len(row) else ""
