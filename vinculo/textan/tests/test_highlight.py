"""Evidence marks in customer text: ours are HTML, theirs never is."""

from vinculo.textan.highlight import highlighted


def test_evidence_is_marked_and_everything_else_escaped():
    text = "<b>Pésimo</b> & caro"
    evidence = [
        {"start": 3, "end": 9, "term": "pesimo", "weight": -3.0, "emotions": [["anger", 1.0]]},
        {"start": 16, "end": 20, "term": "caro", "weight": -1.0, "emotions": []},
    ]

    html = str(highlighted(text, evidence))

    assert html == (
        '&lt;b&gt;<mark class="ev neg" title="pesimo (-3.0) · anger">Pésimo</mark>&lt;/b&gt; '
        '&amp; <mark class="ev neg" title="caro (-1.0)">caro</mark>'
    )


def test_a_script_in_a_comment_stays_text():
    html = str(
        highlighted(
            "<script>alert(1)</script> genial",
            [{"start": 26, "end": 32, "term": "genial", "weight": 3.0, "emotions": []}],
        )
    )

    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<mark class="ev pos"' in html


def test_a_cut_text_keeps_only_the_marks_inside_the_cut():
    html = str(
        highlighted(
            "bien " * 10 + "fatal",
            [
                {"start": 0, "end": 4, "term": "bien", "weight": 1.0, "emotions": []},
                {"start": 50, "end": 55, "term": "fatal", "weight": -3.0, "emotions": []},
            ],
            limit=20,
        )
    )

    assert html.count("<mark") == 1 and html.endswith("…")
