"""Sara (staff) publishes a run, replaces the published proposal with another run after checking who changes,
and compares two runs person by person.

The edition (see ``make_formable_edition``): 26 people on Monday evening in Ghent form three groups of
housing; Tom and Zoë are left out. Runs made without the engine copy a finished run under other group codes
(``copy_proposal``), so that the changes between two runs are exactly the ones a test makes.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.formation import publish_views, publishing
from coopsip.formation.changes import published_run
from coopsip.formation.models import FormationRun, ProposedGroup, ProposedMember, RunStatus
from coopsip.formation.tests.test_publishing import copy_proposal
from coopsip.formation.tests.test_staff_access import REFUSED, finished_run, make_formable_edition, state
from coopsip.registrations.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_engine(settings: Any) -> None:
    settings.COOPSIP_FORMATION_SECONDS = 2


@pytest.fixture
def edition(db: Any) -> Edition:
    edition = make_formable_edition()
    User.objects.update(preferred_language="en")
    return edition


@pytest.fixture
def done_run(staff: User, edition: Edition, on_commit: Any) -> FormationRun:
    return finished_run(edition, staff, on_commit)


def run_url(run: FormationRun) -> str:
    return reverse("formation_staff:run", kwargs={"pk": run.pk})


def publish_url(run: FormationRun) -> str:
    return reverse("formation_staff:publish", kwargs={"pk": run.pk})


def fingerprint(client: Any, run: FormationRun) -> str:
    """The confirmation the publish page carries (read from the page, as a browser would send it)."""
    html = client.get(publish_url(run)).content.decode()
    marker = 'name="confirmed" value="'
    assert marker in html
    return html.split(marker, 1)[1].split('"', 1)[0]


def copied_run(source: FormationRun, number: int) -> FormationRun:
    run = FormationRun.objects.create(
        edition=source.edition, number=number, status=RunStatus.DONE, started_by=source.started_by
    )
    copy_proposal(source, run)
    return run


def swap_two(run: FormationRun) -> tuple[ProposedMember, ProposedMember]:
    """Two participants of two groups that look alike swap groups: both change group, nobody else."""
    first, second = run.groups.order_by("pk")[:2]
    x = run.members.filter(group=first, role="participant").select_related("registration__user").first()
    y = run.members.filter(group=second, role="participant").select_related("registration__user").first()
    assert x is not None and y is not None
    ProposedMember.objects.filter(pk=x.pk).update(group=second)
    ProposedMember.objects.filter(pk=y.pk).update(group=first)
    return x, y


def publish_with_client(client: Any, run: FormationRun, on_commit: Any) -> Any:
    confirmed = fingerprint(client, run)
    with on_commit():
        return client.post(publish_url(run), {"confirmed": confirmed})


# --- Publishing the first proposal ---------------------------------------------------------


def test_publishing_proposes_each_person_their_group_tells_the_others_why_and_only_once(
    staff: User, done_run: FormationRun, on_commit: Any
) -> None:
    client = client_for(staff)
    confirm = client.get(publish_url(done_run)).content.decode()
    assert "Publish run 1?" in confirm
    assert "26 people are proposed a group" in confirm
    assert "2 people have no group. Each receives an email in their language with the reason" in confirm

    mail.outbox.clear()
    response = publish_with_client(client, done_run, on_commit)
    assert response.status_code == 303 and response["Location"] == run_url(done_run)
    placed = set(done_run.members.values_list("registration_id", flat=True))
    assert set(Registration.objects.filter(status=RegistrationStatus.PROPOSED).values_list("pk", flat=True)) == placed
    # 26 proposed a group, and Tom and Zoë told why they have none.
    assert len(mail.outbox) == 28
    assert {message.to[0] for message in mail.outbox} == set(Registration.objects.values_list("user__email", flat=True))

    page = client.get(run_url(done_run)).content.decode()
    assert "The proposal is published: 26 people were proposed a group. 2 people without a group were told why." in page
    assert "published on" in page and "This is the published proposal." in page
    assert "/lock/" not in page and "/move/" not in page
    assert "Re-run keeping the locks" in page  # the way to change a published proposal

    with on_commit():
        again = client.post(publish_url(done_run), {"confirmed": "anything"})
    assert again.status_code == 303 and len(mail.outbox) == 28
    assert "already published: nothing was sent again" in client.get(run_url(done_run)).content.decode()


def test_a_get_or_an_empty_post_never_publishes(staff: User, done_run: FormationRun, on_commit: Any) -> None:
    client = client_for(staff)
    before = state()
    with on_commit():
        assert client.get(publish_url(done_run)).status_code == 200
        response = client.post(publish_url(done_run))
    assert response.status_code == 400
    assert "Nothing was published: confirm with the button on this page." in response.content.decode()
    with on_commit():
        response = client.post(publish_url(done_run), {"confirmed": "not-what-the-page-showed"})
    assert response.status_code == 400
    assert "nothing was published" in response.content.decode()
    assert state() == before and published_run(done_run.edition) is None


def test_an_unfinished_run_cannot_be_published(staff: User, edition: Edition) -> None:
    run = FormationRun.objects.create(edition=edition, number=1, started_by=staff)
    client = client_for(staff)
    page = client.get(publish_url(run)).content.decode()
    assert "has not finished" in page and 'name="confirmed"' not in page
    assert client.post(publish_url(run), {"confirmed": "x"}).status_code == 400
    run.refresh_from_db()
    assert run.published_at is None


def test_a_published_run_can_no_longer_be_changed(staff: User, done_run: FormationRun, on_commit: Any) -> None:
    client = client_for(staff)
    publish_with_client(client, done_run, on_commit)
    groups = sorted(done_run.groups.all(), key=lambda group: group.members.count())
    member = groups[-1].members.filter(role="participant").first()
    before = state()
    response = client.post(
        reverse("formation_staff:move", kwargs={"pk": done_run.pk}),
        {"registration": member.registration_id, "group": groups[0].pk, "role": "participant"},
    )
    assert response.status_code == 400
    assert "This proposal is published" in response.content.decode()
    response = client.post(reverse("formation_staff:lock_group", kwargs={"pk": groups[0].pk}), {"locked": "1"})
    assert response.status_code == 400
    assert state() == before


# --- Replacing the published proposal ------------------------------------------------------


def test_replacing_the_published_proposal_lists_and_emails_exactly_who_changes(
    staff: User, done_run: FormationRun, on_commit: Any
) -> None:
    client = client_for(staff)
    publish_with_client(client, done_run, on_commit)
    second = copied_run(done_run, 2)
    x, y = swap_two(second)
    # Part P20 loses their group (the run left them out: staff took them out).
    p20 = second.members.select_related("registration__user").get(registration__user__last_name="P20")
    p20.delete()
    second.unplaced.create(registration=p20.registration, code="removed_by_staff", params={})

    page = client.get(publish_url(second))
    html = page.content.decode()
    assert "Replace the published proposal?" in html
    assert "Run 1 is the published proposal" in html
    assert "Only the 3 people listed below are emailed" in html
    assert "23 people keep their group and role: they receive nothing." in html
    for name in ("Part P20", x.registration.user.get_full_name(), y.registration.user.get_full_name()):
        assert name in html
    assert "Changes group: 2" in html and "Loses their group: 1" in html
    assert "no group: Taken out of the groups by staff." in html
    assert "Housing, in person at Ghent, in Dutch, Monday evening" in html
    assert "Mod M1" not in html  # unchanged people are not listed

    mail.outbox.clear()
    confirmed = fingerprint(client, second)
    with on_commit():
        response = client.post(publish_url(second), {"confirmed": confirmed})
    assert response.status_code == 303
    told = {message.to[0] for message in mail.outbox}
    assert told == {x.registration.user.email, y.registration.user.email, "p20@example.org"}
    assert len(mail.outbox) == 3
    assert "Run 2 replaces run 1 as the published proposal: 3 people were told what changed." in (
        client.get(run_url(second)).content.decode()
    )
    done_run.refresh_from_db()
    assert published_run(done_run.edition) == second and done_run.replaced_by == second
    assert Registration.objects.get(pk=p20.registration_id).status == RegistrationStatus.SUBMITTED
    # The replaced run says so, and cannot be published again.
    old_page = client.get(run_url(done_run)).content.decode()
    assert "replaced on" in old_page and "by run 2: no longer published" in old_page
    assert "It can no longer be published" in client.get(publish_url(done_run)).content.decode()
    mail.outbox.clear()
    with on_commit():
        again = client.post(publish_url(done_run), {"confirmed": confirmed})
    assert again.status_code == 400 and "it can no longer be published" in again.content.decode()
    assert mail.outbox == [] and published_run(done_run.edition) == second
    runs_page = client.get(reverse("formation_staff:runs", kwargs={"slug": done_run.edition.slug})).content.decode()
    assert runs_page.count("published now") == 1 and "then replaced" in runs_page


def test_a_replacement_confirmed_before_a_change_of_the_run_publishes_nothing(
    staff: User, done_run: FormationRun, on_commit: Any
) -> None:
    client = client_for(staff)
    publish_with_client(client, done_run, on_commit)
    second = copied_run(done_run, 2)
    confirmed = fingerprint(client, second)  # nothing changes yet
    swap_two(second)  # meanwhile, a colleague moves two people
    mail.outbox.clear()
    with on_commit():
        response = client.post(publish_url(second), {"confirmed": confirmed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The proposals changed since the page was opened: nothing was published." in html
    assert "Only the 2 people listed below are emailed" in html  # the page shows the changes as they are now
    assert mail.outbox == [] and published_run(done_run.edition) == done_run


def test_the_list_of_changes_is_a_page_at_a_time(
    staff: User, done_run: FormationRun, on_commit: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(publish_views, "PAGE_SIZE", 2)
    client = client_for(staff)
    publish_with_client(client, done_run, on_commit)
    second = copied_run(done_run, 2)
    swap_two(second)
    ProposedGroup.objects.filter(run=second, pk=second.groups.order_by("pk")[2].pk).update(slot="tue_am")
    changes = publishing.changes_to_publish(second)
    assert len(changes.people) > 4
    first_page = client.get(publish_url(second)).content.decode()
    assert first_page.count('<th scope="row">') == 2
    assert "Page 1 of" in first_page and "page=2" in first_page
    second_page = client.get(publish_url(second), {"page": 2}).content.decode()
    assert changes.people[2].name in second_page and changes.people[0].name not in second_page


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_cannot_publish_even_with_the_confirmation(
    personas: dict[str, Any], staff: User, done_run: FormationRun, role: str, on_commit: Any
) -> None:
    confirmed = fingerprint(client_for(staff), done_run)
    client = client_for(personas[role])
    before = state()
    with on_commit():
        assert client.get(publish_url(done_run)).status_code == 403
        assert client.post(publish_url(done_run), {"confirmed": confirmed}).status_code == 403
    assert state() == before


def test_publish_answers_only_get_and_post(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    before = state()
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(publish_url(done_run)).status_code == 405
    slug = done_run.edition.slug
    assert client.post(reverse("formation_staff:compare", kwargs={"slug": slug})).status_code == 405
    assert state() == before


# --- Comparing ------------------------------------------------------------------------


def compare_url(edition: Edition) -> str:
    return reverse("formation_staff:compare", kwargs={"slug": edition.slug})


def test_two_runs_are_compared_person_by_person_and_group_by_group(
    staff: User, done_run: FormationRun, on_commit: Any
) -> None:
    second = copied_run(done_run, 2)
    second.report = done_run.report
    second.save(update_fields=["report"])
    x, _y = swap_two(second)
    tom = Registration.objects.get(user__first_name="Tom")
    second.unplaced.filter(registration=tom).delete()
    second.members.create(group=second.groups.order_by("pk")[2], registration=tom, role="participant")
    client = client_for(staff)
    response = client.get(compare_url(done_run.edition), {"a": done_run.pk, "b": second.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Run 1" in html and "Run 2" in html
    assert html.count("92.9 %") >= 4  # the figures, side by side
    # Who changed group, and who is placed in one run only.
    assert "Another group: 2" in html and "A group only in the second run: 1" in html
    assert x.registration.user.get_full_name() in html and "Tom Tuesday" in html
    assert "24 people have the same group and role in both runs." in html
    # Which groups differ: the two that swapped and the one Tom joined, with who joined and left.
    groups = response.context["groups"]
    assert sorted((row["difference"].joined, row["difference"].left) for row in groups) == [(1, 0), (1, 1), (1, 1)]
    # Without a choice, the two latest finished runs; a run of nowhere is a form error.
    assert "Run 2" in client.get(compare_url(done_run.edition)).content.decode()
    assert client.get(compare_url(done_run.edition), {"a": done_run.pk, "b": 999999}).status_code == 400


def test_compare_needs_the_same_queries_however_many_people_changed(
    staff: User, done_run: FormationRun, django_assert_num_queries: Any
) -> None:
    same = copied_run(done_run, 2)
    swap_two(same)
    shuffled = copied_run(done_run, 3)
    swap_two(shuffled)
    ProposedGroup.objects.filter(pk=shuffled.groups.order_by("pk")[2].pk).update(slot="tue_am")
    client = client_for(staff)
    url = compare_url(done_run.edition)
    # Session and user (5); the edition; the two runs chosen and the runs of the two selects; the groups
    # and members of both runs, the people left out of each, the names of those who changed.
    with django_assert_num_queries(17):
        small = client.get(url, {"a": done_run.pk, "b": same.pk})
    with django_assert_num_queries(17):
        large = client.get(url, {"a": done_run.pk, "b": shuffled.pk})
    assert len(small.context["people"]) == 2 and len(large.context["people"]) > 8


def test_the_publish_page_needs_the_same_queries_however_many_people_change(
    staff: User, done_run: FormationRun, on_commit: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(staff)
    publish_with_client(client, done_run, on_commit)
    same = copied_run(done_run, 2)
    swap_two(same)
    shuffled = copied_run(done_run, 3)
    swap_two(shuffled)
    ProposedGroup.objects.filter(pk=shuffled.groups.order_by("pk")[2].pk).update(slot="tue_am")
    # Session and user (5); the run; the published run; the groups and members of both, the people left out
    # of each, the names of those who change, whether anyone answered.
    with django_assert_num_queries(15):
        small = client.get(publish_url(same))
    with django_assert_num_queries(15):
        large = client.get(publish_url(shuffled))
    assert len(small.context["rows"]) == 2 and len(large.context["rows"]) > 8
