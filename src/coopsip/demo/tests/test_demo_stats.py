"""The demo's statistics: real numbers from the demo data, since SIP#1 (2015-2016)."""

from __future__ import annotations

import pytest

from conftest import client_for
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.demo.stats import load_stats
from coopsip.stats import selectors

pytestmark = pytest.mark.django_db


def test_a_visitor_reads_every_edition_since_2015_with_figures(demo: dict[str, int]) -> None:
    selectors.forget_overview()
    overview = selectors.compute_overview()
    by_slug = {row.edition.slug: row for row in overview.editions}
    assert {"2015-2016", "2017-2018", "2018-2019", "2019-2020", "2020-2021", DEMO_EDITION} <= set(by_slug)
    assert by_slug["2015-2016"].source == selectors.RECORDED
    # The demo forms 2017-2018 on the platform, in its own format (issue 20): its figures are the platform's.
    assert by_slug["2017-2018"].source == selectors.PLATFORM
    assert by_slug["2017-2018"].decided >= 4  # the archive's decisions are the platform's
    assert by_slug[DEMO_EDITION].source == selectors.PLATFORM
    assert by_slug[DEMO_EDITION].registrations > 100
    assert overview.distinct_people > 4000  # "since 2015 more than 4,000 people took part"
    page = client_for(None).get("/en/statistics/").content.decode()
    assert "distinct people took part since 2015" in page
    assert "Smart in Progress 2015-2016" in page


def test_loading_the_recorded_figures_twice_changes_nothing(demo: dict[str, int]) -> None:
    assert load_stats() == load_stats() == {"recorded_figures": 5}


def test_the_open_data_zip_of_the_demo_holds_no_demo_persons_email(demo: dict[str, int]) -> None:
    import io
    import zipfile

    from coopsip.accounts.models import User
    from coopsip.members.models import RegisterEntry
    from coopsip.stats.opendata import build_zip

    archive = zipfile.ZipFile(io.BytesIO(build_zip()))
    text = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert "Een ethisch comité voor Smart oprichten" in text  # the archive's public recommendations are in it
    emails = set(User.objects.values_list("email", flat=True)) | set(
        RegisterEntry.objects.values_list("email", flat=True)
    )
    leaked = sorted(email for email in emails if email and email in text)
    assert leaked == []
