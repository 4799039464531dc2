"""Pelican reads articles through `pipeline.article`: one parser for the site and the check."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from pelican import signals
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime
from pelican.writers import Writer

from pipeline.duties import dip, social
from pipeline.errors import Problem
from pipeline.messages import choose_lang
from pipeline.model import article, media
from pipeline.model import body as rendered_body
from pipeline.model import html as html_policy
from pipeline.model.dates import parse_datetime
from pipeline.model.project import CONTENT_DIR
from pipeline.site import fitting, images, redirects, search

# A child of "pelican": an error logged here fails the build (see pipeline.site.pelican_run).
logger = logging.getLogger("pelican.laman")
URGENT_FEED = "feeds/serta-merta.atom.xml"

# Front-matter keys handed to templates as they are (Pelican lower-cases metadata names).
_PASSED = (
    "id", "stage", "dateline", "information", "channels", "image", "disposition", "publish_at", "imported",
)  # fmt: skip


def _safe(value: Any) -> SafeDatetime:
    return SafeDatetime.fromtimestamp(value.timestamp(), tz=value.tzinfo)


class LamanReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        root = Path(self.settings["PATH"]).resolve()
        relative = Path(source_path).resolve().relative_to(root)
        folder = relative.parent.as_posix().removeprefix(".")
        # Named as the repository names it: an error says `content/berita/x.md:12:3`.
        item = article.parse(Path(source_path).read_bytes(), f"{CONTENT_DIR}/{relative.as_posix()}")
        for problem in media.problems(item, folder, partial(_size, root)):  # fails the build
            logger.error("%s", problem.format(choose_lang()).replace("\n", " "))
        publish = _publisher(self.settings, item, folder)
        # A second line of defence: `laman validate` refuses unsafe HTML, this strips it.
        body = html_policy.sanitize(
            rendered_body.render(item.body), self.settings.get("LAMAN_IFRAME_HOSTS", ())
        )
        prefix = (
            "" if self.settings.get("RELATIVE_URLS") else f"{self.settings.get('SITEURL', '')}/{item.slug}/"
        )
        body = fitting.scrollable(images.lighten(body, publish, prefix))
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
        if item.meta.get("image"):
            meta["laman_picture"] = publish(item.meta["image"]["src"])
        return body, meta


def _size(root: Path, path: str) -> int | None:
    file = root / path
    return file.stat().st_size if file.is_file() else None


def _publisher(settings: dict[str, Any], item: article.Article, folder: str) -> Callable[[str], Any]:
    """Publishes an image an address of the page names into the page's folder (`<slug>/`); None
    for another site's image, or one already reported missing or unreadable."""
    root = Path(settings["PATH"]).resolve()
    target = Path(settings["OUTPUT_PATH"]) / item.slug
    cache = Path(settings["LAMAN_CACHE_PATH"]) / "images" if settings.get("LAMAN_CACHE_PATH") else None
    taken: dict[str, str] = {}  # the page's images by the name of their copies

    def publish(src: str) -> images.Picture | None:
        path = media.content_path(src, folder)
        if path is None or not (root / path).is_file():
            return None
        try:
            return images.publish(root / path, target, cache, images.stem(path, taken))
        except images.ImageError as err:
            problem = Problem("IMG003", item.file, args={"src": src, "detail": str(err)})
            logger.error("%s", problem.format(choose_lang()).replace("\n", " "))
            return None

    return publish


def add_reader(readers: Any) -> None:
    """Laman's reader alone: Pelican's own would publish an `.html`, `.rst` or `.markdown` file
    with no SOP step and no sanitising (the build stages none, this holds if one slips by).
    Pelican's `static` reader stays: it copies a download as it is and reads nothing."""
    static = readers.reader_classes.get("static")
    readers.reader_classes.clear()
    readers.reader_classes.update({"static": static, "md": LamanReader})


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


def _front(item: Any) -> dict[str, Any]:
    """What the DIP and the social kit need of a Pelican article or page, as front matter."""
    summary = item.metadata.get("summary")
    return {
        "title": item.title,
        "summary": html.unescape(summary) if summary else None,
        "information": getattr(item, "laman_information", None) or {},
        "dateline": getattr(item, "laman_dateline", None),
        "tags": [str(t) for t in getattr(item, "tags", None) or ()],
        "channels": getattr(item, "laman_channels", None) or [],
    }


def yaml_not_copied(pelican: Any) -> None:
    """`content/dokumen/*.yml` describe documents for the DIP; the files themselves stay out of
    the site (the DIP page and its downloads carry what they say)."""
    pelican.settings["IGNORE_FILES"] = [*pelican.settings.get("IGNORE_FILES", ()), "*.yml"]


