"""The person's notification preferences, at /<language>/notifications/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coopsip.core import notifications
from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.notifications.forms import PreferencesForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "notifications.edit_preferences")
    current = notifications.preferences_of(user=request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for topic, delivery in form.cleaned_data.items():
            if delivery != current[topic]:
                notifications.set_delivery(user=request.user, topic=topic, delivery=delivery)
        messages.success(request, _("Your email preferences are saved."))
        return see_other(reverse("notifications:preferences"))
    status = 400 if form.errors else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
