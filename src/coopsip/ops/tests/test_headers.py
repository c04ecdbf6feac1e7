"""The security headers of every page: a Content-Security-Policy with a nonce per answer, and a Permissions-Policy.

The Server header is the reverse proxy's job (deploy/Caddyfile removes it; scripts/stack_smoke.py checks it).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

TEMPLATE_ROOT = Path(settings.BASE_DIR)
# Read by WeasyPrint to make a PDF, never shown by a browser: their <style> blocks are no CSP matter.
PDF_TEMPLATES = {"bundle_pdf.html", "booklet.html"}


def policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def nonce_of(directives: dict[str, list[str]], name: str) -> str:
    nonces = [value for value in directives[name] if value.startswith("'nonce-")]
    assert len(nonces) == 1, directives[name]
    return nonces[0].removeprefix("'nonce-").removesuffix("'")


def test_a_public_page_runs_only_the_sites_own_scripts_and_styles_and_its_scripts_carry_the_answers_nonce() -> None:
    response = Client().get("/en/events/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    # The only other origin: OpenStreetMap's map, in a frame on an event's page.
    assert directives["frame-src"] == ["https://www.openstreetmap.org"]
    nonce = nonce_of(directives, "script-src")
    assert nonce_of(directives, "style-src") == nonce
    assert "'self'" in directives["script-src"] and "'self'" in directives["style-src"]
    header = response["Content-Security-Policy"]
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'sha256-", "*"):
        assert loophole not in header

    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) >= 3  # htmx, the menu, the behaviours
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag


def test_each_answer_has_a_nonce_of_its_own() -> None:
    client = Client()
    nonces = {nonce_of(policy(client.get("/en/events/")), "script-src") for _ in range(3)}
    assert len(nonces) == 3
    assert all(len(nonce) >= 22 for nonce in nonces)  # 16 random bytes, base64


def test_the_busy_page_of_an_overloaded_server_carries_the_policy_too() -> None:
    response = Client().get("/nl/", HTTP_X_REQUEST_START=f"t={int((time.time() - 5) * 1000)}")
    assert response.status_code == 503
    assert policy(response)["default-src"] == ["'self'"]


def test_no_page_may_ask_for_the_camera_the_microphone_the_position_or_payments() -> None:
    response = Client().get("/en/")
    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


INLINE_CODE = {
    "an event handler attribute (onclick=…)": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "hx-on (htmx evaluates it)": re.compile(r"\shx-on[:-]", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
    "a <style> block without the nonce": re.compile(r"<style\b(?![^>]*\snonce=)", re.IGNORECASE),
    "a <script> block without src or the nonce": re.compile(
        r"<script\b(?![^>]*\s(src|nonce)=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
    ),
}


def test_no_template_holds_code_the_policy_would_refuse() -> None:
    """The browser tests see the pages they visit; this sees every template, visited or not."""
    found = []
    for path in sorted(TEMPLATE_ROOT.glob("**/templates/**/*.html")):
        if path.name in PDF_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE_CODE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATE_ROOT)}:{line}: {what}")
    assert not found, "Move inline code to a static file (docs/operations.md):\n" + "\n".join(found)
