"""Texts of Django and django-allauth that our own catalogues translate again.

Listed here only so that ``makemessages`` puts them in our catalogues, which come first
(LOCALE_PATHS): Dutch in the site's "je" voice (Django's own Dutch says "Uw"), and the password
rules that Django's Dutch catalogue leaves in English. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

TEXTS = (
    # django.contrib.auth.password_validation: the hints under the password field.
    gettext_noop("Your password can’t be too similar to your other personal information."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    # ... and the refusals.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
)
