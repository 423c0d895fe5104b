import pytest

from meetings.rendering import render_markdown


def test_tables_lists_links_and_emphasis_are_rendered():
    html = render_markdown(
        "| Site | State |\n|---|---|\n| NLS | up |\n\n- one\n- two\n\n"
        "[status](https://example.org/s) and **bold** ~~old~~"
    )
    assert "<table>" in html and "<td>NLS</td>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org/s"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "<strong>bold</strong>" in html and "<s>old</s>" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        '<img src="x" onerror="alert(1)">',
        '<p onclick="alert(1)">x</p>',
        '<iframe src="https://example.org"></iframe>',
        "<style>body{display:none}</style>",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    ],
)
def test_dangerous_markup_never_survives(payload):
    html = render_markdown(payload).lower()
    for bad in ("<script", "onerror", "onclick", "<iframe", "<style"):
        assert bad not in html
    # A link that is refused stays as harmless text; no href may carry it.
    assert 'href="javascript' not in html
    assert 'href="data:' not in html


def test_blank_text_renders_to_nothing():
    assert render_markdown("") == ""
    assert render_markdown("  \n ") == ""


def test_speaker_prefixed_lines_keep_their_words():
    html = render_markdown("Ada: the detector is back.\n\nAE: agreed")
    assert "Ada: the detector is back." in html and "AE: agreed" in html
