"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

This directory is a package on purpose: without ``__init__.py`` pytest would
import ``tests/browser/conftest.py`` under the bare name ``conftest`` and drop
the root ``conftest`` from ``sys.modules``, so ``from conftest import
make_person`` would no longer find the root conftest's helpers.
"""
