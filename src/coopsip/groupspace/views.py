"""A group's space, at /<language>/group-space/<circle>/: finding a date, documents, discussion, guests.

Every view starts with ``_circle_for``: the circle by its id (404 when
unknown), then the permission on it (403): ``groupspace.view`` (its members,
staff, the board), ``groupspace.post`` (members and staff), or
``groupspace.organise`` (its moderator and secretary, staff). Objects are
then looked up *within that circle* (404 otherwise), so an id of another
group's poll, document or thread leads nowhere. Every change is a POST that
calls one service and answers 303, or shows the form again with its errors (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.phases import BRUSSELS
from coopsip.events import services as events_services
from coopsip.events.models import Circle, Event, SignUp
from coopsip.groupspace import selectors, services
from coopsip.groupspace.forms import AnswerForm, ChooseForm, DocumentForm, GuestForm, PollForm, ReplyForm, ThreadForm
from coopsip.groupspace.models import DateOption, DatePoll, Document, Thread
from coopsip.groupspace.services import GroupSpaceInvalid

POLLS_PER_PAGE = 20
DOCUMENTS_PER_PAGE = 25
THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 50


def _circle_for(request: AuthenticatedRequest, circle_pk: int, perm: str) -> Circle:
    circle: Circle = get_object_or_404(Circle, pk=circle_pk)
    require(request.user, perm, circle)
    return circle


def _add_errors(form: Any, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


def _group_page(circle: Circle) -> str:
    """The working group's own page when the circle is a working group's (the groups app), else ""."""
    group = getattr(circle, "working_group", None)  # no such group: Django's error is an AttributeError
    if group is None:
        return ""
    try:
        return reverse("groups:detail", kwargs={"pk": group.pk})
    except NoReverseMatch:
        return ""


def _space(request: AuthenticatedRequest, circle: Circle, **context: Any) -> dict[str, Any]:
    user = request.user
    return {
        "circle": circle,
        "group_url": _group_page(circle),
        "space_name": selectors.space_name(circle),
        "can_post": user.has_perm("groupspace.post", circle),
        "can_organise": user.has_perm("groupspace.organise", circle),
        **context,
    }


def _is_member(request: AuthenticatedRequest, circle: Circle) -> bool:
    return circle.memberships.filter(user=request.user).exists()


def _when(option: DateOption) -> str:
    start, end = option.starts_at.astimezone(BRUSSELS), option.ends_at.astimezone(BRUSSELS)
    return "{} {}–{}".format(
        formats.date_format(start, "l j F Y"), formats.time_format(start, "TIME_FORMAT"), formats.time_format(end)
    )


# --- Finding a date ----------------------------------------------------------------


@login_required
@require_safe
def polls(request: AuthenticatedRequest, circle_pk: int) -> HttpResponse:
    circle = _circle_for(request, circle_pk, "groupspace.view")
    page = Paginator(selectors.polls_of(circle.pk), POLLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "groupspace/polls.html", _space(request, circle, page=page))


@login_required
@require_http_methods(["GET", "POST"])
def poll_create(request: AuthenticatedRequest, circle_pk: int) -> HttpResponse:
    circle = _circle_for(request, circle_pk, "groupspace.organise")
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.create_poll(
                by=request.user, circle=circle, title=form.cleaned_data["title"], options=form.options()
            )
        except GroupSpaceInvalid as invalid:
            errors = dict(invalid.errors)
            if "options" in errors:
                form.add_error("day_1", errors.pop("options"))
            _add_errors(form, errors)
        else:
            messages.success(request, _("The dates are proposed; the group is told."))
            return see_other(reverse("groupspace:poll", kwargs={"circle_pk": circle.pk, "pk": poll.pk}))
    status = 400 if form.errors else 200
    return render(request, "groupspace/poll_create.html", _space(request, circle, form=form), status=status)


def _poll_page(
    request: AuthenticatedRequest,
    circle: Circle,
    poll: DatePoll,
    *,
    answer_form: AnswerForm | None = None,
    choose_form: ChooseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    results = selectors.ranked_options(poll)
    options = sorted((r.option for r in results), key=lambda o: (o.starts_at, o.pk))
    labels = {option.pk: _when(option) for option in options}
    context = _space(
        request,
        circle,
        poll=poll,
        results=[(r, labels[r.option.pk]) for r in results],
        options=[(option, labels[option.pk]) for option in options],
        grid=selectors.answer_grid(poll=poll, options=options),
        is_member=_is_member(request, circle),
    )
    if poll.is_open and context["is_member"] and answer_form is None:
        answer_form = AnswerForm(
            options=options, labels=labels, initial_answers=selectors.answers_of(poll=poll, user=request.user)
        )
    if poll.is_open and context["can_organise"] and choose_form is None:
        choices = [(r.option.pk, labels[r.option.pk]) for r in results]
        choose_form = ChooseForm(option_choices=choices, initial={"option": choices[0][0] if choices else None})
    context["answer_form"] = answer_form if poll.is_open else None
    context["choose_form"] = choose_form if poll.is_open else None
    return render(request, "groupspace/poll.html", context, status=status)


@login_required
@require_safe
def poll(request: AuthenticatedRequest, circle_pk: int, pk: int) -> HttpResponse:
    circle = _circle_for(request, circle_pk, "groupspace.view")
    found = get_object_or_404(DatePoll.objects.select_related("chosen", "event", "created_by"), pk=pk, circle=circle)
    return _poll_page(request, circle, found)


@login_required
@require_POST
def poll_answer(request: AuthenticatedRequest, circle_pk: int, pk: int) -> HttpResponse:
    circle = _circle_for(request, circle_pk, "groupspace.post")
    found = get_object_or_404(DatePoll, pk=pk, circle=circle)
    options = list(found.options.all())
    form = AnswerForm(request.POST, options=options, labels={o.pk: _when(o) for o in options}, initial_answers={})
    if form.is_valid():
        try:
            services.answer_poll(by=request.user, poll=found, answers=form.answers())
        except GroupSpaceInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("Your answers are saved."))
            return see_other(reverse("groupspace:poll", kwargs={"circle_pk": circle.pk, "pk": found.pk}))
    found.refresh_from_db()
    if not found.is_open:
        # Closed meanwhile: the page shows the chosen date, and the reason.
        messages.error(request, "; ".join(str(e) for e in form.non_field_errors()))
        return _poll_page(request, circle, found, status=400)
    return _poll_page(request, circle, found, answer_form=form, status=400)


@login_required
@require_POST
def poll_choose(request: AuthenticatedRequest, circle_pk: int, pk: int) -> HttpResponse:
    circle = _circle_for(request, circle_pk, "groupspace.organise")
    found = get_object_or_404(DatePoll, pk=pk, circle=circle)
    choices = [(o.pk, _when(o)) for o in found.options.all()]
    form = ChooseForm(request.POST, option_choices=choices)
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = services.choose_date(
                by=request.user,
                poll=found,
                option_id=data["option"],
                attendance=data["attendance"],
                place=data["place"],
                address=data["address"],
                video_url=data["video_url"],
            )
        except GroupSpaceInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(
                request,
                _("The meeting of %(when)s is planned; every member has a seat.")
                % {"when": _when(found.options.get(pk=data["option"]))},
            )
            return see_other(reverse("events:detail", kwargs={"pk": event.pk}))
    found.refresh_from_db()
    return _poll_page(request, circle, found, choose_form=form, status=400)


# --- Documents -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: AuthenticatedRequest, circle_pk: int) -> HttpResponse:
    circle = _circle_for(request, circle_pk, "groupspace.view" if request.method == "GET" else "groupspace.post")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.add_document(
                by=request.user, circle=circle, title=data["title"], upload=data["file"], url=data["url"]
            )
        except GroupSpaceInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("“%(title)s” is added.") % {"title": document.title})
            return see_other(reverse("groupspace:documents", kwargs={"circle_pk": circle.pk}))
    page = Paginator(selectors.documents_of(circle.pk), DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = _space(request, circle, page=page, form=form)
    # The same answer as ``groupspace.delete_document`` per row, without a query per row.
    mine = _is_member(request, circle)
    context["deletable"] = {
        d.pk for d in page if context["can_organise"] or (mine and d.added_by_id == request.user.pk)
    }
    return render(request, "groupspace/documents.html", context, status=400 if form.errors else 200)


def _document_for(request: AuthenticatedRequest, circle_pk: int, pk: int, perm: str) -> Document:
    circle = _circle_for(request, circle_pk, "groupspace.view")
    document: Document = get_object_or_404(Document.objects.select_related("circle", "added_by"), pk=pk, circle=circle)
    require(request.user, perm, document if perm == "groupspace.delete_document" else circle)
    return document


@login_required
@require_safe
def document_file(request: AuthenticatedRequest, circle_pk: int, pk: int) -> FileResponse:
    document = _document_for(request, circle_pk, pk, "groupspace.view")
    if not document.file:
        raise Http404  # a link has no file
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name or "document")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: AuthenticatedRequest, circle_pk: int, pk: int) -> HttpResponse:
    document = _document_for(request, circle_pk, pk, "groupspace.delete_document")
    circle = document.circle
    if request.method == "POST":
        services.delete_document(by=request.user, document=document)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": document.title})
        return see_other(reverse("groupspace:documents", kwargs={"circle_pk": circle.pk}))
    return render(request, "groupspace/document_delete.html", _space(request, circle, document=document))


# --- Discussion ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def threads(request: AuthenticatedRequest, circle_pk: int) -> HttpResponse:
    circle = _circle_for(request, circle_pk, "groupspace.view" if request.method == "GET" else "groupspace.post")
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(by=request.user, circle=circle, **form.cleaned_data)
        except GroupSpaceInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("Your discussion is started; the group is told."))
            return see_other(reverse("groupspace:thread", kwargs={"circle_pk": circle.pk, "pk": thread.pk}))
    page = Paginator(selectors.threads_of(circle.pk), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    context = _space(request, circle, page=page, form=form)
    return render(request, "groupspace/threads.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: AuthenticatedRequest, circle_pk: int, pk: int) -> HttpResponse:
    circle = _circle_for(request, circle_pk, "groupspace.view" if request.method == "GET" else "groupspace.post")
    found: Thread = get_object_or_404(Thread.objects.select_related("started_by"), pk=pk, circle=circle)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.reply(by=request.user, thread=found, body=form.cleaned_data["body"])
        except GroupSpaceInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("Your reply is posted."))
            last_page = (found.post_count + 1 + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE
            here = reverse("groupspace:thread", kwargs={"circle_pk": circle.pk, "pk": found.pk})
            return see_other(f"{here}?page={last_page}#post-{post.pk}")
    page = Paginator(selectors.posts_of(found), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    context = _space(request, circle, thread=found, page=page, form=form)
    return render(request, "groupspace/thread.html", context, status=400 if form.errors else 200)


# --- Guests --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def guests(request: AuthenticatedRequest, circle_pk: int) -> HttpResponse:
    """Invite an expert or a partner to one coming meeting: the events engine's guest link (a seat, no account)."""
    circle = _circle_for(request, circle_pk, "groupspace.organise")
    meetings = list(
        Event.objects.filter(circle=circle, ends_at__gt=timezone.now(), cancelled_at__isnull=True).order_by(
            "starts_at"
        )[:20]
    )
    form = GuestForm(request.POST or None, meetings=meetings)
    status = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = next(m for m in meetings if m.pk == data["meeting"])
        try:
            guest = events_services.invite_guest(
                by=request.user,
                event=event,
                name=data["name"],
                email=data["email"],
                language=data["language"],
                role=data["role"],
            )
        except events_services.EventInvalid as invalid:
            _add_errors(form, invalid.errors)
        except events_services.EventBusy:
            form.add_error(None, _("Many people are signing up for this meeting right now. Try again in a moment."))
            status = 503
        else:
            messages.success(
                request, _("%(name)s is invited and receives a personal link by email.") % {"name": guest.name}
            )
            return see_other(reverse("groupspace:guests", kwargs={"circle_pk": circle.pk}))
    invited = (
        SignUp.objects.filter(event__in=meetings, invited_by__isnull=False, user__isnull=True)
        .select_related("event", "invited_by")
        .order_by("event__starts_at", "name")
    )
    context = _space(request, circle, form=form, meetings=meetings, guests=invited)
    return render(request, "groupspace/guests.html", context, status=status or (400 if form.errors else 200))
