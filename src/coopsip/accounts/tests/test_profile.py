from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.places.models import Municipality, Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db: Any) -> None:
    Municipality.objects.create(country="BE", postcode="9000", name="Gent", latitude=51.05, longitude=3.72)
    Municipality.objects.create(country="BE", postcode="1040", name="Etterbeek", latitude=50.83, longitude=4.39)
    Municipality.objects.create(country="BE", postcode="4000", name="Liège", latitude=50.63, longitude=5.57)
    Municipality.objects.create(country="BE", postcode="4000", name="Rocourt", latitude=50.67, longitude=5.55)


def _profile_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Lotte",
        "last_name": "Peeters",
        "preferred_language": "nl",
        "office": Office.objects.get(slug="gent").pk,
        "country": "BE",
        "postcode": "9000",
        "place": "",
        "languages_spoken": ["nl", "en"],
        "gender": "woman",
        "stakeholder_type": "",
    }
    data.update(overrides)
    return data


def test_it_shows_the_profile_with_why_we_ask_for_gender(member: User) -> None:
    response = client_for(member).get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert b"balanced working groups" in response.content or b"evenwichtige" in response.content


def test_it_saves_the_profile(member: User, places: None) -> None:
    response = client_for(member).post("/nl/me/profile/", _profile_data())
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.office is not None and member.office.slug == "gent"
    assert member.municipality is not None and member.municipality.name == "Gent"
    assert member.languages_spoken == ["en", "nl"]
    assert member.gender == "woman"


def test_changing_the_language_moves_to_the_pages_in_that_language(member: User, places: None) -> None:
    client = client_for(member)
    response = client.post("/nl/me/profile/", _profile_data(preferred_language="fr"))
    assert response["Location"] == "/fr/me/profile/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    member.refresh_from_db()
    assert member.preferred_language == "fr"
    # The confirmation is said on the French page, in French (issue 16, point 4).
    page = client.get(response["Location"]).content.decode()
    assert "Votre profil est enregistré." in page
    assert "Je profiel is opgeslagen." not in page


def test_a_postcode_shared_by_several_places_needs_the_place(member: User, places: None) -> None:
    response = client_for(member).post("/en/me/profile/", _profile_data(postcode="4000"))
    assert response.status_code == 400
    assert "Liège, Rocourt" in response.content.decode()
    response = client_for(member).post("/en/me/profile/", _profile_data(postcode="4000", place="rocourt"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.municipality is not None and member.municipality.name == "Rocourt"


def test_an_unknown_postcode_is_refused_and_what_was_typed_is_kept(member: User, places: None) -> None:
    response = client_for(member).post("/en/me/profile/", _profile_data(postcode="9999", first_name="Lotje"))
    assert response.status_code == 400
    assert b"We do not know this postcode" in response.content
    assert b'value="9999"' in response.content
    assert b'value="Lotje"' in response.content
    assert b'aria-invalid="true"' in response.content
    member.refresh_from_db()
    assert member.first_name == "Lotte"


def test_a_tampered_office_is_refused(member: User, places: None) -> None:
    response = client_for(member).post("/en/me/profile/", _profile_data(office=99999))
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.office is None


def test_the_places_of_a_postcode_come_as_options_for_htmx(places: None, client: Any) -> None:
    response = client.get(reverse("accounts:places"), {"country": "BE", "postcode": "4000"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().count("<option") == 2
    assert b"<html" not in response.content


def test_the_language_switch_keeps_the_page_and_remembers_the_choice(member: User) -> None:
    client = client_for(member)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/nl/me/profile/"})
    assert response["Location"] == "/en/me/profile/"
    member.refresh_from_db()
    assert member.preferred_language == "en"


def test_the_language_switch_works_for_visitors_and_refuses_other_sites(client: Any) -> None:
    response = client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/nl/"})
    assert response["Location"] == "/fr/"
    response = client.post(reverse("accounts:set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/fr/"


def test_the_language_switch_ignores_an_unknown_language(member: User) -> None:
    client_for(member).post(reverse("accounts:set_language"), {"language": "xx", "next": "/nl/"})
    member.refresh_from_db()
    assert member.preferred_language == "nl"


def test_every_page_has_a_language_switch_and_a_skip_link(client: Any) -> None:
    for url in ["/nl/", "/fr/accounts/login/", "/en/accounts/signup/"]:
        content = client.get(url).content.decode()
        assert 'name="language" value="fr"' in content
        assert 'href="#main"' in content


def test_offices_are_listed_in_the_order_of_the_pages_language(member: User) -> None:
    content = client_for(member).get("/en/me/profile/").content.decode()
    english = [content.index(name) for name in ("Antwerp", "Brussels", "Charleroi", "Ghent", "Liège", "Mons")]
    assert english == sorted(english)
    content = client_for(member).get("/nl/me/profile/").content.decode()
    dutch = [content.index(name) for name in ("Antwerpen", "Bergen", "Brussel", "Charleroi", "Gent", "Luik")]
    assert dutch == sorted(dutch)


def test_the_dutch_name_of_a_place_with_one_postcode_is_accepted(member: User, places: None) -> None:
    # The dataset names 9000 "Gent"; a French speaker may type "Gand".
    response = client_for(member).post("/en/me/profile/", _profile_data(postcode="9000", place="Gand"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.municipality is not None and member.municipality.name == "Gent"


def test_only_a_board_member_is_asked_to_volunteer_as_board_member(member: User, board: User) -> None:
    assert b'name="volunteers_as_board_member"' not in client_for(member).get(reverse("accounts:profile")).content
    page = client_for(board).get(reverse("accounts:profile")).content.decode()
    assert 'name="volunteers_as_board_member"' in page
    assert "I volunteer as board member in working groups" in page


def test_a_board_member_volunteers_in_their_profile(board: User, places: None) -> None:
    response = client_for(board).post("/en/me/profile/", _profile_data(volunteers_as_board_member="on"))
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.volunteers_as_board_member
    page = client_for(board).get(reverse("accounts:profile")).content.decode()
    assert "checked" in page[page.index('name="volunteers_as_board_member"') :].split(">", 1)[0]
    client_for(board).post("/en/me/profile/", _profile_data())
    board.refresh_from_db()
    assert not board.volunteers_as_board_member


def test_someone_not_on_the_board_cannot_volunteer_as_board_member_by_post(member: User, places: None) -> None:
    response = client_for(member).post("/en/me/profile/", _profile_data(volunteers_as_board_member="on"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.volunteers_as_board_member
