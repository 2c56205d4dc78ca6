from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def marked(parts) -> str:
    """A text with its match in <mark>; every part escaped (the text may be an article's)."""
    if parts is None:
        return ""
    if not parts.match:
        return format_html("{}{}", parts.before, parts.after)
    return format_html("{}<mark>{}</mark>{}", parts.before, parts.match, parts.after)
