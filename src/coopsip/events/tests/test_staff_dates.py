"""Staff tables write short dates in the page's language (issue 16, point 4: no "8 Okt 2026" anywhere)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import formats, translation


@pytest.mark.parametrize(("code", "expected"), [("nl", "8 okt 2026"), ("fr", "8 oct. 2026"), ("en", "8 Oct 2026")])
def test_a_staff_date_is_written_as_the_language_writes_it(code: str, expected: str) -> None:
    with translation.override(code):
        assert formats.date_format(date(2026, 10, 8), "STAFF_DATE_FORMAT") == expected
