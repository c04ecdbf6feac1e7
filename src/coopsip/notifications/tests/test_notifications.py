"""core.notifications: each message, the daily digest (once a day, in the person's language), or nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext as _

from conftest import client_for, make_person
from coopsip.core import notifications
from coopsip.core.models import OutgoingEmail
from coopsip.editions.phases import BRUSSELS
from coopsip.notifications.models import NotificationPreference, PendingNotification

pytestmark = pytest.mark.django_db

TOPIC = "tests.news"


@pytest.fixture(autouse=True)
def _topic() -> Any:
    notifications.register_topic(TOPIC, "News for the tests")
    yield
    notifications._topics.pop(TOPIC, None)


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    return {
        "ann": make_person("ann@example.org", first_name="Ann", preferred_language="en"),
        "bert": make_person("bert@example.org", first_name="Bert", preferred_language="nl"),
        "chloe": make_person("chloe@example.org", first_name="Chloé", preferred_language="fr"),
    }


def tell(people: list[Any], key: str = "news:1") -> notifications.Notified:
    return notifications.notify(
        topic=TOPIC,
        key=key,
        recipients=people,
        # gettext of a text the catalogues translate: shows the person's language is active.
        render=lambda person: notifications.Message(
            subject=f"{_('Events')} {key}", text="Body", url="https://example.org/x"
        ),
    )


def test_the_digest_is_the_default_and_each_or_none_are_respected(people: dict[str, Any], on_commit: Any) -> None:
    notifications.set_delivery(user=people["ann"], topic=TOPIC, delivery=notifications.EACH)
    notifications.set_delivery(user=people["chloe"], topic=TOPIC, delivery=notifications.NONE)
    with on_commit():
        result = tell(list(people.values()))
    assert (result.sent, result.queued_for_digest, result.skipped) == (1, 1, 1)
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert "https://example.org/x" in mail.outbox[0].body
    assert reverse("notifications:preferences") in mail.outbox[0].body
    assert list(PendingNotification.objects.values_list("user__email", flat=True)) == ["bert@example.org"]


def test_notifying_twice_with_the_same_key_tells_nobody_twice(people: dict[str, Any], on_commit: Any) -> None:
    notifications.set_delivery(user=people["ann"], topic=TOPIC, delivery=notifications.EACH)
    with on_commit():
        tell([people["ann"], people["bert"]])
        tell([people["ann"], people["bert"]])
    assert len(mail.outbox) == 1
    assert PendingNotification.objects.count() == 1


def test_one_digest_a_day_per_person_in_their_language(people: dict[str, Any], on_commit: Any) -> None:
    tell([people["bert"], people["chloe"]], key="news:1")
    tell([people["bert"], people["chloe"]], key="news:2")
    evening = datetime(2026, 12, 3, 18, 0, tzinfo=BRUSSELS)
    with on_commit():
        assert notifications.send_digests(now=evening) == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"bert@example.org", "chloe@example.org"}
    # Lines written in each person's language when they happened, the digest's frame when it is sent.
    assert "Evenementen news:1" in by_person["bert@example.org"].body
    assert "Evenementen news:2" in by_person["bert@example.org"].body
    assert by_person["bert@example.org"].body.startswith("Hallo Bert,")
    assert "Événements news:1" in by_person["chloe@example.org"].body
    assert by_person["chloe@example.org"].body.startswith("Bonjour Chloé,")


def test_the_digest_run_twice_the_same_day_sends_nothing_more(people: dict[str, Any], on_commit: Any) -> None:
    tell([people["bert"]], key="news:1")
    morning = datetime(2026, 12, 3, 7, 0, tzinfo=BRUSSELS)
    with on_commit():
        assert notifications.send_digests(now=morning) == 1
        tell([people["bert"]], key="news:2")  # comes in after the day's digest
        assert notifications.send_digests(now=morning.replace(hour=20)) == 0
    assert len(mail.outbox) == 1 and "news:2" not in mail.outbox[0].body
    # The next day, the line that waited goes out.
    with on_commit():
        assert notifications.send_digests(now=datetime(2026, 12, 4, 7, 0, tzinfo=BRUSSELS)) == 1
    assert "news:2" in mail.outbox[1].body and "news:1" not in mail.outbox[1].body


def test_the_day_of_a_digest_is_the_brussels_day(people: dict[str, Any]) -> None:
    # 23:30 UTC on 3 December is already 4 December in Brussels.
    from datetime import UTC

    assert notifications.digest_key(user_id=1, now=datetime(2026, 12, 3, 23, 30, tzinfo=UTC)).endswith(":2026-12-04")


def test_the_command_sends_the_digests(people: dict[str, Any]) -> None:
    tell([people["bert"]])
    call_command("send_notification_digests")
    assert OutgoingEmail.objects.filter(key__startswith="notify:digest:", to_email="bert@example.org").count() == 1


def test_choosing_none_drops_what_waited(people: dict[str, Any]) -> None:
    tell([people["bert"]])
    notifications.set_delivery(user=people["bert"], topic=TOPIC, delivery=notifications.NONE)
    assert not PendingNotification.objects.exists()
    assert notifications.send_digests(now=datetime(2026, 12, 3, 7, 0, tzinfo=BRUSSELS)) == 0


def test_unknown_topics_and_deliveries_are_refused(people: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown notification topic"):
        notifications.notify(topic="nope", key="k", recipients=[people["ann"]], render=lambda p: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="unknown delivery"):
        notifications.set_delivery(user=people["ann"], topic=TOPIC, delivery="weekly")


def test_the_preference_page_saves_a_choice_per_topic(people: dict[str, Any]) -> None:
    client = client_for(people["ann"])
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "News for the tests" in page and "Messages in the discussions of your groups" in page
    # The page has one choice per topic of every app; the test changes two and keeps the others' defaults.
    defaults = {topic.name: topic.default for topic in notifications.topics()}
    assert client.post(url, {**defaults, TOPIC: "each", "groupspace.discussion": "none"}).status_code == 303
    assert dict(NotificationPreference.objects.filter(user=people["ann"]).values_list("topic", "delivery")) == {
        TOPIC: "each",
        "groupspace.discussion": "none",
    }
    response = client.post(url, {**defaults, TOPIC: "weekly", "groupspace.discussion": "none"})
    assert response.status_code == 400
    assert NotificationPreference.objects.get(user=people["ann"], topic=TOPIC).delivery == "each"
