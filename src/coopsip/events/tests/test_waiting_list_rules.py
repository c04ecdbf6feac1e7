"""Any sequence of sign-ups, cancellations and capacity changes keeps the seats and the waiting list right.

A hypothesis state machine drives the real services against a model of a
fair waiting list: never more people seated than seats, nobody waiting while
a seat is free, and seats handed out in the order people queued.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import SEATED, SignUp, SignUpStatus
from coopsip.events.tests.factories import make_event
from coopsip.events.tests.test_concurrency import make_members

PEOPLE = 6


@pytest.mark.django_db
def test_any_sequence_keeps_seats_within_capacity_and_the_queue_in_order(staff: User) -> None:
    people = make_members(PEOPLE, "h")

    class WaitingList(RuleBasedStateMachine):
        @initialize(capacity=st.one_of(st.integers(min_value=1, max_value=3), st.none()))
        def open_event(self, capacity: int | None) -> None:
            self.start = timezone.now()
            self.clock = 0
            self.event = make_event(staff, capacity=capacity, starts_at=self.start + timedelta(days=30))
            self.capacity = capacity
            self.seated: list[int] = []  # user ids, in the order they got their seat
            self.waiting: list[int] = []  # user ids, first in line first

        def tick(self) -> Any:
            self.clock += 1
            return self.start + timedelta(seconds=self.clock)

        def promote(self) -> None:
            while self.waiting and (self.capacity is None or len(self.seated) < self.capacity):
                self.seated.append(self.waiting.pop(0))

        @rule(who=st.integers(min_value=0, max_value=PEOPLE - 1))
        def sign_up_first(self, who: int) -> None:
            # Sign-ups twice as likely as the other steps: the waiting list fills up.
            self.sign_up(who)

        @rule(who=st.integers(min_value=0, max_value=PEOPLE - 1))
        def sign_up(self, who: int) -> None:
            person = people[who]
            services.sign_up(event_id=self.event.pk, user=person, now=self.tick())
            if person.pk in self.seated or person.pk in self.waiting:
                return
            if self.capacity is None or len(self.seated) < self.capacity:
                self.seated.append(person.pk)
            else:
                self.waiting.append(person.pk)

        @rule(who=st.integers(min_value=0, max_value=PEOPLE - 1))
        def cancel(self, who: int) -> None:
            person = people[who]
            signup = SignUp.objects.filter(event=self.event, user=person).first()
            if signup is None:
                return
            services.cancel_sign_up(signup_id=signup.pk, now=self.tick())
            for line in (self.seated, self.waiting):
                if person.pk in line:
                    line.remove(person.pk)
            self.promote()

        @rule(capacity=st.one_of(st.integers(min_value=0, max_value=4), st.none()))
        def change_capacity(self, capacity: int | None) -> None:
            refused = capacity is not None and (capacity < 1 or capacity < len(self.seated))
            if refused:
                with pytest.raises(services.EventInvalid):
                    services.change_capacity(by=staff, event_id=self.event.pk, capacity=capacity)
                return
            services.change_capacity(by=staff, event_id=self.event.pk, capacity=capacity)
            self.capacity = capacity
            self.promote()

        @invariant()
        def seats_and_queue_match(self) -> None:
            if not hasattr(self, "event"):
                return
            signups = SignUp.objects.filter(event=self.event)
            seated = set(signups.filter(status__in=SEATED).values_list("user_id", flat=True))
            waiting = list(
                signups.filter(status=SignUpStatus.WAITING)
                .order_by("queued_at", "pk")
                .values_list("user_id", flat=True)
            )
            self.event.refresh_from_db()
            assert self.event.capacity == self.capacity
            if self.capacity is not None:
                assert len(seated) <= self.capacity
            if self.capacity is None or len(seated) < self.capacity:
                assert waiting == []
            assert seated == set(self.seated)
            assert waiting == self.waiting

    run_state_machine_as_test(
        WaitingList,
        settings=settings(
            max_examples=50,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
