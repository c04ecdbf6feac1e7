"""Sara (staff) creates, edits, copies, publishes and reads the history of editions on the staff pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.core.models import ChangeRecord
from coopsip.editions.models import CurrentEdition, Edition, FaqItem, Phase, PhaseKind, Theme, ThemeOffice
from coopsip.editions.selectors import current_edition
from coopsip.editions.services import publish_edition, update_edition
from coopsip.editions.tests.test_staff_access import brussels, make_edition, make_full_edition
from coopsip.places.models import Office


def edition_data(**changes: str | None) -> dict[str, str]:
    """What Sara types in the form of a new edition; None leaves a field out."""
    data: dict[str, str | None] = {
        "slug": "2021-2022",
        "title_nl": "Smart in Progress 2021-2022",
        "title_fr": "Smart in Progress 2021-2022 (fr)",
        "intro_nl": "Een jaar **samen**.",
        "in_belgium": "on",
        "in_france": "on",
        "starts_on": "2021-11-01",
        "ends_on": "2022-04-30",
        "registration_opens_at": "2021-11-15T10:00",
        "registration_closes_at": "2022-01-10T23:59",
        "admits_partners": "on",
        "meetings_expected": "5",
        "meeting_hours": "3",
        "commitment_starts_on": "2022-01-01",
        "commitment_ends_on": "2022-04-15",
        "group_size_min": "6",
        "group_size_max": "12",
        "contact_email": "sip@example.org",
        "requires_moderator": "on",
        "requires_secretary": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


CREATE = "editions_staff:create"


def test_staff_creates_an_edition_with_times_in_brussels(staff: Any) -> None:
    response = client_for(staff).post(reverse(CREATE), edition_data())
    edition = Edition.objects.get(slug="2021-2022")
    assert response.status_code == 302
    assert response["Location"] == reverse("editions_staff:dashboard", kwargs={"pk": edition.pk})
    assert edition.title_nl == "Smart in Progress 2021-2022"
    assert edition.title_fr == "Smart in Progress 2021-2022 (fr)"
    assert edition.countries == ["BE", "FR"]
    assert edition.admitted_stakeholder_types == ["partner"]
    assert edition.registration_opens_at == brussels(2021, 11, 15, 10)
    assert edition.published_at is None
    assert edition.status == "draft"
    record = ChangeRecord.objects.get(object_id=edition.pk, action="created")
    assert record.actor == staff
    assert record.changes["slug"] == [None, "2021-2022"]


BAD_EDITIONS = [
    pytest.param({"ends_on": "2021-10-01"}, "ends_on", "The end comes before the start.", id="end-before-start"),
    pytest.param(
        {"registration_closes_at": "2021-11-14T10:00"},
        "registration_closes_at",
        "Registration closes before it opens.",
        id="registration-closes-before-it-opens",
    ),
    pytest.param(
        {"registration_closes_at": ""},
        "registration_closes_at",
        "Give both the opening and the closing of registration, or neither.",
        id="registration-half-window",
    ),
    pytest.param(
        {"commitment_ends_on": "2021-12-01"},
        "commitment_ends_on",
        "The end comes before the start.",
        id="commitment-ends-before-it-starts",
    ),
    pytest.param({"title_nl": ""}, "title_nl", "Dutch is the default language", id="no-dutch-title"),
    pytest.param(
        {"in_belgium": None, "in_france": None}, "in_belgium", "Choose Belgium, France or both.", id="no-country"
    ),
    pytest.param(
        {"group_size_max": "4"},
        "group_size_max",
        "The maximum group size is smaller than the minimum.",
        id="groups-upside-down",
    ),
    pytest.param({"group_size_min": "1"}, "group_size_min", "A group must have at least 2 people.", id="group-of-one"),
    pytest.param({"starts_on": "1 November"}, "starts_on", "Enter a valid date.", id="not-a-date"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_EDITIONS)
def test_bad_input_keeps_what_was_typed_and_saves_nothing(
    staff: Any, changes: dict[str, str | None], field: str, message: str
) -> None:
    data = edition_data(**changes)
    response = client_for(staff).post(reverse(CREATE), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert 'value="Smart in Progress 2021-2022 (fr)"' in html  # what was typed is still there
    assert form["slug"].value() == "2021-2022"
    assert not Edition.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_a_slug_already_taken_is_refused(staff: Any) -> None:
    make_edition("2021-2022", year=2021)
    response = client_for(staff).post(reverse(CREATE), edition_data())
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors
    assert Edition.objects.count() == 1


def test_the_new_edition_form_offers_the_usual_defaults(staff: Any) -> None:
    response = client_for(staff).get(reverse(CREATE))
    html = response.content.decode()
    assert 'type="datetime-local"' in html
    assert 'type="date"' in html
    assert 'lang="fr"' in html
    assert "<legend>Title</legend>" in html
    assert response.context["form"]["group_size_max"].value() == 12


def test_editing_a_setting_is_written_in_the_history(staff: Any) -> None:
    edition = make_edition(
        registration_opens_at=brussels(2020, 11, 15, 9), registration_closes_at=brussels(2021, 1, 10)
    )
    url = reverse("editions_staff:edit", kwargs={"pk": edition.pk})
    client = client_for(staff)
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update(
        starts_on="2020-11-01",
        ends_on="2021-04-30",
        registration_opens_at="2020-11-15T09:00",
        registration_closes_at="2021-01-10T00:00",
        in_belgium="on",
        title_nl="SIP 2020-2021: samen verder",
    )
    assert client.post(url, data).status_code == 302
    edition.refresh_from_db()
    assert edition.title_nl == "SIP 2020-2021: samen verder"
    assert edition.registration_opens_at == brussels(2020, 11, 15, 9)
    record = ChangeRecord.objects.get(action="changed")
    assert record.changes == {"title_nl": ["Smart in Progress 2020-2021", "SIP 2020-2021: samen verder"]}

    history = client.get(reverse("editions_staff:history", kwargs={"pk": edition.pk})).content.decode()
    assert "Sara Janssens" in history
    assert "title [nl]" in history
    assert "Smart in Progress 2020-2021" in history
    assert "SIP 2020-2021: samen verder" in history


def test_an_edition_cannot_shrink_around_its_phases(staff: Any) -> None:
    edition = make_full_edition()
    url = reverse("editions_staff:edit", kwargs={"pk": edition.pk})
    client = client_for(staff)
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v not in (None, False)}
    data.update(in_belgium="on", starts_on="2020-11-01", ends_on="2021-01-15")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "A phase of this edition ends after this date" in response.context["form"].errors["ends_on"][0]
    edition.refresh_from_db()
    assert edition.ends_on == date(2021, 4, 30)


def test_the_history_lists_changes_to_parts_and_deleted_parts(staff: Any) -> None:
    edition = make_full_edition()
    client = client_for(staff)
    phase = edition.phases.get()
    base = {"pk": edition.pk, "kind": "phases", "part_pk": phase.pk}
    data = {"kind": "ideas", "starts_on": "2021-01-20", "ends_on": "2021-02-20", "title_en": "Ideas"}
    assert client.post(reverse("editions_staff:part_edit", kwargs=base), data).status_code == 302
    faq = edition.faq.get()
    url = reverse("editions_staff:part_delete", kwargs={"pk": edition.pk, "kind": "faq", "part_pk": faq.pk})
    assert client.post(url).status_code == 302

    rows = client.get(reverse("editions_staff:history", kwargs={"pk": edition.pk})).context["rows"]
    assert [(row["record"].action, row["record"].object_repr) for row in rows] == [
        ("part_deleted", "Smart in Progress 2020-2021"),
        ("changed", "Ideas"),
    ]
    deleted = rows[0]["changes"][0]
    assert (deleted["label"], deleted["before"]) == ("question and answer", "Wie mag deelnemen?")
    changed = {change["label"]: (change["before"], change["after"]) for change in rows[1]["changes"]}
    assert changed["kind"] == ("Studying the theme", "Ideas for recommendations")
    assert changed["title [en]"] == ("", "Ideas")  # empty before, whether NULL or ""


def _as_browser_sends(form: Any) -> dict[str, str]:
    """The form's values as a browser posts them back: ticks as "on", texts with CRLF line endings."""
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value in (None, False, ""):
            continue
        if value is True:
            data[name] = "on"
        elif hasattr(field.widget, "format_value") and not isinstance(value, str | int):
            data[name] = str(field.widget.format_value(value))
        else:
            data[name] = str(value).replace("\n", "\r\n")
    return data


