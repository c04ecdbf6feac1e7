"""A run works in the background, also in the default set-up (issue 11, point 4).

`make run` starts the task worker beside the development server with the database queue,
as production does. With that queue, "Form groups" answers at once: the run waits for the
worker and its page shows the progress; the worker forms the groups, and the polling
progress bar then reloads the page with the proposal.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.formation.models import FormationRun, RunStatus
from coopsip.formation.tests.test_staff_access import make_formable_edition

MAKEFILE = Path(django_settings.PROJECT_DIR) / "Makefile"


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    settings.COOPSIP_FORMATION_SECONDS = 2
    # django-tasks resets its backends when the TASKS setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}


def test_make_run_starts_the_worker_beside_the_server_with_the_database_queue() -> None:
    recipe = MAKEFILE.read_text().split("\nrun: setup\n")[1].split("\n\n")[0]
    assert re.search(r'TASKS_BACKEND=database \$\(PY\) manage.py db_worker --queue-name "\*" &', recipe)
    assert "TASKS_BACKEND=database $(PY) manage.py runserver 127.0.0.1:8000" in recipe
    assert "kill $$worker" in recipe  # Ctrl+C stops both


# The worker runs as in production: in autocommit, closing connections it finds inside a
# transaction (a normal test's transaction would be closed under it on PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_forming_groups_answers_at_once_and_the_page_shows_the_progress_until_the_worker_is_done(
    staff: User,
) -> None:
    edition = make_formable_edition()
    client = client_for(staff)
    response = client.post(reverse("formation_staff:runs", kwargs={"slug": edition.slug}))
    assert response.status_code == 303
    run = FormationRun.objects.get(edition=edition)
    assert run.status == RunStatus.QUEUED  # not formed inside the request
    url = reverse("formation_staff:run", kwargs={"pk": run.pk})
    html = client.get(url).content.decode()
    assert "<progress" in html and "waiting for the worker" in html

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--interval", "0")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.groups.count() == 3
    polled = client.get(url, headers={"HX-Request": "true", "HX-Target": "progress"})
    assert polled["HX-Refresh"] == "true"
    assert "<progress" not in client.get(url).content.decode()
