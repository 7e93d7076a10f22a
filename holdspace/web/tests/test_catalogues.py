"""The translation catalogues match the code: every string is marked and
translated into German, and the compiled catalogue is current."""

from holdspace.lib import catalogues


def test_the_catalogues_match_the_code() -> None:
    assert catalogues.problems() == []