def test_a_plain_save_without_changes_writes_no_history(staff: Any) -> None:
    # Issue 11, point 13: saving the settings unchanged logged the texts as changed.
    edition = make_full_edition()
    Edition.objects.filter(pk=edition.pk).update(intro_nl="Een jaar **samen**.\n\nTweede alinea.\n")
    theme = edition.themes.get()
    Theme.objects.filter(pk=theme.pk).update(challenges_nl="## Uitdagingen\n\n- een\n- twee\n")
    client = client_for(staff)
    edit = reverse("editions_staff:edit", kwargs={"pk": edition.pk})
    assert client.post(edit, _as_browser_sends(client.get(edit).context["form"])).status_code == 302
    theme_edit = reverse("editions_staff:part_edit", kwargs={"pk": edition.pk, "kind": "themes", "part_pk": theme.pk})
    assert client.post(theme_edit, _as_browser_sends(client.get(theme_edit).context["form"])).status_code == 302
    assert not ChangeRecord.objects.filter(action="changed").exists()
    assert client.get(reverse("editions_staff:history", kwargs={"pk": edition.pk})).context["rows"] == []


def test_the_history_shows_names_and_words_not_ids_keys_or_true_false(staff: Any) -> None:
    edition = make_full_edition()
    earlier = make_edition("2019-2020", year=2019)
    old_theme = Theme.objects.create(edition=earlier, slug="oud", title_nl="Vroeger thema")
    theme = edition.themes.get()
    client = client_for(staff)
    theme_edit = reverse("editions_staff:part_edit", kwargs={"pk": edition.pk, "kind": "themes", "part_pk": theme.pk})
    data = _as_browser_sends(client.get(theme_edit).context["form"])
    data.update(extends=str(old_theme.pk), to_be_extended="on")
    assert client.post(theme_edit, data).status_code == 302
    office = ThemeOffice.objects.get(theme=theme)
    office_edit = reverse(
        "editions_staff:part_edit", kwargs={"pk": edition.pk, "kind": "offices", "part_pk": office.pk}
    )
    liege = Office.objects.get(slug="luik")
    assert client.post(office_edit, {"theme": str(theme.pk), "office": str(liege.pk)}).status_code == 302

    rows = client.get(reverse("editions_staff:history", kwargs={"pk": edition.pk})).context["rows"]
    changes = {change["label"]: (change["before"], change["after"]) for row in rows for change in row["changes"]}
    assert changes["continues the theme"] == ("", "Vroeger thema")
    assert changes["extend into the next edition"] == ("no", "yes")
    assert changes["office"] == (str(Office.objects.get(slug="gent")), str(liege))
    assert len(changes) == 3  # nothing else was logged as changed


