from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coopsip.core.access import require


@login_required
def staff_area(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.view_staff_area")
    return render(request, "core/staff.html")


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
