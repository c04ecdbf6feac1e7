"""One import for Django's tasks API.

Django 6 has it built in as ``django.tasks``; on Django 5.2 the
``django-tasks`` backport provides the same API. Import from here so that the
move to 6.2 LTS is a change in this file only.
"""

from __future__ import annotations

from importlib.util import find_spec

if find_spec("django.tasks"):  # pragma: no cover - Django 6+
    from django.tasks import TaskContext, TaskResultStatus, default_task_backend, task
else:
    from django_tasks import TaskContext, TaskResultStatus, default_task_backend, task

__all__ = ["TaskContext", "TaskResultStatus", "default_task_backend", "task"]
