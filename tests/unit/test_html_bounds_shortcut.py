"""``bound_html`` skips its HTMLParser pass when a cheap scan proves the
pass would give the HTML back unchanged (most letters, and nearly all
sanitized HTML). The result must be exactly the full pass's: over the real
letters' HTML (as it comes and as nh3 cleans it), HTML at every bound, and
seeded random HTML made of the tokens the scan must be careful about."""

from __future__ import annotations

import random
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from services.mail import html_bounds
from services.mail.mime_html import _CLEANER

DATA = Path(__file__).resolve().parent.parent / "data" / "mime"

# What HTMLParser reads differently from how it is written, and plain tokens.
_TRICKY = (
    *("<p/>", "</br>", "<P>", "</P>", "</p >", "</ p>", "< p>", "<p\n>", "<br/>", "<br />"),
    *("<a href=http://x/>", "<b title='x>y'>", '<i title="a<b">', "<x:y>", "</x:y>"),
    *("<script>", "</script>", "<style>", "</style>", "<title>", "</title>", "<textarea>"),
    *("x<y", "AT&T", "&amp", "&amp;", "&AMP;", "&#123;", "&#x1F;", "&#xZZ;", "&", "<", ">"),
    *("<!-- c -->", "<!--touchpoint-simplified:depth-->", "<!DOCTYPE html>", "<?xml x?>"),
    *("<![CDATA[x]]>", "<a\thref='q'>", '<img src="cid:x">', "<img>", "<hr/>", "<td nowrap>"),
    *('<span class="a" data-x=y>', "<font color=red>", '<a href="?a=1&b=2">', "&nbsp;"),
)
_PLAIN = ("Привет", "text", " ", "\n", "\r\n", "&amp;", "&#8212;", "<br>", '<img src="cid:a">')
_ELEMENTS = ("p", "div", "span", "b", "table", "tr", "td", "a", "ul", "li", "blockquote", "font")


def _same(html: str, alsos: tuple[tuple[str, ...], ...] = ((), ("size", "images"))) -> bool:
    """Whether the shortcut gives the full pass's answer in every mode."""
    for raw in (True, False):
        for also in alsos:
            full = html_bounds._bounded(
                html, max_chars=html_bounds.MAX_HTML_CHARS, raw=raw, also=also, for_display=False
            )
            if html_bounds.bound_html(html, raw=raw, also=also) != full:
                return False
    return True


def _skips(html: str) -> bool:
    return html_bounds._unchanged(html, *html_bounds._LIMITS)


def _letters_html() -> list[str]:
    found: list[str] = []
    for path in sorted(p for p in DATA.rglob("*") if p.is_file() and p.name != "SOURCES.md"):
        message = BytesParser(policy=policy.compat32).parsebytes(path.read_bytes())
        for part in message.walk():
            if part.get_content_type() == "text/html":
                data = part.get_payload(decode=True)
                if isinstance(data, bytes):
                    found.append(data.decode("utf-8", "replace"))
    return found


def test_real_letters_are_bounded_the_same_with_the_shortcut() -> None:
    letters = _letters_html()
    cleaned = [_CLEANER.clean(html) for html in letters]
    differ = [html[:120] for html in letters + cleaned if not _same(html, ((),))]
    assert differ == []
    assert len(letters) > 100
    # the shortcut is the common path, not one that always steps aside
    assert sum(map(_skips, cleaned)) > 0.9 * len(cleaned)


def _nested(tag: str, depth: int) -> str:
    return f"<{tag}>" * depth + "Договор" + f"</{tag}>" * depth


@pytest.mark.parametrize(
    "html",
    [
        _nested("div", html_bounds.MAX_DEPTH - 1),
        _nested("div", html_bounds.MAX_DEPTH),
        _nested("div", html_bounds.MAX_DEPTH + 1),
        _nested("div", html_bounds.MAX_RAW_DEPTH),
        _nested("div", html_bounds.MAX_RAW_DEPTH + 1),
        _nested("table", html_bounds.MAX_TABLE_DEPTH),
        _nested("table", html_bounds.MAX_TABLE_DEPTH + 1),
        "<p>x</p>" + '<img src="cid:a">' * html_bounds.MAX_IMAGES,
        "<p>x</p>" + '<img src="cid:a">' * (html_bounds.MAX_IMAGES + 1),
        "<br>" * html_bounds.MAX_ELEMENTS,
        "<br>" * (html_bounds.MAX_ELEMENTS + 1),
        "<p>unclosed",
        "<b><i>crossed</b></i>",
        "",
    ],
)
def test_html_at_each_bound_is_bounded_the_same(html: str) -> None:
    assert _same(html)


def test_html_over_the_size_bound_is_cut_the_same() -> None:
    html = "<p>" + "слово " * 10 + "</p>"
    for raw in (True, False):
        full = html_bounds._bounded(html, max_chars=20, raw=raw, also=(), for_display=False)
        assert html_bounds.bound_html(html, max_chars=20, raw=raw) == full
        assert full.simplified == ("size",)


def _random_html(rng: random.Random) -> str:
    """Well-formed nested HTML (the shortcut's case), sometimes with one
    tricky token put in or a tag dropped (the cases it must refuse)."""
    out: list[str] = []
    stack: list[str] = []
    for _ in range(rng.randrange(1, 60)):
        roll = rng.random()
        if roll < 0.3 and len(stack) < 60:
            tag = rng.choice(_ELEMENTS)
            stack.append(tag)
            out.append(f'<{tag} title="т {len(out)}">' if rng.random() < 0.2 else f"<{tag}>")
        elif roll < 0.55 and stack:
            out.append(f"</{stack.pop()}>")
        elif roll < 0.62:
            out.append(rng.choice(_TRICKY))
        else:
            out.append(rng.choice(_PLAIN))
    out += [f"</{tag}>" for tag in reversed(stack)]
    if rng.random() < 0.2 and len(out) > 1:
        del out[rng.randrange(len(out))]
    return "".join(out)


def test_seeded_random_html_is_bounded_the_same() -> None:
    rng = random.Random(16)
    documents = [_random_html(rng) for _ in range(2000)]
    differ = [html for html in documents if not _same(html)]
    assert differ == []
    skipped = sum(map(_skips, documents))
    assert 200 < skipped < 1800  # both paths met often


@pytest.mark.parametrize("token", _TRICKY)
def test_each_tricky_token_is_bounded_the_same(token: str) -> None:
    for html in (token, f"<p>a{token}b</p>", f"<div>{token}</div>{token}"):
        assert _same(html), html


@pytest.mark.parametrize(
    "html",
    [
        "<p/></p>",
        "<p/>a</p>",
        "<div><p/><b>a</b></p></div>",
        "<script><b>x</b></script>",
        "<style><i></i></style>",
        "<p><title>Счёт</title></p>",
        "<br/><p>a</p>",
        "<table><tr><td>1</td></tr></table>",
        "<p>a</p></p>",
        "<i><b>a</i></b>",
    ],
)
def test_html_under_every_bound_is_bounded_the_same(html: str) -> None:
    """Under every bound the scan checks only the nesting (``_nested``):
    what it must still refuse, an empty tag closed after all or raw text."""
    assert _same(html)
