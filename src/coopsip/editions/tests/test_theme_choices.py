"""Theme selects name each theme's edition, newest first, and offer only recent editions (issue 11, point 17).

Two editions often share a theme title ("Gender equality" in 2019-2020 and
2020-2021): without the edition, staff cannot tell the options apart.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.editions.models import Edition, Theme
from coopsip.editions.tests.test_staff_access import make_edition
from coopsip.events.organise_forms import EventForm


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, html
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select[1], re.S)]


@pytest.fixture
def gender_equality(db: Any) -> dict[str, Theme]:
    """Four editions relative to today: ended long ago, ended recently, running, upcoming."""
    today = timezone.localdate()
    dates = {
        "2016-2017": (today - timedelta(days=600), today - timedelta(days=400)),
        "2019-2020": (today - timedelta(days=300), today - timedelta(days=100)),
        "2020-2021": (today - timedelta(days=30), today + timedelta(days=100)),
        "2021-2022": (today + timedelta(days=200), today + timedelta(days=400)),
    }
    themes = {}
    for slug, (starts_on, ends_on) in dates.items():
        edition = make_edition(slug, starts_on=starts_on, ends_on=ends_on)
        themes[slug] = Theme.objects.create(
            edition=edition, slug="gender", title_nl="Gendergelijkheid", title_en="Gender equality"
        )
    return themes


def test_the_event_form_names_the_edition_of_each_theme_newest_first(gender_equality: dict[str, Theme]) -> None:
    form = EventForm()
    labels = [label for _value, label in form.fields["theme"].choices][1:]
    # 2021-2022 upcoming, 2020-2021 running, 2019-2020 ended less than a year ago; 2016-2017 is too old.
    assert labels == ["Gender equality (2021-2022)", "Gender equality (2020-2021)", "Gender equality (2019-2020)"]


def test_an_event_keeps_its_old_theme_when_edited(gender_equality: dict[str, Theme]) -> None:
    old = gender_equality["2016-2017"]
    form = EventForm(initial={"theme": old.pk})
    assert "Gender equality (2016-2017)" in [label for _value, label in form.fields["theme"].choices]


def test_the_continued_theme_select_names_the_edition_of_the_recent_earlier_editions(
    staff: Any, gender_equality: dict[str, Theme]
) -> None:
    today = timezone.localdate()
    for slug, days in (("2017-2018", 550), ("2018-2019", 500)):
        make_edition(slug, starts_on=today - timedelta(days=days), ends_on=today - timedelta(days=days - 10))
    edition = Edition.objects.get(slug="2021-2022")
    url = reverse("editions_staff:part_add", kwargs={"pk": edition.pk, "kind": "themes"})
    labels = options(client_for(staff).get(url).content.decode(), "extends")
    # The three editions before 2021-2022, newest first; not 2016-2017, not the edition itself.
    assert labels == ["None", "Gender equality (2020-2021)", "Gender equality (2019-2020)"]
    theme = Theme.objects.create(edition=edition, slug="t", title_nl="T", extends=gender_equality["2016-2017"])
    url = reverse("editions_staff:part_edit", kwargs={"pk": edition.pk, "kind": "themes", "part_pk": theme.pk})
    assert "Gender equality (2016-2017)" in options(client_for(staff).get(url).content.decode(), "extends")
