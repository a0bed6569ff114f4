"""``manage.py score_texts``: any CSV with a text column, scored and written back."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def write_csv(path, rows, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def score(source, target):
    out = io.StringIO()
    call_command("score_texts", str(source), str(target), stdout=out)
    with target.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle)), out.getvalue()


def test_every_row_comes_back_with_its_columns_and_the_analysis(tmp_path):
    source = write_csv(
        tmp_path / "in.csv",
        [
            ["id", "store", "text"],
            ["7", "Bilbao", "Pésimo servicio, nunca más vuelvo 😡"],
            ["8", "Sevilla", "The staff were lovely, thank you!"],
            ["9", "Madrid", ""],
            ["10", "Vigo", "<script>alert('x')</script> =1+1"],
        ],
    )

    rows, log = score(source, tmp_path / "out.csv")

    assert rows[0] == [
        "id",
        "store",
        "text",
        "language",
        "sentiment",
        "score",
        "emotions",
        "emotion_scores",
        "topics",
    ]
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_id["7"]["store"] == "Bilbao" and by_id["7"]["language"] == "es"
    assert by_id["7"]["sentiment"] == "very_negative"
    assert "anger" in by_id["7"]["emotions"].split(";")
    assert by_id["8"]["language"] == "en" and by_id["8"]["sentiment"] in (
        "positive",
        "very_positive",
    )
    assert "gratitude" in by_id["8"]["emotions"]
    assert (by_id["9"]["language"], by_id["9"]["sentiment"]) == ("und", "neutral")
    assert by_id["10"]["text"] == "<script>alert('x')</script> =1+1"  # kept as written
    assert "4 rows scored (1 with no text)" in log


def test_gold_labels_give_the_evaluation_report(tmp_path):
    source = write_csv(
        tmp_path / "gold.csv",
        [
            ["text", "label", "emotion"],
            ["Excelente atención, muy contenta", "positive", "joy"],
            ["Horrible, me cobraron dos veces y nadie responde", "negative", "anger;frustration"],
            ["¿A qué hora abren el sábado?", "neutral", ""],
            ["Great service", "postive", ""],
        ],
    )

    _rows, log = score(source, tmp_path / "out.csv")

    assert "Sentiment, 3 classes [all]: n=3" in log
    assert "gold \\ predicted" in log and "macro-F1" in log
    assert "Emotions [all]: n=4" in log
    assert "row 5: label 'postive'" in log


def test_a_long_text_is_read_in_part_and_the_file_goes_on(tmp_path):
    source = write_csv(
        tmp_path / "big.csv",
        [
            ["text"],
            ["muy mal " * 130_000],
            ["Todo bien, gracias"],
        ],
    )

    rows, _log = score(source, tmp_path / "out.csv")

    assert len(rows) == 3 and len(rows[1][0]) == 8 * 130_000
    assert rows[2][2] in ("positive", "very_positive")


def test_windows_1252_and_semicolons_as_spreadsheets_export_them(tmp_path):
    source = tmp_path / "excel.csv"
    source.write_bytes("text;tienda\r\nAtención pésima;Bilbao\r\n".encode("cp1252"))

    rows, _log = score(source, tmp_path / "out.csv")

    assert rows[1][:2] == ["Atención pésima", "Bilbao"]
    assert rows[1][3] in ("negative", "very_negative")


def test_a_file_without_a_text_column_is_refused_by_name(tmp_path):
    source = write_csv(tmp_path / "no_text.csv", [["comentario"], ["hola"]])

    with pytest.raises(CommandError, match="la columna «text»"):
        score(source, tmp_path / "out.csv")


def test_binary_garbage_is_refused_with_a_clear_error(tmp_path):
    source = tmp_path / "garbage.csv"
    source.write_bytes(b"text\n" + bytes(range(256)) * 40)

    with pytest.raises(CommandError):
        score(source, tmp_path / "out.csv")
