"""A readable difference between two versions of a text, word by word (plain Python, no Django).

``diff_html(old, new)`` returns HTML in which removed words are in ``<del>`` and added
words in ``<ins>``; every piece of the texts is escaped, so a text holding markup shows
it as text. Line breaks are kept (the caller shows the result in a ``white-space:
pre-wrap`` block). Deterministic: the same two texts always give the same result.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "added" or "removed"
    text: str


def diff_pieces(old: str, new: str) -> list[Piece]:
    """The two texts as a list of unchanged, removed and added pieces, in reading order."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return pieces


def diff_html(old: str, new: str) -> str:
    """Escaped HTML with ``<del>`` for removed and ``<ins>`` for added words."""
    out = []
    previous: Piece | None = None
    for piece in diff_pieces(old, new):
        text = escape(piece.text)
        if piece.kind == "removed":
            out.append(f"<del>{text}</del>")
        elif piece.kind == "added":
            # A word replaced by another: a space between the two, or a screen reader reads them as one word.
            glued = previous is not None and previous.kind == "removed"
            if glued and not previous.text[-1:].isspace() and not piece.text[:1].isspace():  # type: ignore[union-attr]
                out.append(" ")
            out.append(f"<ins>{text}</ins>")
        else:
            out.append(text)
        previous = piece
    return "".join(out)


def changed(old: str, new: str) -> bool:
    return (old or "") != (new or "")
