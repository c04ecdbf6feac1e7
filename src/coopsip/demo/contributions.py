"""Demo contributions on the themes of the current demo edition, in Dutch, French and English.

One of each thing the team and members do with them: answered, marked useful, highlighted, moved to the theme's
resources, hidden with a reason, and one by an invited expert. Loading again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from coopsip.accounts.models import User
from coopsip.contributions import services
from coopsip.contributions.models import Answer, Contribution, InvitedRole, Kind, UsefulMark
from coopsip.core.models import OutgoingEmail
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.editions.models import Edition, Theme
from coopsip.notifications.models import PendingNotification

EXPERT_EMAIL = "expert@demo.coopsip.org"


@dataclass(frozen=True)
class Planned:
    author: str  # an email
    theme: str  # a theme slug
    kind: str
    title: str
    body: str
    language: str
    url: str = ""
    then: str = ""  # "answered", "useful", "highlighted", "resource", "hidden"


PLANNED = [
    Planned(
        "vennoot@demo.coopsip.org",
        "fair-rates",
        Kind.EXPERIENCE,
        "Hoe ik mijn tarief berekende",
        "Ik tel mijn uren voorbereiding en verplaatsing mee, niet alleen de uren op de scène. "
        "Zo kwam ik op **een eerlijker dagtarief**.",
        "nl",
        then="highlighted",
    ),
    Planned(
        "gebruiker@demo.coopsip.org",
        "fair-rates",
        Kind.QUESTION,
        "Existe-t-il une grille de tarifs par secteur ?",
        "Je suis illustrateur : où trouver des tarifs de référence pour mon secteur en Belgique ?",
        "fr",
        then="answered",
    ),
    Planned(
        "vennoot@demo.coopsip.org",
        "working-together",
        Kind.RESOURCE,
        "Guide to shared workspaces in cooperatives",
        "A short guide we used to set up our shared studio.",
        "en",
        url="https://example.org/shared-workspaces-guide",
        then="resource",
    ),
    Planned(
        "gebruiker@demo.coopsip.org",
        "working-together",
        Kind.EXPERIENCE,
        "Un collectif de graphistes à Liège",
        "Nous partageons un atelier et les commandes depuis trois ans : ce qui marche, ce qui coince.",
        "fr",
        then="useful",
    ),
    Planned(
        "gebruiker@demo.coopsip.org",
        "fair-rates",
        Kind.EXPERIENCE,
        "Promo : -50 % sur mes formations",
        "Inscrivez-vous vite sur mon site !",
        "fr",
        then="hidden",
    ),
    Planned(
        EXPERT_EMAIL,
        "gender-equality",
        Kind.EXPERIENCE,
        "What pay-gap studies in the creative sector show",
        "Three findings from recent studies, and what a cooperative can do about each.",
        "en",
    ),
]


def _expert() -> User:
    user = User.objects.filter(email=EXPERT_EMAIL).first()
    if user is None:
        user = User.objects.create(
            email=EXPERT_EMAIL,
            password=make_password("demo-expert"),
            first_name="Nadia",
            last_name="Benali",
            preferred_language="en",
        )
        EmailAddress.objects.create(user=user, email=EXPERT_EMAIL, verified=True, primary=True)
    return user


def load_contributions() -> dict[str, int]:
    edition = Edition.objects.filter(slug=DEMO_EDITION).first()
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    if edition is None or staff is None or services.edition_is_over(edition):
        return {"contributions": Contribution.objects.count()}
    services.invite(by=staff, edition=edition, user=_expert(), role=InvitedRole.EXPERT)
    themes = {theme.slug: theme for theme in Theme.objects.filter(edition=edition)}
    people = {user.email: user for user in User.objects.filter(email__in={p.author for p in PLANNED})}
    member = people.get("vennoot@demo.coopsip.org")
    user = people.get("gebruiker@demo.coopsip.org")
    # The authors are demo people: what the team tells them stays in the test mailbox.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for plan in PLANNED:
            theme, author = themes.get(plan.theme), people.get(plan.author)
            if theme is None or author is None or Contribution.objects.filter(theme=theme, title=plan.title).exists():
                continue
            contribution = services.share(
                by=author, theme=theme, kind=plan.kind, title=plan.title, body=plan.body, url=plan.url,
                language=plan.language,
            )  # fmt: skip
            if plan.then == "highlighted":
                services.set_highlight(by=staff, contribution=contribution, on=True)
            elif plan.then == "answered" and member is not None:
                services.answer(
                    by=member,
                    contribution=contribution,
                    body="Bekijk de richttarieven van de beroepsfederatie van je sector; Smart heeft er een overzicht "
                    "van op het intranet.",
                    language="nl",
                )
            elif plan.then == "useful" and member is not None:
                services.mark_useful(by=member, contribution=contribution)
            elif plan.then == "resource":
                services.move_to_resources(by=staff, contribution=contribution)
                if user is not None:
                    services.mark_useful(by=user, contribution=contribution)
            elif plan.then == "hidden":
                services.hide(
                    by=staff,
                    contribution=contribution,
                    reason="Advertising for a person's own services is not a contribution to the theme.",
                )
    # Like the rest of the demo, loading tells nobody: what the services queued for the demo people is dropped
    # (they would otherwise find mail about contributions they never made).
    OutgoingEmail.objects.filter(key__startswith="notify:contributions:").delete()
    PendingNotification.objects.filter(key__startswith="contributions:").delete()
    return {
        "contributions": Contribution.objects.count(),
        "contribution_answers": Answer.objects.count(),
        "useful_marks": UsefulMark.objects.count(),
    }
