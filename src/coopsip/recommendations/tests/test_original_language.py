"""Texts shown in another language than the reader's carry the site's visible fallback marker, and the yearly
publication shows a merged synthesis as the one text the board decided on, with its sources beneath."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from coopsip.recommendations import publication
from coopsip.recommendations.tests.followup import decided, submitted

pytestmark = pytest.mark.django_db
NOTE = "This text is not available in your language."


def _get(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        url = reverse(name, kwargs=kwargs)
    response = client_for(None).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _marked(title: str, language: str) -> str:
    return f'<span lang="{language}">{title}</span> <span class="fallback-note">({language.upper()})</span>'


def test_a_dutch_recommendation_is_marked_for_an_english_reader_and_not_for_a_dutch_one(
    groups: Any, staff: Any
) -> None:
    dutch = submitted(group=groups[0], title="Een ethisch comité", proposal="Een comité richten.", language="nl")
    english = submitted(group=groups[1], title="Shared vans")
    decided(staff, dutch)
    decided(staff, english)

    outcomes = _get("recommendations_public:outcomes", "en")
    assert _marked("Een ethisch comité", "nl") in outcomes
    assert "Shared vans</a>" in outcomes  # the reader's own language: no marker

    detail = _get("recommendations_public:detail", "en", pk=dutch.pk)
    assert f"<h1>{_marked('Een ethisch comité', 'nl')}</h1>" in detail
    assert NOTE in detail

    in_dutch = _get("recommendations_public:detail", "nl", pk=dutch.pk)
    assert "Een ethisch comité</h1>" in in_dutch
    assert "fallback-note" not in in_dutch.split("<h1>", 1)[1].split("</section>", 1)[0]


def test_the_publication_marks_a_recommendation_in_another_language(groups: Any, staff: Any) -> None:
    french = submitted(group=groups[0], title="Un comité d’éthique", language="fr")
    decided(staff, french)
    publication.set_published(by=staff, edition=french.edition, published=True)
    page = _get("recommendations_public:publication", "en", slug=french.edition.slug)
    assert _marked("Un comité d’éthique", "fr") in page
    assert NOTE in page


def test_the_publication_shows_a_merged_synthesis_once_with_its_sources_beneath(
    groups: Any, staff: Any, monkeypatch: Any
) -> None:
    first = submitted(
        group=groups[0], title="Een gereedschapsbibliotheek", proposal="Gereedschap lenen.", language="nl"
    )
    second = submitted(group=groups[1], title="Une outilthèque", proposal="Prêter des outils.", language="fr")
    decided(staff, first, second)  # merged into "A synthesis", written in English, answered in English and Dutch
    publication.set_published(by=staff, edition=first.edition, published=True)
    slug = first.edition.slug

    page = _get("recommendations_public:publication", "en", slug=slug)
    assert page.count('<article class="pub-recommendation">') == 1
    article = page.split('<article class="pub-recommendation">', 1)[1].split("</article>", 1)[0]
    assert "<h4>A synthesis</h4>" in article
    assert "One text for all." in article
    assert "The board agrees." in article
    assert "Gereedschap lenen." not in page and "Prêter des outils." not in page  # the sources' texts are not shown
    assert "From the groups' recommendations:" in article
    sources = re.findall(r'<li><a href="([^"]+)">(.*?)</a> — a working group', article)
    assert len(sources) == 2
    assert _marked("Een gereedschapsbibliotheek", "nl") in sources[0][1]
    assert _marked("Une outilthèque", "fr") in sources[1][1]
    for (href, _title), source in zip(sources, (first, second), strict=True):
        with translation.override("en"):
            assert href == reverse("recommendations_public:detail", kwargs={"pk": source.pk})

    # A French reader: the synthesis exists only in English, so it is marked; the answer falls back too.
    in_french = _get("recommendations_public:publication", "fr", slug=slug)
    assert f"<h4>{_marked('A synthesis', 'en')}</h4>" in in_french

    # The PDF holds the synthesis and its sources, not the sources as decisions of their own.
    captured: dict[str, str] = {}

    def fake_pdf(html: str, base_url: str) -> bytes:
        captured["html"] = html
        return b"%PDF-1.4"

    monkeypatch.setattr(publication, "render_pdf", fake_pdf)
    with translation.override("en"):
        url = reverse("recommendations_public:publication_pdf", kwargs={"slug": slug, "language": "en"})
    assert client_for(None).get(url).status_code == 200
    assert captured["html"].count('<article class="pub-recommendation">') == 1
    assert "A synthesis" in captured["html"] and "Une outilthèque" in captured["html"]
