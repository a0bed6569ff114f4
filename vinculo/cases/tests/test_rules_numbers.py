"""A rule's number compares as a number however it was stored (6 or 6.0)."""

import pytest

from vinculo.cases.rules import compile_condition


@pytest.mark.parametrize("value", [6, 6.0])
def test_numbers_compare_as_numbers_whether_stored_whole_or_not(value: float) -> None:
    field, test = compile_condition({"field": "nps", "op": "lte", "value": value})

    assert field == "nps"
    assert [score for score in range(11) if test(float(score))] == [0, 1, 2, 3, 4, 5, 6]
    assert test(None) is False