def test_the_history_of_one_edition_leaves_out_the_others(staff: Any) -> None:
    first, second = make_edition(), make_edition("2021-2022", year=2021)
    update_edition(actor=staff, edition=second, values={"title_nl": "Andere"})
    response = client_for(staff).get(reverse("editions_staff:history", kwargs={"pk": first.pk}))
    assert response.context["rows"] == []


def test_copying_carries_extended_themes_phases_and_faq(staff: Any) -> None:
    source = make_full_edition()
    Theme.objects.create(edition=source, slug="deeleconomie", title_nl="Deeleconomie", to_be_extended=True)
    client = client_for(staff)
    url = reverse("editions_staff:copy", kwargs={"pk": source.pk})

    page = client.get(url)
    assert "Deeleconomie" in page.content.decode()
    assert page.context["form"]["slug"].value() == "2021-2022"
    assert page.context["form"]["starts_on"].value() == date(2021, 11, 1)

    data = {"slug": "2021-2022", "title_nl": "SIP 2021-2022", "starts_on": "2021-11-01", "ends_on": "2022-04-30"}
    response = client.post(url, data)
    copy = Edition.objects.get(slug="2021-2022")
    assert response["Location"] == reverse("editions_staff:dashboard", kwargs={"pk": copy.pk})
    theme = copy.themes.get()
    assert theme.title_nl == "Deeleconomie"
    assert theme.extends == source.themes.get(slug="deeleconomie")
    assert [(p.starts_on, p.ends_on) for p in copy.phases.all()] == [(date(2022, 1, 1), date(2022, 1, 31))]
    assert list(copy.faq.values_list("question_nl", flat=True)) == ["Wie mag deelnemen?"]


COPY_BAD = [
    pytest.param({"slug": "2020-2021"}, "slug", id="slug-taken"),
    pytest.param({"title_nl": ""}, "title_nl", id="no-dutch-title"),
    pytest.param({"ends_on": "2021-10-01"}, "ends_on", id="end-before-start"),
    pytest.param({"ends_on": "2021-12-31"}, "ends_on", id="phases-would-not-fit"),
]


