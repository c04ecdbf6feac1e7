"""A deleted account takes its profile, offers and needs, messages, reports and saved searches with it."""

from __future__ import annotations

from typing import Any

from coopsip.accounts.services import delete_account, export_personal_data
from coopsip.networking import services
from coopsip.networking.models import ContactMessage, ContactThread, Listing, Profile, Report, SavedSearch


def test_deleting_an_account_erases_every_networking_row(member: Any, pieter: Any, offers: dict[str, Any]) -> None:
    services.save_profile(user=member, data=services.ProfileInput(is_visible=True, activity="Regisseur"))
    mine = services.publish_listing(
        author=member,
        data=services.ListingInput(kind="need", category="work", title="Hulp", body="", language="nl", remote=True),
    )
    services.write_to_author(listing=offers["pieter"], sender=member, body="Lotte schrijft")
    services.write_to_author(listing=mine, sender=pieter, body="Pieter schrijft")
    services.report(listing=offers["bob"], reporter=member, reason="Vreemd")
    services.save_search(user=member, name="Foto", query="foto", filters={}, frequency="weekly")
    from coopsip.events.services import create_circle
    from coopsip.networking.models import JoinRequest, Sector

    network = services.create_sector_network(
        circle=create_circle(name="Netwerk"), sector=Sector.objects.first(), names={"nl": "Netwerk"}
    )
    services.ask_to_join(network=network, user=member, message="Graag")
    exported = export_personal_data(user=member)["networking"]
    assert exported["profile"]["activity"] == "Regisseur"
    assert [m["text"] for m in exported["messages_written"]] == ["Lotte schrijft"]
    assert "Pieter schrijft" not in str(exported)
    assert exported["sector_network_requests"][0]["word"] == "Graag"

    delete_account(user=member)

    assert not Profile.objects.filter(user=member).exists()
    assert not Listing.objects.filter(author=member).exists()
    assert not ContactThread.objects.filter(sender=member).exists()
    assert not ContactMessage.objects.filter(author=member).exists()
    assert not ContactMessage.objects.filter(body="Pieter schrijft").exists()  # went with Lotte's need
    assert not Report.objects.filter(reporter=member).exists()
    assert not SavedSearch.objects.filter(user=member).exists()
    assert not JoinRequest.objects.filter(user=member).exists()
    assert Listing.objects.filter(pk=offers["pieter"].pk).exists()  # Pieter's own offer stays
