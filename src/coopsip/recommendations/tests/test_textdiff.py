"""The readable difference between versions: words in <del>/<ins>, everything escaped. No Django needed."""

from coopsip.recommendations.textdiff import Piece, diff_html, diff_pieces


def test_a_changed_word_is_removed_then_added_with_a_space_between_for_screen_readers() -> None:
    assert diff_html("a shared fund", "a common fund") == "a <del>shared</del> <ins>common</ins> fund"
    assert diff_html("one two", "one three\nfour") == "one <del>two</del> <ins>three\nfour</ins>"


def test_added_and_removed_sentences() -> None:
    assert diff_pieces("One.", "One. Two.") == [Piece("same", "One."), Piece("added", " Two.")]
    assert diff_html("One. Two.", "One.") == "One.<del> Two.</del>"


def test_markup_in_either_text_is_shown_as_text() -> None:
    html = diff_html("<b>old</b>", '<script>alert("x")</script>')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;old&lt;/b&gt;" in html


def test_the_same_text_has_no_marks_and_empty_texts_work() -> None:
    assert diff_html("same text\nline", "same text\nline") == "same text\nline"
    assert diff_html("", "") == ""
    assert diff_html("", "new") == "<ins>new</ins>"
