"""The 403, 404, 500 and CSRF pages: in the site's frame, in the URL's language, saying what one can do.

Django renders these only with DEBUG off (as in production and in these tests).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.core import views

LANGUAGES = ["nl", "fr", "en"]


def _in_site_frame(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert f'href="/{language}/"' in html  # the home page, in the same language
    assert "mailto:team@example.org" in html  # the team's address, from COOPSIP_CONTACT_EMAIL


@pytest.fixture(autouse=True)
def _production_like(settings: Any) -> None:
    settings.DEBUG = False
    settings.COOPSIP_CONTACT_EMAIL = "team@example.org"


# --- 403 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_board_member_on_a_team_page_gets_the_sites_403_in_the_pages_language(board: User, language: str) -> None:
    response = client_for(board).get(f"/{language}/staff/")
    assert response.status_code == 403
    html = response.content.decode()
    _in_site_frame(html, language)
    assert "mailto:team@example.org" in html
    assert "403 Forbidden" not in html


def test_the_403_says_the_page_is_for_the_team_and_what_to_do(board: User) -> None:
    html = client_for(board).get("/en/staff/").content.decode()
    assert "<h1>You cannot open this page</h1>" in html
    assert "This page is for the Cooperative Life team. Your account does not give access to it." in html
    assert "Write to the Cooperative Life team" in html
    assert "Go to the home page" in html
    assert "Log in" not in html.split("<main")[1]  # already logged in


def test_the_403_of_a_page_for_team_and_board_says_so(member: User) -> None:
    response = client_for(member).get("/en/members/register/")
    assert response.status_code == 403
    assert "This page is for the Cooperative Life team and the board." in response.content.decode()


def test_a_403_for_another_reason_says_only_that_the_account_has_no_access(member: User) -> None:
    request = RequestFactory().get("/en/somewhere/")
    request.user = member
    html = views.permission_denied(request, PermissionDenied("registrations.change_registration")).content.decode()
    assert "Your account does not give access to it." in html
    assert "This page is for" not in html


def test_a_visitor_refused_a_page_is_offered_to_log_in_and_come_back(db: Any) -> None:
    request = RequestFactory().get("/en/staff/?tab=1")
    request.user = AnonymousUser()
    response = views.permission_denied(request, PermissionDenied("core.view_staff_area"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "This page is for the Cooperative Life team. Log in to see whether your account gives access to it." in html
    assert 'href="/en/accounts/login/?next=/en/staff/%3Ftab%3D1"' in html


# --- 404 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_address_gets_the_sites_404_in_the_pages_language(db: Any, language: str) -> None:
    response = Client().get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    _in_site_frame(response.content.decode(), language)


def test_the_404_says_what_one_can_do(member: User) -> None:
    # An object that does not exist (Http404 raised by a view) gets the same page.
    response = client_for(member).get("/en/editions/no-such-edition/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>This page does not exist</h1>" in html
    assert "Go to the home page" in html and 'href="/en/events/"' in html
    assert "My profile" in html  # the person is still shown as logged in


# --- 500 -------------------------------------------------------------------------------------------


@pytest.mark.urls("coopsip.core.tests.error_urls")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failing_page_gets_the_sites_500_in_the_pages_language(db: Any, language: str) -> None:
    response = Client(raise_request_exception=False).get(f"/{language}/test-failure/")
    assert response.status_code == 500
    html = response.content.decode()
    _in_site_frame(html, language)
    assert "mailto:team@example.org" in html
    assert "a bug" not in html  # nothing of the error itself


def test_the_500_page_says_what_one_can_do() -> None:
    html = views.server_error(RequestFactory().get("/en/x/")).content.decode()
    assert "<h1>Something went wrong</h1>" in html
    assert "Try again in a few minutes." in html
    assert "Go to the home page" in html


def test_the_500_page_needs_no_database_no_session_and_no_user() -> None:
    # No django_db mark: any query fails the test. The request went through no middleware.
    response = views.server_error(RequestFactory().get("/fr/events/1/"))
    assert response.status_code == 500
    _in_site_frame(response.content.decode(), "fr")


def test_the_500_page_falls_back_to_bare_html_when_even_its_template_fails(monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise ValueError("broken template")

    monkeypatch.setattr(views, "render_to_string", broken)
    response = views.server_error(RequestFactory().get("/nl/x/"))
    assert response.status_code == 500
    assert '<html lang="nl">' in response.content.decode()


# --- CSRF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_without_its_security_token_gets_the_sites_page(member: User, language: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(f"/{language}/me/profile/", {"first_name": "Lotte"})
    assert response.status_code == 403
    html = response.content.decode()
    _in_site_frame(html, language)
    assert "CSRF verification failed" not in html  # not Django's own page


def test_the_csrf_page_says_nothing_was_saved_and_what_to_do(member: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    html = client.post("/en/me/profile/", {"first_name": "Changed"}).content.decode()
    assert "<h1>Your form was not sent</h1>" in html
    assert "Nothing was saved." in html
    assert "Go back, reload the page and send the form again." in html
    member.refresh_from_db()
    assert member.first_name == "Lotte"
