"""The reader's colour theme: dark, unless their cookie asks for light.

Site-wide, so it lives below the apps: every page's template gets it (theme_context, a context
processor in settings), the record's theme switch sets the cookie, and the page cache keys
pages by the cookie (the same URL renders differently per theme).
"""

THEME_COOKIE = "theme"
THEMES = ("dark", "light")


def theme_context(request) -> dict:
    """Context processor: the viewer's theme."""
    return {"theme": "light" if request.COOKIES.get(THEME_COOKIE) == "light" else "dark"}
