from django import template

register = template.Library()


@register.filter
def minutes(milliseconds: int | None) -> str:
    """3:07 for 187 000 ms; empty for an unknown length."""
    if milliseconds is None:
        return ""
    seconds = round(milliseconds / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"