@pytest.mark.parametrize(("changes", "field"), COPY_BAD)
def test_a_bad_copy_keeps_the_input_and_creates_nothing(staff: Any, changes: dict[str, str], field: str) -> None:
    source = make_full_edition()
    data = {"slug": "2021-2022", "title_nl": "SIP 2021-2022", "starts_on": "2021-11-01", "ends_on": "2022-04-30"}
    data.update(changes)
    response = client_for(staff).post(reverse("editions_staff:copy", kwargs={"pk": source.pk}), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert response.context["form"]["slug"].value() == data["slug"]
    assert Edition.objects.count() == 1


def test_publishing_asks_first_then_makes_the_edition_current(staff: Any) -> None:
    edition = make_edition(in_france=True)
    client = client_for(staff)
    url = reverse("editions_staff:publish", kwargs={"pk": edition.pk})
    page = client.get(url).content.decode()
    assert "Belgium, France" in page
    assert not CurrentEdition.objects.exists()

    assert client.post(url).status_code == 302
    edition.refresh_from_db()
    assert edition.published_at is not None
    assert {row.country: row.edition for row in CurrentEdition.objects.all()} == {"BE": edition, "FR": edition}


def test_publishing_another_edition_for_the_same_country_replaces_it(staff: Any) -> None:
    old = publish_edition(actor=staff, edition=make_edition(in_france=True))
    new = make_edition("2021-2022", year=2021)
    client = client_for(staff)
    url = reverse("editions_staff:publish", kwargs={"pk": new.pk})
    page = client.get(url).content.decode()
    assert "“Smart in Progress 2020-2021” is the current edition in Belgium (closed)" in page
    assert "It replaces the edition above." in page
    # The old edition is over: making the new one current is the first choice.
    assert page.index('value="yes"') < page.index('value="no"')
    client.post(url, {"make_current": "yes"})
    assert {row.country: row.edition for row in CurrentEdition.objects.all()} == {"BE": new, "FR": old}
    assert CurrentEdition.objects.filter(country="BE").count() == 1


def test_unpublishing_takes_the_edition_back_to_draft(staff: Any) -> None:
    edition = publish_edition(actor=staff, edition=make_edition())
    client = client_for(staff)
    url = reverse("editions_staff:unpublish", kwargs={"pk": edition.pk})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    edition.refresh_from_db()
    assert edition.published_at is None
    assert not CurrentEdition.objects.exists()
    assert list(ChangeRecord.objects.values_list("action", flat=True)) == ["unpublished", "published"]


def test_the_dashboard_links_to_the_preview_of_the_public_page(staff: Any) -> None:
    edition = make_full_edition()
    response = client_for(staff).get(reverse("editions_staff:dashboard", kwargs={"pk": edition.pk}))
    html = response.content.decode()
    assert 'href="/en/editions/2020-2021/"' in html
    for text in ["Study", "Gendergelijkheid", "Ghent", "Verslag", "Bijdrage", "Infosessie", "Wie mag deelnemen?"]:
        assert text in html


def test_the_list_shows_status_and_where_an_edition_is_current(staff: Any) -> None:
    publish_edition(actor=staff, edition=make_edition(year=2020))
    make_edition("2021-2022", year=2021)
    html = client_for(staff).get(reverse("editions_staff:list")).content.decode()
    assert "Smart in Progress 2021-2022" in html
    assert "Draft" in html
    assert "not published" in html
    assert "Belgium" in html


@pytest.mark.parametrize("count", [1, 5])
def test_the_list_page_keeps_a_fixed_number_of_queries(staff: Any, django_assert_num_queries: Any, count: int) -> None:
    for number in range(count):
        edition = make_full_edition(f"{2010 + number}-{2011 + number}", year=2010 + number)
        Theme.objects.create(edition=edition, slug="tweede", title_nl="Tweede")
        publish_edition(actor=staff, edition=edition)
    client = client_for(staff)
    with django_assert_num_queries(7):
        assert client.get(reverse("editions_staff:list")).status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_the_dashboard_keeps_a_fixed_number_of_queries(staff: Any, django_assert_num_queries: Any, count: int) -> None:
    edition = make_full_edition()
    for number in range(count):
        Phase.objects.create(
            edition=edition,
            kind=PhaseKind.OTHER,
            starts_on=date(2021, 2, 1),
            ends_on=date(2021, 2, 1) + timedelta(number),
        )
        FaqItem.objects.create(edition=edition, question_nl=f"Vraag {number}", answer_nl="Antwoord")
        Theme.objects.create(edition=edition, slug=f"thema-{number}", title_nl=f"Thema {number}")
    client = client_for(staff)
    # One more than before issue 11: the edition current elsewhere in its countries, if any.
    with django_assert_num_queries(15):
        assert client.get(reverse("editions_staff:dashboard", kwargs={"pk": edition.pk})).status_code == 200


def _open_edition(staff: Any) -> Edition:
    """The edition on the home page, its registration open now."""
    today = timezone.localdate()
    edition = make_edition(
        "lopend",
        starts_on=today + timedelta(days=20),
        ends_on=today + timedelta(days=200),
        registration_opens_at=timezone.now() - timedelta(days=1),
        registration_closes_at=timezone.now() + timedelta(days=15),
    )
    return publish_edition(actor=staff, edition=edition)


def test_publishing_a_future_edition_keeps_the_one_whose_registration_is_open_on_the_home_page(staff: Any) -> None:
    # Issue 11, point 12: publishing a future edition took the open one off the home page at once.
    open_edition = _open_edition(staff)
    today = timezone.localdate()
    future = make_edition("volgend", starts_on=today + timedelta(days=400), ends_on=today + timedelta(days=600))
    client = client_for(staff)
    url = reverse("editions_staff:publish", kwargs={"pk": future.pk})
    page = client.get(url).content.decode()
    assert "(registration open): the home page presents it" in page
    assert "we suggest keeping it there for now" in page
    assert page.index('value="no"') < page.index('value="yes"')  # keeping it is the first choice

    response = client.post(url, {"make_current": "no"}, follow=True)
    future.refresh_from_db()
    assert future.is_published
    assert current_edition(country="BE") == open_edition
    html = response.content.decode()
    assert "The home page still presents the current edition" in html
    assert "Published, but not the current edition in Belgium" in html
    assert "Make current…" in html

    # Later, when its registration opens, Sara makes it current.
    assert "Make “" in client.get(url).content.decode()
    client.post(url, {"make_current": "yes"})
    assert current_edition(country="BE") == future
    assert ChangeRecord.objects.filter(action="made_current").count() == 1


def test_an_empty_post_publishes_without_taking_the_current_edition_off_the_home_page(staff: Any) -> None:
    open_edition = _open_edition(staff)
    future = make_edition("volgend", year=timezone.localdate().year + 2)
    client_for(staff).post(reverse("editions_staff:publish", kwargs={"pk": future.pk}))
    assert current_edition(country="BE") == open_edition


def test_a_copied_introduction_that_names_last_years_dates_is_flagged(staff: Any) -> None:
    source = make_edition(
        intro_nl="Schrijf je in tot 10 januari 2021. De groepen starten in 2021.",
        intro_fr="Inscris-toi jusqu'au 10 janvier 2021.",
    )
    client = client_for(staff)
    data = {"slug": "2021-2022", "title_nl": "SIP 2021-2022", "starts_on": "2021-11-01", "ends_on": "2022-04-30"}
    client.post(reverse("editions_staff:copy", kwargs={"pk": source.pk}), data)
    copy = Edition.objects.get(slug="2021-2022")
    copy.refresh_from_db()
    assert "2021" in copy.intro_nl  # copied as is
    # 2021 is the year the new edition starts in: not flagged. Make the copy start in 2022 to see the warning.
    Edition.objects.filter(pk=copy.pk).update(starts_on=date(2022, 1, 1), ends_on=date(2022, 6, 30))
    dashboard = client.get(reverse("editions_staff:dashboard", kwargs={"pk": copy.pk})).content.decode()
    assert "The introduction in Dutch names 2021, before this edition starts" in dashboard
    assert "The introduction in French names 2021" in dashboard
    publish_page = client.get(reverse("editions_staff:publish", kwargs={"pk": copy.pk})).content.decode()
    assert "The introduction in Dutch names 2021" in publish_page
    Edition.objects.filter(pk=copy.pk).update(intro_nl="Schrijf je in.", intro_fr="")
    dashboard = client.get(reverse("editions_staff:dashboard", kwargs={"pk": copy.pk})).content.decode()
    assert "The introduction in" not in dashboard
