"""Markdown to safe HTML, in one place.

markdown-it-py parses (CommonMark plus tables and strikethrough); nh3 then
removes everything that is not on the allow-list, so raw HTML in a body, event
attributes and ``javascript:`` links never reach a page.
"""

import hashlib

import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
CACHE_VERSION = 1
CACHE_SECONDS = 24 * 60 * 60


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> SafeString:
    """Render a Markdown body to sanitised HTML, safe to put in a template.

    The result is cached under a digest of the text itself: the HTML depends on
    nothing else, so an edited body (whichever way it was written) is never
    served stale. Bump ``CACHE_VERSION`` when the parser or allow-list changes.
    """
    if not text or not text.strip():
        return mark_safe("")
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    key = f"markdown:{CACHE_VERSION}:{digest}"
    html = cache.get(key)
    if html is None:
        html = sanitise_html(_markdown.render(text))
        cache.set(key, html, timeout=CACHE_SECONDS)
    return mark_safe(html)
