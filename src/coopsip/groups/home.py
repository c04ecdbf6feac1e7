"""The groups' part of the personal home: the proposal to answer, my group, my next meeting."""

from __future__ import annotations

from typing import Any

from coopsip.core.personal_home import HomeItem


def home_items(user: Any) -> list[HomeItem]:
    if not user.is_authenticated:
        return []
    from coopsip.groups.selectors import home_items_for

    return home_items_for(user)
