"""The networking pages as members use them: publish a need, see its matches, write, answer, report, hide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.core.models import OutgoingEmail
from coopsip.networking import services
from coopsip.networking.models import ContactThread, Listing, ListingStatus, Profile, Report
from coopsip.networking.tests.conftest import offer_input


def publish_need(client: Any, places: dict[str, Any], vocab: dict[str, Any], **extra: Any) -> Any:
    data = {
        "kind": "need",
        "category": "work",
        "title": "Fotograaf gezocht voor een voorstelling",
        "body": "Voor de **première** in Gent.",
        "language": "nl",
        "sectors": [vocab["audiovisual"].pk],
        "skills": [vocab["photo"].pk],
        "place": "9000",
        "radius_km": "30",
        "pay": "paid",
        **extra,
    }
    return client.post(reverse("networking:publish"), data)


def test_a_member_publishes_a_need_and_sees_matching_offers_with_reasons(
    member: Any, offers: dict[str, Any], places: dict[str, Any], vocab: dict[str, Any]
) -> None:
    client = client_for(member)
    response = publish_need(client, places, vocab)
    need = Listing.objects.get(author=member)
    assert response.status_code == 302 and response["Location"] == reverse("networking:detail", kwargs={"pk": need.pk})
    assert need.expires_at.date() == (timezone.now() + timedelta(days=60)).date()
    page = client.get(response["Location"]).content.decode()
    assert "<strong>première</strong>" in page
    # Pieter (Lokeren, 20 km, Dutch) comes before Camille (Liège, out of reach); the sound engineer does not fit.
    assert "Fotograaf voor evenementen en portretten" in page
    assert "Photographe de spectacles" not in page
    assert "Sound engineer for concerts" not in page
    assert "same sector: Audiovisual" in page and "same skill: Photography" in page
    assert "20 km" in page and "speaks Dutch" in page


def test_the_form_says_what_is_missing_and_keeps_what_was_typed(member: Any, places: Any, vocab: Any) -> None:
    response = publish_need(client_for(member), places, vocab, place="", title="Keep me")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say where (a postcode) or tick that it can be done remotely." in page
    assert 'value="Keep me"' in page
    assert not Listing.objects.exists()
    response = publish_need(client_for(member), places, vocab, place="99999")
    assert "We do not know this place" in response.content.decode()


def test_hostile_markdown_is_cleaned(member: Any, places: Any, vocab: Any) -> None:
    body = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>" + "a" * 6000
    response = publish_need(client_for(member), places, vocab, body=body)
    assert response.status_code == 200  # too long: refused with a message, nothing lost
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    publish_need(client_for(member), places, vocab, body=body[:300])
    page = client_for(member).get(reverse("networking:detail", kwargs={"pk": Listing.objects.get().pk})).content
    assert b"<script>alert" not in page and b'href="javascript' not in page and b"<img src=x" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, harmless


def test_an_expired_offer_opened_by_its_old_link_says_it_ended(member: Any, offers: dict[str, Any]) -> None:
    offer = offers["pieter"]
    Listing.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client_for(member).get(reverse("networking:detail", kwargs={"pk": offer.pk}))
    assert response.status_code == 410
    assert "ended on" in response.content.decode()
    assert "Write to the author" not in response.content.decode()


def test_the_relay_never_shows_an_address_before_the_author_answers(
    member: Any, offers: dict[str, Any], pieter: Any, on_commit: Any
) -> None:
    offer = offers["pieter"]
    with on_commit():
        response = client_for(member).post(
            reverse("networking:contact", kwargs={"pk": offer.pk}), {"body": "Ben je vrij op 12 maart?"}
        )
    thread = ContactThread.objects.get()
    assert response["Location"] == reverse("networking:thread", kwargs={"pk": thread.pk})
    (relayed,) = [m for m in mail.outbox if m.to == ["pieter@example.org"]]
    assert "Ben je vrij op 12 maart?" in relayed.body
    assert "lotte@example.org" not in relayed.body + relayed.subject + str(relayed.reply_to)
    page = client_for(member).get(reverse("networking:thread", kwargs={"pk": thread.pk})).content.decode()
    assert "pieter@example.org" not in page and "lotte@example.org" not in page
    # Pieter answers: both addresses are revealed, to both.
    with on_commit():
        client_for(pieter).post(reverse("networking:thread", kwargs={"pk": thread.pk}), {"body": "Ja, graag!"})
    (answer,) = [m for m in mail.outbox if m.to == ["lotte@example.org"]]
    assert "pieter@example.org" in answer.body
    page = client_for(member).get(reverse("networking:thread", kwargs={"pk": thread.pk})).content.decode()
    assert "pieter@example.org" in page
    assert len(mail.outbox) == 2


def test_a_contact_flood_is_stopped_with_a_clear_message(member: Any, places: Any, vocab: Any) -> None:
    from conftest import link_to_register, make_person

    for n in range(services.CONTACTS_PER_HOUR + 1):
        author = make_person(f"author{n}@example.org", first_name=f"A{n}")
        link_to_register(author, number=f"40000{n}", status="member")
        listing = services.publish_listing(
            author=author, data=offer_input(title=f"Offer {n}", municipality_id=places["gent"].pk)
        )
        response = client_for(member).post(reverse("networking:contact", kwargs={"pk": listing.pk}), {"body": "Hi"})
    assert response.status_code == 429
    assert "Please wait an hour before writing to someone new." in response.content.decode()
    assert ContactThread.objects.count() == services.CONTACTS_PER_HOUR


def test_a_report_then_staff_hide_with_a_reason_and_the_author_is_told(
    member: Any, staff: Any, offers: dict[str, Any], on_commit: Any
) -> None:
    offer = offers["bob"]
    client_for(member).post(reverse("networking:report", kwargs={"pk": offer.pk}), {"reason": "Spam"})
    assert Report.objects.get().reason == "Spam"
    page = client_for(staff).get(reverse("networking_staff:reports")).content.decode()
    assert "Sound engineer for concerts" in page and "Spam" in page
    response = client_for(staff).post(reverse("networking_staff:hide", kwargs={"pk": offer.pk}), {"reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    with on_commit():
        client_for(staff).post(reverse("networking_staff:hide", kwargs={"pk": offer.pk}), {"reason": "Not an offer"})
    offer.refresh_from_db()
    assert offer.status == ListingStatus.HIDDEN
    (told,) = [m for m in mail.outbox if m.to == ["bob@example.org"]]
    assert "Not an offer" in told.body
    assert Report.objects.get().handled_at is not None
    assert client_for(member).get(reverse("networking:detail", kwargs={"pk": offer.pk})).status_code == 410


def test_renewing_from_the_reminder_email_in_one_click(offers: dict[str, Any], on_commit: Any) -> None:
    offer = offers["pieter"]
    Listing.objects.filter(pk=offer.pk).update(expires_at=timezone.now() + timedelta(days=3))
    with on_commit():
        assert services.send_expiry_reminders() == 1
        assert services.send_expiry_reminders() == 0  # once
    assert OutgoingEmail.objects.filter(to_email="pieter@example.org").count() == 1
    (email,) = mail.outbox
    link = next(line for line in email.body.splitlines() if "/renew/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    client = client_for(None)
    assert client.get("/" + path).status_code == 200
    client.post("/" + path)
    offer.refresh_from_db()
    assert offer.expires_at.date() == (timezone.now() + timedelta(days=60)).date()
    assert client.get("/" + path[:-3] + "xyz/").status_code == 404


def test_a_profile_is_hidden_until_its_owner_opts_in(member: Any, pieter: Any, nonmember: Any) -> None:
    client = client_for(pieter)
    assert client.get(reverse("networking:profile_edit")).status_code == 200
    data = {"activity": "Fotograaf", "radius_km": "30", "in_person": "on", "shown": ["activity"], "languages": ["nl"]}
    client.post(reverse("networking:profile_edit"), data)
    profile = Profile.objects.get(user=pieter)
    assert profile.is_visible is False
    url = reverse("networking:profile", kwargs={"pk": profile.pk})
    assert client_for(member).get(url).status_code == 403
    assert client.get(url).status_code == 200  # the owner sees it
    client.post(reverse("networking:profile_edit"), {**data, "is_visible": "on"})
    assert "Fotograaf" in client_for(member).get(url).content.decode()
    assert client_for(nonmember).get(url).status_code == 403
    response = client_for(None).get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_search_page_runs_a_fixed_number_of_queries(
    member: Any, places: Any, vocab: Any, pieter: Any, count: int, django_assert_num_queries: Any
) -> None:
    for n in range(count):
        services.publish_listing(
            author=pieter,
            data=offer_input(
                title=f"Fotograaf {n}", sectors=(vocab["audiovisual"],), municipality_id=places["gent"].pk
            ),
        )
    client = client_for(member)
    url = reverse("networking:search") + "?q=fotografen&near=9000&within_km=50&order=distance"
    client.get(url)  # warm the session
    # The search's own: the places within reach, the window's hits, the page's rows, their sectors and skills.
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert f"{count} results" in response.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_a_need_page_runs_a_fixed_number_of_queries(
    member: Any, places: Any, vocab: Any, pieter: Any, count: int, django_assert_num_queries: Any
) -> None:
    need = services.publish_listing(
        author=member,
        data=offer_input(
            kind="need", title="Fotograaf gezocht", sectors=(vocab["audiovisual"],), municipality_id=places["gent"].pk
        ),
    )
    for n in range(count):
        services.publish_listing(
            author=pieter,
            data=offer_input(
                title=f"Fotograaf {n}", sectors=(vocab["audiovisual"],), municipality_id=places["gent"].pk
            ),
        )
    client = client_for(member)
    url = reverse("networking:detail", kwargs={"pk": need.pk})
    client.get(url)
    with django_assert_num_queries(20):
        response = client.get(url)
    assert "Fotograaf 0" in response.content.decode()


def test_saved_search_digest_is_weekly_and_idempotent(member: Any, pieter: Any, places: Any, vocab: Any) -> None:
    from coopsip.networking.digests import send_saved_search_digests
    from coopsip.notifications.models import PendingNotification

    client = client_for(member)
    client.post(
        reverse("networking:save_search"),
        {"name": "Fotografen", "frequency": "weekly", "query_string": "q=fotograaf&near=9000&within_km=30"},
    )
    services.publish_listing(
        author=pieter, data=offer_input(title="Fotograaf in Gent", municipality_id=places["gent"].pk)
    )
    services.publish_listing(
        author=pieter, data=offer_input(title="Fotograaf in Liège", municipality_id=places["liege"].pk)
    )
    later = timezone.now() + timedelta(days=7, hours=2)
    assert send_saved_search_digests(now=later) == 1
    assert send_saved_search_digests(now=later) == 0
    line = PendingNotification.objects.get(user=member)
    assert "Fotograaf in Gent" in line.text and "Liège" not in line.text


def test_the_personal_home_says_new_offers_match_a_need(member: Any, offers: dict[str, Any], vocab: Any) -> None:
    from coopsip.core.personal_home import items_for

    services.publish_listing(
        author=member,
        data=offer_input(kind="need", title="Fotograaf gezocht", skills=(vocab["photo"],), remote=True),
    )
    titles = [item.title for item in items_for(member) if item.section == "networking"]
    assert titles == ["2 new offers match your need “Fotograaf gezocht”"]
    page = client_for(member).get(reverse("home:me")).content.decode()
    assert "2 new offers match your need" in page


def test_the_personal_home_suggests_needs_to_members_whose_profile_fits(
    member: Any, pieter: Any, vocab: Any, places: Any
) -> None:
    from coopsip.core.personal_home import items_for

    services.save_profile(
        user=pieter, data=services.ProfileInput(is_visible=True, activity="Fotograaf", skills=(vocab["photo"],))
    )
    services.publish_listing(
        author=member,
        data=offer_input(kind="need", title="Fotograaf gezocht", skills=(vocab["photo"],), remote=True),
    )
    titles = [item.title for item in items_for(pieter) if item.section == "networking"]
    assert titles == ["1 new need fits your profile: could you help?"]
    Profile.objects.filter(user=pieter).update(is_visible=False)  # opted out: no suggestion
    assert [item for item in items_for(pieter) if item.section == "networking"] == []


def test_a_search_finding_more_than_its_window_says_so_and_shows_the_newest(
    member: Any, places: Any, vocab: Any, pieter: Any, monkeypatch: Any
) -> None:
    from coopsip.networking import selectors

    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 4)
    for n in range(7):
        services.publish_listing(
            author=pieter,
            data=offer_input(
                title=f"Fotograaf {n}", sectors=(vocab["audiovisual"],), municipality_id=places["gent"].pk
            ),
        )
    page = client_for(member).get(reverse("networking:search") + "?q=fotograaf&order=newest").content.decode()
    assert "More than 4 results" in page and "Add a word or a filter to find fewer." in page
    assert "Fotograaf 6" in page and "Fotograaf 3" in page and "Fotograaf 2" not in page
    none = client_for(member).get(reverse("networking:search") + "?q=fotograaf&kind=need").content.decode()
    assert "0 results" in none and "More than" not in none


def test_the_search_and_the_listing_page_show_its_sectors_and_skills_in_the_reader_s_language(
    member: Any, offers: dict[str, Any]
) -> None:
    client = client_for(member)
    tags = '<span class="tag">{}</span>'
    search = client.get("/en/network/", {"q": "fotograaf"}).content.decode()
    assert "Fotograaf voor evenementen en portretten" in search
    assert tags.format("Audiovisual") in search and tags.format("Photography") in search
    assert tags.format("Music") not in search  # Bob's sector: his offer is not found
    detail = client.get(f"/fr/network/{offers['bob'].pk}/").content.decode()
    assert tags.format("Musique") in detail and "Audiovisuel" not in detail


def test_the_search_pages_follow_each_other_without_gaps_or_repeats(
    member: Any, places: Any, vocab: Any, pieter: Any, monkeypatch: Any
) -> None:
    from coopsip.networking import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    for n in range(5):
        services.publish_listing(
            author=pieter,
            data=offer_input(
                title=f"Fotograaf {n}", sectors=(vocab["audiovisual"],), municipality_id=places["gent"].pk
            ),
        )
    client = client_for(member)
    url = reverse("networking:search") + "?q=fotograaf&order=newest"
    shown = []
    for number in (1, 2, 3):
        page = client.get(f"{url}&page={number}").content.decode()
        assert "5 results" in page
        shown.append([n for n in range(5) if f"Fotograaf {n}<" in page])
    assert shown == [[3, 4], [1, 2], [0]]
    assert "Fotograaf 0<" in client.get(f"{url}&page=99").content.decode()  # past the end: the last page
