"""Pelican reads articles through `pipeline.article`: one parser for the site and the check."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import markdown
from pelican import signals
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from pipeline import article, images
from pipeline import html as html_policy
from pipeline.dates import parse_datetime

# Front-matter keys handed to templates as they are (Pelican lower-cases metadata names).
_PASSED = ("id", "stage", "dateline", "information", "channels", "image", "disposition", "publish_at")


def _safe(value: Any) -> SafeDatetime:
    return SafeDatetime.fromtimestamp(value.timestamp(), tz=value.tzinfo)


class LamanReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        item = article.parse(Path(source_path).read_bytes(), source_path)
        rendered = markdown.Markdown(**self.settings["MARKDOWN"]).convert(item.body)
        # A second line of defence: `laman validate` refuses unsafe HTML, this strips it.
        body = html_policy.sanitize(rendered, self.settings.get("LAMAN_IFRAME_HOSTS", ()))
        body = images.lighten(body, Path(source_path), Path(self.settings["PATH"]))
        meta: dict[str, Any] = {"title": item.title, "slug": item.slug, "status": "published"}
        for key in ("category", "tags", "author"):
            if key in item.meta:
                meta[key] = self.process_metadata(key, item.meta[key])
        if item.date:
            meta["date"] = _safe(item.date)
        if item.meta.get("modified"):
            meta["modified"] = _safe(parse_datetime(item.meta["modified"]))
        if item.meta.get("summary"):
            meta["summary"] = html.escape(item.meta["summary"])
        meta.update({f"laman_{k}": item.meta[k] for k in _PASSED if k in item.meta})
        return body, meta


def add_reader(readers: Any) -> None:
    readers.reader_classes["md"] = LamanReader


def urgent_band(generator: Any) -> None:
    """Serta-merta items (UU 14/2008 Pasal 10) dated within the last days lead the home page."""
    now = generator.settings.get("LAMAN_NOW") or datetime.now(UTC)
    window = timedelta(days=generator.settings.get("LAMAN_URGENT_DAYS", 7))
    generator.context["LAMAN_URGENT"] = [
        item
        for item in generator.articles
        if (getattr(item, "laman_information", None) or {}).get("class") == "serta-merta"
        and timedelta(0) <= now - item.date <= window
    ]


def withdrawal_notices(generator: Any, writer: Any) -> None:
    """A withdrawn article's address keeps a short notice instead of a 404: links stay honest."""
    notices = generator.settings.get("LAMAN_NOTICES") or ()
    if not notices:
        return
    template = generator.get_template("withdrawn")
    for notice in notices:
        writer.write_file(
            f"{notice['slug']}/index.html",
            template,
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            notice=notice,
        )


def unlisted_notices(pelican: Any) -> None:
    """Withdrawal notices ask not to be indexed; the sitemap leaves them out too."""
    notices = pelican.settings.get("LAMAN_NOTICES") or ()
    sitemap = dict(pelican.settings.get("SITEMAP") or {})
    sitemap["exclude"] = [*sitemap.get("exclude", ()), *(f"^{re.escape(n['slug'])}/" for n in notices)]
    pelican.settings["SITEMAP"] = sitemap


def register() -> None:
    signals.initialized.connect(unlisted_notices)
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(urgent_band)
    signals.article_writer_finalized.connect(withdrawal_notices)