def public_information_list(generator: Any, writer: Any) -> None:
    """The Daftar Informasi Publik page, `dip.csv` and `dip.xlsx` (UU 14/2008), from every
    published article and page and `content/dokumen/*.yml`. Runs after the pages are written,
    when articles and pages are both known."""
    context, settings = generator.context, generator.settings
    items = [
        dip.item_from_meta(_front(x), url=x.url, source=x.source_path, published=getattr(x, "date", None))
        for x in (*context.get("articles", ()), *context.get("pages", ()))
    ]
    documents, problems = dip.load_documents(Path(settings["PATH"]))
    for problem in problems:  # logged as errors: the build fails and names the file and line
        logger.error("%s", problem.format(choose_lang()).replace("\n", " "))
    groups = dip.table([i for i in items if i is not None] + documents)
    writer.write_file(
        f"{dip.PAGE}index.html",
        generator.get_template("dip"),
        context,
        relative_urls=settings["RELATIVE_URLS"],
        dip_headings=[h.say("id") for h in dip.HEADINGS],
        dip_groups=[(g.label(), [(dip.cells(r), r.item) for r in g.rows]) for g in groups],
        dip_downloads=(f"{dip.PAGE}{dip.CSV_NAME}", f"{dip.PAGE}{dip.XLSX_NAME}"),
        dip_urgent_feed=settings.get("LAMAN_URGENT_FEED_ATOM", URGENT_FEED)
        if settings.get("FEED_ALL_ATOM")
        else None,
    )
    dip.write(Path(generator.output_path), groups, settings.get("SITEURL", ""), settings.get("LAMAN_EPOCH"))


def old_addresses(generator: Any, writer: Any) -> None:
    """Imported articles' old addresses (`laman import wordpress`): the nginx map, and a page at
    each old path that sends the reader to the new one."""
    context, site_url = generator.context, generator.settings.get("SITEURL", "")
    found = []
    for item in (*context.get("articles", ()), *context.get("pages", ())):
        imported = getattr(item, "laman_imported", None)
        redirect = redirects.of(imported, f"{site_url}/{item.url}") if imported else None
        if redirect is not None:
            found.append((redirect, item.title))
    if found:
        redirects.write(Path(generator.output_path), found)


def urgent_feed(generator: Any, writer: Any) -> None:
    """Its own Atom feed for serta-merta information, beside the site's other feeds."""
    path = generator.settings.get("LAMAN_URGENT_FEED_ATOM", URGENT_FEED)
    if not (generator.settings.get("FEED_ALL_ATOM") and path):
        return
    items = [
        a
        for a in generator.articles
        if (getattr(a, "laman_information", None) or {}).get("class") == "serta-merta"
    ]
    writer.write_feed(items, generator.context, path, feed_title="Informasi serta-merta")


def social_kits(generator: Any, writer: Any) -> None:
    """`social/<slug>/` for every published article: captions and the share image (og:image)."""
    settings = generator.settings
    site_url = settings.get("SITEURL", "")
    name = social.site_name(site_url, settings["SITENAME"])
    cache = settings.get("LAMAN_CACHE_PATH")
    for item in generator.articles:
        post = social.post_from_meta(_front(item), f"{site_url}/{item.url}", item.slug, item.date)
        social.write_kit(
            Path(generator.output_path),
            post,
            settings["SITENAME"],
            name,
            cache=Path(cache) / "social" if cache else None,
        )


class _Writer(Writer):
    """Pelican's writer, whose feeds say the site's language (Pelican's own leave it out), and
    whose empty feeds are dated by the build's commit, not by the clock (feedgenerator's
    default), so that a build can be repeated byte for byte."""

    def _create_new_feed(self, feed_type: str, feed_title: str | None, context: dict[str, Any]) -> Any:
        feed = super()._create_new_feed(feed_type, feed_title, context)
        feed.feed["language"] = context.get("DEFAULT_LANG")
        epoch = self.settings.get("LAMAN_EPOCH")
        if epoch is not None:
            newest = feed.latest_post_date
            feed.latest_post_date = lambda: newest() if feed.items else epoch
        return feed


def writer_with_language(pelican: Any) -> type[Writer]:
    return _Writer


def site_settings(pelican: Any) -> None:
    """What every page's template needs of the plugin: where the DIP is. And the sitemap's
    clock: its index pages (home, archive, topics) are dated by the build's commit, not by the
    time the build ran (`LAMAN_EPOCH`, as SOURCE_DATE_EPOCH is for other builds)."""
    pelican.settings.setdefault("LAMAN_DIP_URL", dip.PAGE)
    if pelican.settings.get("LAMAN_EPOCH") is not None:
        from pelican.plugins.sitemap import sitemap

        sitemap.generator.now = pelican.settings["LAMAN_EPOCH"]


def menu_of_what_exists(generators: Any) -> None:
    """The menu (`LAMAN_MENU`) without the sections that have nothing published yet: a link to
    an empty category or a missing page would lead to a 404. Other sites' links stay."""
    context = generators[0].context
    known = {"", "arsip/", "topik/", "cari/", dip.PAGE}
    for generator in generators:
        known.update(category.url for category, _ in getattr(generator, "categories", ()))
        for name in ("articles", "pages"):
            known.update(item.url for item in getattr(generator, name, ()))
    context["LAMAN_MENU"] = [
        (label, url) for label, url in context.get("LAMAN_MENU", ()) if url in known or "://" in url
    ]


def register() -> None:
    search.register()
    signals.initialized.connect(site_settings)
    signals.get_writer.connect(writer_with_language)
    signals.all_generators_finalized.connect(menu_of_what_exists)
    signals.initialized.connect(unlisted_notices)
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(urgent_band)
    signals.article_writer_finalized.connect(withdrawal_notices)
    signals.initialized.connect(yaml_not_copied)
    signals.article_writer_finalized.connect(urgent_feed)
    signals.article_writer_finalized.connect(social_kits)
    signals.page_writer_finalized.connect(public_information_list)
    signals.page_writer_finalized.connect(old_addresses)
