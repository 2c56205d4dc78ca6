from django import template

register = template.Library()


@register.filter
def signed(number: int) -> str:
    """A balance with its sign: "+216", "−2" (a real minus sign), "0"."""
    if number > 0:
        return f"+{number:,}"
    if number < 0:
        return f"−{-number:,}"
    return "0"
