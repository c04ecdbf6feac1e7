"""Reads of working groups."""

from __future__ import annotations
