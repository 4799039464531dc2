"""What a rendered body needs to fit a phone: a table or a code block wider than the screen
scrolls inside its own box, which the keyboard can reach (WCAG 2.1.1), instead of pushing the
whole page sideways. The CSS (`.gulir`) shows that there is more to the side."""

from __future__ import annotations

import re

_TABLE_OPEN = re.compile(r"<table\b")
_TABLE_CLOSE = re.compile(r"</table>")
_PRE = re.compile(r"<pre\b(?![^>]*\btabindex=)")


def scrollable(body: str) -> str:
    """Each <table> in a focusable, named region; each <pre> focusable (sanitised HTML in)."""
    count = 0

    def region(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f'<div class="gulir" role="region" tabindex="0" aria-label="Tabel {count}">{match.group(0)}'

    body = _TABLE_CLOSE.sub("</table></div>", _TABLE_OPEN.sub(region, body))
    return _PRE.sub('<pre tabindex="0"', body)
