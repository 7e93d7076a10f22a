"""The translation catalogues match the code: every string is marked and
translated into German, and the compiled catalogue is current."""

import os
import warnings

import pytest

from holdspace.lib import catalogues


def test_the_catalogues_match_the_code() -> None:
    if catalogues.tools_missing() and not os.environ.get("CI"):
        warnings.warn(catalogues.MISSING_TOOLS, stacklevel=1)
        pytest.skip(catalogues.MISSING_TOOLS)
    assert catalogues.problems() == []
