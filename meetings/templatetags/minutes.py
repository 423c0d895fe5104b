from django import template

from meetings.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Markdown to sanitised HTML (see ``meetings.rendering``)."""
    return render_markdown(text)


@register.filter
def heading_level(depth: int) -> int:
    """Section depth 1 sits under the page's h2 "Minutes", so it is an h3."""
    return min(int(depth) + 2, 6)
