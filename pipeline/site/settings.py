"""The site's own settings (`pelicanconf.py`), read where another part needs one of them."""

from __future__ import annotations

from pathlib import Path


def office_address(root: Path) -> str | None:
    """The office's address, for a letterhead, from the site's settings if it has them."""
    settings_file = root / "pelicanconf.py"
    if not settings_file.is_file():
        return None
    from pelican.settings import read_settings  # Pelican is slow to import and rarely needed

    return read_settings(str(settings_file)).get("LAMAN_ADDRESS")
