"""Registering for an edition ("Ik neem deel"): the form, its answers, its errors, who reaches it.

Builders here are used by the other test files of registrations too.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from conftest import client_for, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.editions.models import CurrentEdition, Edition, Theme
from coopsip.members.models import MembershipStatus
from coopsip.places.models import Municipality, Office
from coopsip.registrations.commitments import commitment_texts
from coopsip.registrations.models import (
    CommitmentKind,
    MeetingMode,
    Registration,
    RegistrationStatus,
    ThemePreference,
)
from coopsip.registrations.services import RegistrationInput, RegistrationInvalid, submit_registration


def make_places() -> None:
    for country, postcode, name in [
        ("BE", "9000", "Gent"),
        ("BE", "4000", "Liège"),
        ("BE", "4000", "Rocourt"),
        ("FR", "59000", "Lille"),
    ]:
        Municipality.objects.create(country=country, postcode=postcode, name=name, latitude=50.5, longitude=4.0)


def make_open_edition(slug: str = "2025-2026", **fields: Any) -> Edition:
    """A published edition in Belgium and France whose registration is open now, with four themes."""
    now = timezone.now()
    today = timezone.localdate()
    values: dict[str, Any] = {
        "title_nl": f"Smart in Progress {slug}",
        "title_fr": f"Smart in Progress {slug}",
        "title_en": f"Smart in Progress {slug}",
        "in_belgium": True,
        "in_france": True,
        "starts_on": today - timedelta(days=20),
        "ends_on": today + timedelta(days=200),
        "registration_opens_at": now - timedelta(days=10),
        "registration_closes_at": now + timedelta(days=10),
        "commitment_starts_on": date(today.year + 1, 1, 12),
        "commitment_ends_on": date(today.year + 1, 5, 29),
        "contact_email": "sip@example.org",
        "published_at": now - timedelta(days=30),
    }
    edition = Edition.objects.create(slug=slug, **(values | fields))
    for position, (theme_slug, nl, fr, en, be, fr_on) in enumerate(
        [
            ("werk", "Werk", "Travail", "Work", True, False),
            ("wonen", "Wonen", "Logement", "Housing", True, True),
            ("zorg", "Zorg", "Soins", "Care", True, True),
            ("france", "Coopératives en France", "Coopératives en France", "Cooperatives in France", False, True),
        ]
    ):
        Theme.objects.create(
            edition=edition,
            slug=theme_slug,
            position=position,
            title_nl=nl,
            title_fr=fr,
            title_en=en,
            in_belgium=be,
            in_france=fr_on,
        )
    return edition


def register_url(edition: Edition, language: str = "en") -> str:
    return f"/{language}/registrations/{edition.slug}/"


def mine_url(edition: Edition, language: str = "en") -> str:
    return f"/{language}/registrations/{edition.slug}/mine/"


def form_data(edition: Edition, **changes: Any) -> dict[str, Any]:
    """A complete, valid answer; ``changes`` replace fields, None leaves a field out."""
    themes = {theme.slug: theme.pk for theme in edition.themes.all()}
    data: dict[str, Any] = {
        "office": Office.objects.get(slug="gent").pk,
        "country": "BE",
        "postcode": "9000",
        "place": "",
        "theme_1": themes["wonen"],
        "theme_2": themes["werk"],
        "theme_3": "",
        "mode": "either",
        "languages": ["nl", "en"],
        "slots": ["0-evening", "2-evening", "5-morning"],
        "volunteers_as_moderator": "on",
        "volunteer_experience": "I chair my local association.",
        "commitments": ["whole_period", "volunteer", "interest"],
        "stakeholder_type": "",
        "gender": "woman",
        "notes": "I come by wheelchair.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def register_with_service(user: Any, edition: Edition, **changes: Any) -> Registration:
    """Register ``user`` as the form would, without going through a page."""
    themes = {theme.slug: theme.pk for theme in edition.themes.all()}
    values: dict[str, Any] = {
        "theme_ids": [themes["zorg"]],
        "mode": MeetingMode.IN_PERSON,
        "office": None,
        "municipality": Municipality.objects.filter(postcode="9000").first(),
        "languages": ["nl"],
        "slots": [(1, "morning")],
        "accepted": frozenset(CommitmentKind.values),
    }
    return submit_registration(user=user, edition=edition, data=RegistrationInput(**(values | changes)))


@pytest.fixture
def edition(db: Any) -> Edition:
    make_places()
    return make_open_edition()


def _theme(edition: Edition, slug: str) -> Theme:
    return edition.themes.get(slug=slug)


def _checked(html: str, name: str, value: str) -> bool:
    return re.search(rf'<input type="(?:checkbox|radio)" name="{name}" value="{value}"[^>]*\schecked', html) is not None


# --- The form --------------------------------------------------------------------------------------


def test_the_form_is_prefilled_from_the_profile(member: User, edition: Edition) -> None:
    member.office = Office.objects.get(slug="gent")
    member.municipality = Municipality.objects.get(name="Rocourt")
    member.languages_spoken = ["nl", "fr"]
    member.gender = "woman"
    member.save()
    Edition.objects.filter(pk=edition.pk).update(max_gender_share=60)  # the form asks the gender only then
    response = client_for(member).get(register_url(edition))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{member.office.pk}" selected>' in html
    assert 'value="4000"' in html and 'value="Rocourt"' in html
    assert _checked(html, "languages", "nl") and _checked(html, "languages", "fr")
    assert not _checked(html, "languages", "en")
    assert '<option value="woman" selected>' in html


def test_the_form_offers_only_the_themes_that_run_in_the_persons_country(member: User, edition: Edition) -> None:
    html = client_for(member).get(register_url(edition)).content.decode()
    assert "Work" in html and "Housing" in html and "Care" in html
    assert "Cooperatives in France" not in html

    member.municipality = Municipality.objects.get(name="Lille")
    member.save()
    html = client_for(member).get(register_url(edition)).content.decode()
    assert "Cooperatives in France" in html and "Housing" in html
    assert ">Work<" not in html


def test_the_three_theme_choices_are_ranked_and_only_the_first_is_required(member: User, edition: Edition) -> None:
    html = client_for(member).get(register_url(edition)).content.decode()
    assert html.index("First choice") < html.index("Second choice (optional)") < html.index("Third choice (optional)")


def test_the_weekly_slots_are_a_table_with_an_accessible_name_for_each_checkbox(member: User, edition: Edition) -> None:
    html = client_for(member).get(register_url(edition)).content.decode()
    assert html.count('name="slots"') == 21
    assert '<th scope="row">Monday</th>' in html and '<th scope="row">Sunday</th>' in html
    assert '<th scope="col">Morning</th>' in html and '<th scope="col">Evening</th>' in html
    assert (
        'value="0-evening" id="id_slots_2"><label for="id_slots_2" class="visually-hidden">Monday evening</label>'
        in html
    )


def test_each_commitment_is_its_own_checkbox_in_the_editions_words(member: User, edition: Edition) -> None:
    html = client_for(member).get(register_url(edition)).content.decode()
    texts = commitment_texts(edition)
    assert len(texts) == 3
    for kind, text in texts.items():
        assert f'value="{kind}"' in html
        assert text in html
    assert "about 5 meetings of about 3 hours" in texts[CommitmentKind.WHOLE_PERIOD]


def test_the_form_says_why_gender_and_stakeholder_type_are_asked(member: User, edition: Edition) -> None:
    # Asked only where the edition's format uses them (see test_format.py).
    Edition.objects.filter(pk=edition.pk).update(admits_clients=True, min_stakeholder_types=2, max_gender_share=60)
    html = client_for(member).get(register_url(edition)).content.decode()
    assert "Gender (optional)" in html and "balanced working groups" in html
    assert "Your relation to the cooperative (optional)" in html


def test_changing_the_country_brings_that_countrys_themes_as_an_htmx_fragment(member: User, edition: Edition) -> None:
    werk = _theme(edition, "wonen")
    response = client_for(member).get(
        register_url(edition), {"country": "FR", "theme_1": werk.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Cooperatives in France" in html and ">Work<" not in html
    assert f'<option value="{werk.pk}" selected>Housing</option>' in html


# --- Registering -----------------------------------------------------------------------------------


def test_a_member_registers(member: User, edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(max_gender_share=60)  # a gender balance: the gender is kept
    client = client_for(member)
    response = client.post(register_url(edition), form_data(edition))
    assert response.status_code == 302
    assert response["Location"] == mine_url(edition)
    registration = Registration.objects.get(user=member, edition=edition)
    assert registration.status == RegistrationStatus.SUBMITTED
    assert [(p.rank, p.theme.slug) for p in registration.preferences.all()] == [(1, "wonen"), (2, "werk")]
    assert registration.mode == MeetingMode.EITHER
    assert registration.office is not None and registration.office.slug == "gent"
    assert registration.municipality is not None and registration.municipality.name == "Gent"
    assert registration.languages == ["en", "nl"]
    assert sorted((s.weekday, s.part) for s in registration.slots.all()) == [
        (0, "evening"),
        (2, "evening"),
        (5, "morning"),
    ]
    assert registration.volunteers_as_moderator and not registration.volunteers_as_secretary
    assert registration.volunteer_experience == "I chair my local association."
    texts = commitment_texts(edition)
    assert {(c.kind, c.text, c.language) for c in registration.commitments.all()} == {
        (kind, text, "en") for kind, text in texts.items()
    }
    assert registration.gender == "woman" and registration.notes == "I come by wheelchair."
    assert "You are registered" in client.get(response["Location"]).content.decode()


def test_a_postcode_shared_by_several_places_needs_the_place_as_on_the_profile(member: User, edition: Edition) -> None:
    response = client_for(member).post(register_url(edition), form_data(edition, postcode="4000"))
    assert response.status_code == 400
    assert "Liège, Rocourt" in response.content.decode()
    response = client_for(member).post(register_url(edition), form_data(edition, postcode="4000", place="rocourt"))
    assert response.status_code == 302
    assert Registration.objects.get(user=member).municipality.name == "Rocourt"


def test_a_registered_person_finds_the_form_prefilled_with_their_answers_and_changes_them(
    member: User, edition: Edition
) -> None:
    client = client_for(member)
    client.post(register_url(edition), form_data(edition))
    html = client.get(register_url(edition)).content.decode()
    assert "Change your registration" in html
    assert f'<option value="{_theme(edition, "wonen").pk}" selected>Housing</option>' in html
    assert _checked(html, "mode", "either") and _checked(html, "slots", "2-evening")
    assert 'name="volunteers_as_moderator" id="id_volunteers_as_moderator" checked' in html
    assert 'name="volunteers_as_secretary" id="id_volunteers_as_secretary">' in html
    for kind in CommitmentKind.values:
        assert _checked(html, "commitments", kind)
    assert "I come by wheelchair." in html

    response = client.post(
        register_url(edition), form_data(edition, theme_1=_theme(edition, "zorg").pk, theme_2="", mode="video")
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=member, edition=edition)
    assert [p.theme.slug for p in registration.preferences.all()] == ["zorg"]
    assert registration.mode == MeetingMode.VIDEO
    assert "Your registration is changed" in client.get(response["Location"]).content.decode()


def test_a_double_click_makes_one_registration(member: User, edition: Edition) -> None:
    client = client_for(member)
    first = client.post(register_url(edition), form_data(edition))
    second = client.post(register_url(edition), form_data(edition))
    assert first.status_code == second.status_code == 302
    assert Registration.objects.filter(user=member, edition=edition).count() == 1
    assert ThemePreference.objects.filter(registration__user=member).count() == 2


def test_the_confirmation_email_is_in_the_persons_language_with_a_summary(
    member: User, edition: Edition, on_commit: Any
) -> None:
    assert member.preferred_language == "nl"
    with on_commit():
        response = client_for(member).post(register_url(edition), form_data(edition))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["lotte@example.org"]
    assert "Smart in Progress 2025-2026" in email.subject
    # The page was English; the email follows the person's language: the themes' Dutch titles, Dutch days.
    assert "1. Wonen" in email.body and "2. Werk" in email.body
    assert "Housing" not in email.body
    assert "maandag" in email.body.lower()
    assert "9000 Gent" in email.body
    assert mine_url(edition, "nl") in email.body or "/registrations/2025-2026/mine/" in email.body


def test_changing_the_registration_sends_a_new_summary(member: User, edition: Edition, on_commit: Any) -> None:
    client = client_for(member)
    with on_commit():
        client.post(register_url(edition), form_data(edition))
    with on_commit():
        client.post(register_url(edition), form_data(edition, theme_2=""))
    assert len(mail.outbox) == 2
    assert "2. Werk" not in mail.outbox[1].body


# --- Bad input -------------------------------------------------------------------------------------

BAD_INPUT = {
    "no theme": ({"theme_1": "", "theme_2": ""}, "theme_1", "Choose at least one theme."),
    "the same theme twice": ({"theme_2": "wonen"}, "theme_1", "You chose the same theme twice."),
    "a theme of another edition": ({"theme_1": "other-edition"}, "theme_1", "not a theme of this edition"),
    "a theme of another country": ({"theme_1": "france"}, "theme_1", "does not run in the country where you live"),
    "no way to meet": ({"mode": None}, "mode", "Say how you want to meet."),
    "no language": ({"languages": None}, "languages", "Choose at least one language you can work in."),
    "no slot": ({"slots": None}, "slots", "Tick at least one time slot when you can meet."),
    "an unknown slot": ({"slots": ["7-night"]}, "slots", "Select a valid choice."),
    "a commitment not accepted": (
        {"commitments": ["whole_period", "volunteer"]},
        "commitments",
        "To take part, accept each commitment.",
    ),
    "no postcode": ({"postcode": ""}, "postcode", "Enter your postcode."),
    "an unknown postcode": ({"postcode": "9999"}, "postcode", "We do not know this postcode"),
    "another office than ours": ({"office": 99999}, "office", "Select a valid choice."),
}


@pytest.mark.parametrize("case", BAD_INPUT.keys())
def test_bad_input_is_refused_next_to_its_field_keeping_what_was_typed_and_saving_nothing(
    case: str, member: User, edition: Edition, on_commit: Any
) -> None:
    changes, field, message = BAD_INPUT[case]
    other = make_open_edition("2026-2027")
    themes = {"wonen": _theme(edition, "wonen").pk, "france": _theme(edition, "france").pk}
    themes["other-edition"] = _theme(other, "wonen").pk
    changes = {key: themes.get(value, value) if isinstance(value, str) else value for key, value in changes.items()}
    with on_commit():
        response = client_for(member).post(register_url(edition), form_data(edition, **changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    # The message stands next to the field and the summary links to it.
    assert re.search(rf'<ul class="errorlist" id="id_{field}_error"><li>[^<]*{re.escape(message)}', html)
    assert f'href="#id_{field}' in html
    # What was typed is still there.
    assert "I come by wheelchair." in html
    assert "I chair my local association." in html
    assert _checked(html, "languages", "nl") or "languages" in changes
    assert _checked(html, "slots", "5-morning") or "slots" in changes
    assert Registration.objects.count() == 0
    assert len(mail.outbox) == 0


def test_more_than_three_themes_are_refused(member: User, edition: Edition) -> None:
    # The form has three choices; the service, which imports use too, refuses a fourth.
    with pytest.raises(RegistrationInvalid) as refused:
        register_with_service(member, edition, theme_ids=[t.pk for t in edition.themes.all()])
    assert refused.value.errors == {"themes": "Choose at most three themes."}
    assert Registration.objects.count() == 0


def test_a_fourth_choice_slipped_into_the_form_is_not_registered(member: User, edition: Edition) -> None:
    data = form_data(edition, theme_3=_theme(edition, "zorg").pk, theme_4=_theme(edition, "france").pk)
    assert client_for(member).post(register_url(edition), data).status_code == 302
    assert [p.theme.slug for p in Registration.objects.get(user=member).preferences.all()] == ["wonen", "werk", "zorg"]


def test_a_forged_post_cannot_change_another_persons_registration(member: User, edition: Edition) -> None:
    anna = make_person("anna@example.org", first_name="Anna")
    link_to_register(anna, number="100009", status=MembershipStatus.MEMBER)
    theirs = register_with_service(anna, edition)
    data = form_data(edition, id=theirs.pk, registration=theirs.pk, user=anna.pk, user_id=anna.pk, email=anna.email)
    response = client_for(member).post(register_url(edition), data)
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.user == anna
    assert theirs.mode == MeetingMode.IN_PERSON
    assert [p.theme.slug for p in theirs.preferences.all()] == ["zorg"]
    mine = Registration.objects.get(user=member)
    assert mine.pk != theirs.pk
    assert [p.theme.slug for p in mine.preferences.all()] == ["wonen", "werk"]


def test_a_post_after_closing_is_refused_with_the_reason_and_saves_nothing(member: User, edition: Edition) -> None:
    now = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(minutes=1)
    )
    response = client_for(member).post(register_url(edition), form_data(edition))
    assert response.status_code == 403
    assert "Registration closed on" in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_change_after_closing_is_refused_and_keeps_the_registration_as_it_was(member: User, edition: Edition) -> None:
    register_with_service(member, edition)
    now = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(minutes=1)
    )
    response = client_for(member).post(register_url(edition), form_data(edition))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Registration closed on" in html
    assert mine_url(edition) in html
    registration = Registration.objects.get(user=member)
    assert [p.theme.slug for p in registration.preferences.all()] == ["zorg"]


# --- Who reaches the page --------------------------------------------------------------------------

EXPECTED = {
    "visitor": 302,
    "outsider": 403,  # not linked to the register
    "nonmember": 403,  # the edition is for members only
    "member": 200,
    "staff": 403,  # the team's accounts are not linked to the register
    "board": 403,
}


def test_each_role_gets_the_form_or_a_refusal_and_a_visitor_is_sent_to_log_in(
    personas: dict[str, User | None], edition: Edition
) -> None:
    for name, user in personas.items():
        response = client_for(user).get(register_url(edition))
        assert response.status_code == EXPECTED[name], name
        if name == "visitor":
            assert response["Location"].startswith("/en/accounts/login/")
        elif name == "member":
            assert 'name="theme_1"' in response.content.decode()
        else:
            assert 'name="theme_1"' not in response.content.decode()
        if user is not None:
            response = client_for(user).post(register_url(edition), form_data(edition))
            assert response.status_code == (302 if name == "member" else 403), name
    assert list(Registration.objects.values_list("user__email", flat=True)) == ["lotte@example.org"]


def test_a_visitor_who_posts_is_sent_to_log_in_and_nothing_is_saved(edition: Edition) -> None:
    response = client_for(None).post(register_url(edition), form_data(edition))
    assert response.status_code == 302
    assert Registration.objects.count() == 0


def test_the_register_page_answers_only_get_and_post(member: User, edition: Edition) -> None:
    assert client_for(member).put(register_url(edition)).status_code == 405


def test_an_unpublished_edition_is_not_found(member: User, edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(published_at=None)
    assert client_for(member).get(register_url(edition)).status_code == 404
    assert client_for(member).get("/en/registrations/no-such-edition/").status_code == 404


# --- Invitations to register -----------------------------------------------------------------------


def test_the_edition_page_and_the_home_page_invite_to_register_while_registration_is_open(edition: Edition) -> None:
    CurrentEdition.objects.create(country="BE", edition=edition)
    link = f'href="{register_url(edition)}"'
    assert link in client_for(None).get(f"/en/editions/{edition.slug}/").content.decode()
    assert link in client_for(None).get("/en/").content.decode()
    Edition.objects.filter(pk=edition.pk).update(registration_closes_at=timezone.now() - timedelta(minutes=1))
    assert link not in client_for(None).get(f"/en/editions/{edition.slug}/").content.decode()
    assert link not in client_for(None).get("/en/").content.decode()


def test_the_same_answers_sent_again_change_nothing_and_send_no_second_email(
    member: Any, edition: Edition, on_commit: Any
) -> None:
    with on_commit():
        first = register_with_service(member, edition)
    stamp = Registration.objects.get(pk=first.pk).updated_at
    with on_commit():
        register_with_service(member, edition)
    assert len(mail.outbox) == 1
    assert Registration.objects.get(pk=first.pk).updated_at == stamp
