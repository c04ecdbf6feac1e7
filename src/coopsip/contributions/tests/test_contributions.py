"""Members share experiences, resources and questions on a theme; others answer and mark them useful; the team
highlights, hides with a reason or moves a contribution to the theme's resources."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.contributions import services
from coopsip.contributions.models import Answer, Contribution, InvitedContributor, InvitedRole, Kind, UsefulMark
from coopsip.core import privacy
from coopsip.core.models import OutgoingEmail
from coopsip.editions.models import Edition, Resource, Theme

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def make_theme(*, over: bool = False, slug: str = "2025-2026") -> Theme:
    today = timezone.localdate()
    start = today - timedelta(days=400 if over else 30)
    edition = Edition.objects.create(
        slug=slug,
        title_nl=f"SIP {slug}",
        starts_on=start,
        ends_on=start + timedelta(days=200),
        published_at=timezone.now() - timedelta(days=60),
    )
    return Theme.objects.create(edition=edition, slug="wonen", title_nl="Wonen", title_en="Housing")


def theme_url(theme: Theme) -> str:
    return reverse("contributions:theme", kwargs={"theme_pk": theme.pk})


def share(user: User, theme: Theme, **fields: Any) -> Contribution:
    values: dict[str, Any] = {
        "kind": Kind.EXPERIENCE,
        "title": "Our housing cooperative",
        "body": "We did it.",
        "language": "nl",
    }
    return services.share(by=user, theme=theme, **(values | fields))


@pytest.fixture
def theme(db: Any) -> Theme:
    return make_theme()


def test_a_member_shares_an_experience_in_their_language(member: User, theme: Theme) -> None:
    client = client_for(member)
    page = client.get(theme_url(theme)).content.decode()
    assert "Share your experience" in page and "Nothing shared yet on this theme." in page
    response = client.post(
        theme_url(theme),
        {"kind": "experience", "title": "Un habitat groupé", "body": "Nous avons **réussi**.", "language": "fr"},
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 303
    assert (contribution.author, contribution.language, contribution.author_role) == (member, "fr", "participant")
    page = client.get(theme_url(theme)).content.decode()
    assert "Un habitat groupé" in page
    assert 'lang="fr"' in page and "Written in French: shown as written" in page  # the page is in English


def test_hostile_markdown_is_sanitised(member: User, theme: Theme) -> None:
    contribution = share(
        member,
        theme,
        body='<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror="alert(3)"> **ok**',
    )
    page = client_for(member).get(reverse("contributions:detail", kwargs={"pk": contribution.pk})).content.decode()
    body = page[page.index('<div class="markdown"') :]
    body = body[: body.index("</div>")]
    assert "<script" not in body and 'href="javascript' not in body and "<img" not in body
    assert "<strong>ok</strong>" in page


def test_a_resource_needs_a_link_or_a_file(member: User, theme: Theme) -> None:
    with pytest.raises(services.ContributionInvalid) as refused:
        share(member, theme, kind=Kind.RESOURCE, body="")
    assert "link or a file" in refused.value.errors["url"]


def test_a_file_that_lies_about_its_type_is_refused(member: User, theme: Theme) -> None:
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    response = client_for(member).post(
        theme_url(theme), {"kind": "resource", "title": "Report", "file": fake, "language": "en"}
    )
    assert response.status_code == 400
    assert "does not match its extension" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_huge_file_is_refused(member: User, theme: Theme, settings: Any) -> None:
    huge = SimpleUploadedFile("big.png", PNG + b"\x00" * (services.MAX_FILE_BYTES + 1), content_type="image/png")
    with pytest.raises(services.ContributionInvalid) as refused:
        share(member, theme, kind=Kind.RESOURCE, upload=huge)
    assert "larger than 10 MB" in refused.value.errors["file"]


def test_a_file_is_downloaded_with_the_type_its_content_proved(member: User, nonmember: User, theme: Theme) -> None:
    picture = SimpleUploadedFile("plan.png", PNG, content_type="text/html")  # the browser's word is not trusted
    contribution = share(member, theme, kind=Kind.RESOURCE, upload=picture, body="")
    response = client_for(nonmember).get(reverse("contributions:file", kwargs={"pk": contribution.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG


def test_others_answer_and_mark_it_useful_once(member: User, nonmember: User, theme: Theme) -> None:
    contribution = share(member, theme, kind=Kind.QUESTION, title="Who knows a notary?")
    client = client_for(nonmember)
    url = reverse("contributions:detail", kwargs={"pk": contribution.pk})
    assert client.post(url, {"body": "Maître Dupont, à Liège.", "language": "fr"}).status_code == 303
    useful = reverse("contributions:useful", kwargs={"pk": contribution.pk})
    client.post(useful)
    client.post(useful)
    assert UsefulMark.objects.filter(contribution=contribution).count() == 1
    page = client.get(url).content.decode()
    assert "Maître Dupont" in page and "1 person found it useful" in page and "You marked it useful." in page
    assert services.mark_useful(by=nonmember, contribution=contribution) is False
    with pytest.raises(services.ContributionInvalid):
        services.mark_useful(by=member, contribution=contribution)


def test_marking_useful_twice_at_once_keeps_one_mark_by_construction(
    member: User, nonmember: User, theme: Theme
) -> None:
    contribution = share(member, theme)
    UsefulMark.objects.create(contribution=contribution, user=nonmember)
    with pytest.raises(IntegrityError):
        UsefulMark.objects.create(contribution=contribution, user=nonmember)


def test_staff_highlight_hide_with_a_reason_and_the_author_is_told(
    member: User, nonmember: User, staff: User, theme: Theme
) -> None:
    contribution = share(member, theme, title="Buy my product")
    other = share(member, theme, title="A real experience")
    client = client_for(staff)
    client.post(reverse("contributions:highlight", kwargs={"pk": other.pk}), {"on": "1"})
    refused = client.post(reverse("contributions:hide", kwargs={"pk": contribution.pk}), {"reason": ""})
    assert refused.status_code == 400
    client.post(reverse("contributions:hide", kwargs={"pk": contribution.pk}), {"reason": "Advertising."})
    contribution.refresh_from_db()
    assert contribution.is_hidden and contribution.hidden_reason == "Advertising."
    email = OutgoingEmail.objects.get(to_email=member.email)
    assert "Buy my product" in email.subject and "Advertising." in email.body_text
    others_page = client_for(nonmember).get(theme_url(theme)).content.decode()
    assert "Buy my product" not in others_page
    assert others_page.index("A real experience") and "Highlighted by the team" in others_page
    own_page = client_for(member).get(theme_url(theme)).content.decode()
    assert "Hidden by the team: Advertising." in own_page


def test_the_authors_email_links_to_the_contribution_in_their_language(
    member: User, staff: User, theme: Theme, settings: Any
) -> None:
    # Lotte reads in Dutch; the team works in English: her emails link to the Dutch page, in full.
    settings.SITE_URL = "https://sip.example.org"
    contribution = share(member, theme, title="Buy my product")
    staff_client = client_for(staff)
    with translation.override("en"):
        hide_url = reverse("contributions:hide", kwargs={"pk": contribution.pk})
        move_url = reverse("contributions:move", kwargs={"pk": contribution.pk})
    staff_client.post(hide_url, {"reason": "Advertising."})
    staff_client.post(hide_url, {"show": "1"})
    staff_client.post(move_url)
    link = f"https://sip.example.org/nl/contributions/{contribution.pk}/"
    emails = OutgoingEmail.objects.filter(to_email=member.email)
    assert emails.count() == 2
    for email in emails:
        assert link in email.body_text, email.body_text
        assert "/en/contributions/" not in email.body_text


def test_staff_move_a_contribution_to_the_themes_resources(member: User, staff: User, theme: Theme) -> None:
    picture = SimpleUploadedFile("plan.png", PNG)
    contribution = share(member, theme, kind=Kind.RESOURCE, title="Floor plan", upload=picture, body="")
    response = client_for(staff).post(reverse("contributions:move", kwargs={"pk": contribution.pk}))
    assert response.status_code == 303
    resource = Resource.objects.get(theme=theme)
    assert resource.title_nl == "Floor plan" and resource.file.read() == PNG
    # Lotte reads in Dutch: the email says her contribution is now among the theme's resources ("bronnen").
    assert OutgoingEmail.objects.filter(to_email=member.email, subject__contains="bronnen").exists()
    public = client_for(None).get(reverse("editions:theme", kwargs={"slug": theme.edition.slug, "theme_slug": "wonen"}))
    assert "Floor plan" in public.content.decode()


def test_members_cannot_moderate(member: User, nonmember: User, theme: Theme) -> None:
    contribution = share(member, theme)
    client = client_for(nonmember)
    for name in ("highlight", "hide", "move"):
        assert client.post(reverse(f"contributions:{name}", kwargs={"pk": contribution.pk})).status_code == 403


def test_an_invited_expert_contributes_marked_as_such(staff: User, theme: Theme, outsider: User) -> None:
    assert client_for(outsider).post(theme_url(theme), {"kind": "experience"}).status_code == 403
    client_for(staff).post(
        reverse("contributions:invited", kwargs={"slug": theme.edition.slug}),
        {"email": outsider.email, "role": InvitedRole.EXPERT},
    )
    assert InvitedContributor.objects.filter(user=outsider, role="expert").exists()
    client_for(outsider).post(
        theme_url(theme), {"kind": "experience", "title": "Twenty years of co-housing", "body": "…", "language": "en"}
    )
    contribution = Contribution.objects.get()
    assert contribution.author_role == "expert"
    assert "invited expert" in client_for(staff).get(theme_url(theme)).content.decode()


def test_a_theme_of_an_edition_that_is_over_is_read_only(member: User, db: Any) -> None:
    theme = make_theme(over=True, slug="2019-2020")
    page = client_for(member).get(theme_url(theme)).content.decode()
    assert "This edition is over: its contributions can be read, not changed." in page
    assert "Share your experience" not in page
    with pytest.raises(services.ContributionInvalid) as refused:
        share(member, theme)
    assert "is over" in refused.value.errors["__all__"]


@pytest.mark.parametrize("extra", [0, 25])
def test_the_theme_page_keeps_a_fixed_number_of_queries(
    member: User, nonmember: User, theme: Theme, django_assert_num_queries: Any, extra: int
) -> None:
    for number in range(extra + 2):
        contribution = share(member, theme, title=f"Experience {number}")
        Answer.objects.create(contribution=contribution, author=nonmember, body="Yes", language="nl")
        UsefulMark.objects.create(contribution=contribution, user=nonmember)
    client = client_for(nonmember)
    client.get(theme_url(theme))
    # The same number whatever the number of contributions, answers and marks.
    with django_assert_num_queries(10):
        client.get(theme_url(theme))


def test_deleting_an_account_removes_what_it_shared(
    member: User, nonmember: User, theme: Theme, django_capture_on_commit_callbacks: Any
) -> None:
    mine = share(member, theme, kind=Kind.RESOURCE, upload=SimpleUploadedFile("plan.png", PNG), body="")
    theirs = share(nonmember, theme)
    Answer.objects.create(contribution=theirs, author=member, body="Good", language="nl")
    UsefulMark.objects.create(contribution=theirs, user=member)
    stored = Path(mine.file.path)
    [section] = [section for section in privacy.sections() if section.name == "contributions"]
    assert section.export(member)["contributions"][0]["file"] == "plan.png"
    with django_capture_on_commit_callbacks(execute=True):
        section.erase(member)
    assert not Contribution.objects.filter(author=member).exists()
    assert not Answer.objects.filter(author=member).exists() and not UsefulMark.objects.filter(user=member).exists()
    assert Contribution.objects.filter(pk=theirs.pk).exists()
    assert not stored.exists()


def test_a_stranger_sees_nothing(theme: Theme, member: User) -> None:
    contribution = share(member, theme)
    response = client_for(None).get(reverse("contributions:detail", kwargs={"pk": contribution.pk}))
    assert response.status_code == 302 and "/login/" in response["Location"]
