"""The social-media kit of each published article (SOP step 8: "di website dan media sosial").

For every article the build writes `social/<slug>/`: one caption per channel listed in the
article's `channels` (Facebook, Instagram, X, WhatsApp), each linking to the article with UTM
tags so that the monthly recap can tell which channel brought readers, and a 1200×630 share
image that is also the page's `og:image`.

`social/posted.json` in the repository records what the secretariat has posted; `laman social`
lists the rest. The record is plain JSON committed like any other file, so the recap and the
next person on duty see the same list without a database.

The core (`caption`, `captions`, `x_length`, `waiting`, `mark`) is pure; `share_image` draws,
`write_kit` and `save_posted` write.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from pipeline.errors import LamanError, Problem
from pipeline.messages import Phrase, say
from pipeline.model.dates import tanggal

if TYPE_CHECKING:
    from PIL import Image

CHANNELS = ("facebook", "instagram", "x", "whatsapp")
LABELS = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "whatsapp": "WhatsApp"}
# Each platform's own limit on a post's text, in its own way of counting.
LIMITS = {"facebook": 63_206, "instagram": 2_200, "x": 280, "whatsapp": 65_536}
X_LINK_LENGTH = 23  # X shortens every link to t.co and counts it as 23 characters
FOLDER = "social"
IMAGE_NAME = "share.png"
IMAGE_SIZE = (1200, 630)
RED = "#8a1c1c"
WHITE = "#ffffff"
POSTED_FILE = "social/posted.json"
EXEMPT = "dikecualikan"
URGENT = "serta-merta"
ELLIPSIS = "…"

# X counts these code points as one character and every other as two (twitter-text v3).
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
# What X turns into a t.co link: full URLs and bare domains.
_X_URL = re.compile(
    r"https?://\S+|\bwww\.\S+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:id|com|net|org|co|io|info|example)\b(?:/\S*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Post:
    """What a caption and a share image need of one published article."""

    slug: str
    title: str
    summary: str
    url: str  # the article's address, without tracking tags
    date: datetime | None
    tags: tuple[str, ...]
    channels: tuple[str, ...]
    info_class: str | None

    @property
    def exempt(self) -> bool:
        return self.info_class == EXEMPT

    @property
    def social_channels(self) -> tuple[str, ...]:
        """The listed channels this kit writes for, in a fixed order (`website` is the site)."""
        return tuple(c for c in CHANNELS if c in self.channels)


def post_from_meta(meta: Mapping[str, Any], url: str, slug: str, date: datetime | None) -> Post:
    return Post(
        slug=slug,
        title=meta.get("title") or "",
        summary=meta.get("summary") or "",
        url=url,
        date=date,
        tags=tuple(meta.get("tags") or ()),
        channels=tuple(meta.get("channels") or ()),
        info_class=(meta.get("information") or {}).get("class"),
    )


# ---- captions -------------------------------------------------------------------------------


def link(post: Post, channel: str) -> str:
    """The article's address tagged for the recap: which channel, by social post, which article."""
    tags = urlencode({"utm_source": channel, "utm_medium": "social", "utm_campaign": post.slug})
    return f"{post.url}{'&' if '?' in post.url else '?'}{tags}"


def x_length(text: str) -> int:
    """The length X counts: links 23 each, most scripts 1 per character, others (CJK, emoji) 2."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    last = 0
    for match in _X_URL.finditer(text):
        total += _x_weight(text[last : match.start()]) + X_LINK_LENGTH
        last = match.end()
    return total + _x_weight(text[last:])


def _x_weight(text: str) -> int:
    return sum(1 if any(lo <= ord(ch) <= hi for lo, hi in _X_LIGHT) else 2 for ch in text)


def measure(channel: str, text: str) -> int:
    return x_length(text) if channel == "x" else len(text)


def hashtags(tags: Iterable[str]) -> str:
    """`Pemilu 2024` -> `#Pemilu2024`: a hashtag stops at a space or punctuation."""
    out = []
    for tag in tags:
        word = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^\w]+", tag) if part)
        if word and f"#{word}" not in out:
            out.append(f"#{word}")
    return " ".join(out)


def _shorten(text: str, room: int, channel: str) -> str:
    """`text` cut so that it fits `room`, with an ellipsis: at a word if one fits, else (one long
    word, a script without spaces) at a character; empty if nothing fits."""
    if measure(channel, text) <= room:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",.;:—-") + ELLIPSIS
        if measure(channel, candidate) <= room:
            return candidate
    low, high = 0, len(text)  # the longest prefix that fits, by bisection (the count is monotone)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(channel, text[:middle].rstrip() + ELLIPSIS) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def caption(post: Post, channel: str, lang: str = "id") -> str:
    """The caption for one channel, within that channel's limit.

    When it is too long the hashtags go first, then the summary is shortened, then the title:
    the link always stays, since it is what the post is for.
    """
    url = link(post, channel)
    head = say("social.urgent", lang) if post.info_class == URGENT else ""
    title = f"*{post.title}*" if channel == "whatsapp" else post.title
    tail = f"{say(f'social.more.{channel}', lang)} {url}".strip()
    tags = hashtags(post.tags) if channel in ("facebook", "instagram", "x") else ""
    limit = LIMITS[channel]

    def join(*parts: str) -> str:
        return "\n\n".join(p for p in parts if p)

    summary = post.summary
    for with_tags in (True, False):
        text = join(head, title, summary, tail, tags if with_tags else "")
        if measure(channel, text) <= limit:
            return text
    # Too long even without hashtags: shorten the summary, then the title.
    fixed = measure(channel, join(head, title, tail)) + (2 if summary else 0)
    summary = _shorten(summary, limit - fixed, channel)
    text = join(head, title, summary, tail)
    if measure(channel, text) <= limit:
        return text
    room = limit - measure(channel, join(head, tail)) - 2
    return join(head, _shorten(title, room, channel), tail)


def captions(post: Post, lang: str = "id") -> dict[str, str]:
    """Captions for the channels the article lists; none for exempt information, ever."""
    if post.exempt:
        return {}
    return {channel: caption(post, channel, lang) for channel in post.social_channels}


# ---- the share image ------------------------------------------------------------------------


def _font(size: int) -> Any:
    from PIL import ImageFont

    # Pillow's own font: the image looks the same on every machine, no system font needed.
    return ImageFont.load_default(size=size)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        pieces = []
        while draw.textlength(word, font=font) > width:  # wider than a line: break the word
            cut = len(word) - 1
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
        for piece in pieces:
            candidate = f"{line} {piece}" if line else piece
            if line and draw.textlength(candidate, font=font) > width:
                lines.append(line)
                line = piece
            else:
                line = candidate
    if line:
        lines.append(line)
    return lines


def _title_lines(draw: Any, title: str, width: int, max_lines: int) -> tuple[Any, list[str], int]:
    """The largest size at which the title fits; at the smallest, the last line gets an ellipsis."""
    for size in (68, 60, 54, 48, 44):
        font = _font(size)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= max_lines:
            return font, lines, size
    lines = lines[:max_lines]
    last = lines[-1]
    while last and draw.textlength(last + ELLIPSIS, font=font) > width:
        last = last[:-1].rstrip()
    lines[-1] = last + ELLIPSIS
    return font, lines, size


def _logo(draw: Any, x: int, y: int, size: int) -> None:
    """A simple mark: a white disc with a ballot going into a ballot box, in the site's red."""
    draw.ellipse((x, y, x + size, y + size), fill=WHITE)
    u = size / 10
    draw.rectangle((x + 2.5 * u, y + 5 * u, x + 7.5 * u, y + 8 * u), fill=RED)  # the box
    draw.rectangle((x + 3.5 * u, y + 4.6 * u, x + 6.5 * u, y + 5.2 * u), fill=WHITE)  # its slot
    draw.rectangle((x + 4 * u, y + 2 * u, x + 6 * u, y + 4.9 * u), fill=RED)  # the ballot
    draw.line((x + 4.4 * u, y + 2.8 * u, x + 5.6 * u, y + 2.8 * u), fill=WHITE, width=max(1, int(u / 3)))


def share_image(post: Post, office: str, site: str, lang: str = "id") -> Image.Image:
    """1200×630 (the size Facebook, X and WhatsApp previews expect): office, title, date."""
    from PIL import Image, ImageDraw

    width, height = IMAGE_SIZE
    margin = 72
    image = Image.new("RGB", IMAGE_SIZE, RED)
    draw = ImageDraw.Draw(image)
    _logo(draw, margin, 48, 84)
    draw.text((margin + 108, 90), office.upper(), font=_font(30), fill=WHITE, anchor="lm")
    draw.line((margin, 160, width - margin, 160), fill=WHITE, width=2)
    top = 196
    if post.info_class == URGENT:
        label = say("social.urgent", lang)
        small = _font(26)
        box = draw.textbbox((margin, top), label, font=small)
        draw.rounded_rectangle((box[0] - 14, box[1] - 8, box[2] + 14, box[3] + 8), 8, fill=WHITE)
        draw.text((margin, top), label, font=small, fill=RED)
        top += 58
    font, lines, size = _title_lines(draw, post.title, width - 2 * margin, 4 if top < 220 else 3)
    for number, line in enumerate(lines):
        # A stroke in the fill colour: the one bundled font has no bold weight.
        draw.text(
            (margin, top + number * int(size * 1.2)),
            line,
            font=font,
            fill=WHITE,
            stroke_width=1,
            stroke_fill=WHITE,
        )
    band = height - 84
    draw.rectangle((0, band, width, height), fill=WHITE)
    foot = _font(28)
    draw.text((margin, band + 42), site, font=foot, fill=RED, anchor="lm")
    if post.date:
        draw.text((width - margin, band + 42), tanggal(post.date, lang), font=foot, fill=RED, anchor="rm")
    return image


# ---- files ----------------------------------------------------------------------------------


def write_kit(
    site: Path, post: Post, office: str, site_name: str, lang: str = "id", cache: Path | None = None
) -> list[Path]:
    """`social/<slug>/`: the share image and one `<channel>.txt` per listed channel.

    Drawing an image costs tens of milliseconds; with `cache`, an image already drawn for the
    same words is copied instead, so a rebuild of thousands of articles does not redraw them.
    """
    if post.exempt:  # never: the build does not see exempt items; this is the second lock
        return []
    folder = site / FOLDER / post.slug
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    image_path = folder / IMAGE_NAME
    drawn = None
    if cache is not None:
        words = repr(
            (post.title, post.date and tanggal(post.date, lang), post.info_class, office, site_name, lang)
        )
        drawn = cache / f"{hashlib.sha256(words.encode()).hexdigest()[:32]}.png"
    if drawn is not None and drawn.is_file():
        shutil.copyfile(drawn, image_path)
    else:
        share_image(post, office, site_name, lang).save(image_path, "PNG")
        if drawn is not None:
            drawn.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image_path, drawn)
    written.append(image_path)
    for channel, text in captions(post, lang).items():
        path = folder / f"{channel}.txt"
        path.write_text(text + "\n", "utf-8")
        written.append(path)
    return written


def site_name(site_url: str, fallback: str) -> str:
    """What the share image prints as the address: the host, or the office's name locally."""
    return urlsplit(site_url).netloc or fallback


# ---- what is waiting to be posted -----------------------------------------------------------

Posted = Mapping[str, Mapping[str, str]]  # slug -> channel -> when it was posted (ISO)


def load_posted(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise LamanError(
            [Problem("SOC003", str(path), args={"path": str(path), "detail": str(err)})]
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        detail = "expected {slug: {channel: time}} / harus {slug: {kanal: waktu}}"
        raise LamanError([Problem("SOC003", str(path), args={"path": str(path), "detail": detail})])
    return {str(k): {str(c): str(t) for c, t in v.items()} for k, v in data.items()}


def save_posted(path: Path, record: Posted) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = {slug: dict(sorted(record[slug].items())) for slug in sorted(record)}
    path.write_text(json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", "utf-8")


def waiting(posts: Iterable[Post], record: Posted) -> list[tuple[Post, str]]:
    """(article, channel) pairs listed in `channels` and not yet recorded as posted."""
    return [
        (post, channel)
        for post in sorted(posts, key=lambda p: (p.date is None, p.date or datetime.min, p.slug))
        if not post.exempt
        for channel in post.social_channels
        if channel not in record.get(post.slug, {})
    ]


def mark(
    posts: Iterable[Post], record: Posted, slug: str, channels: Iterable[str], when: datetime
) -> dict[str, dict[str, str]]:
    """A new record with `slug` posted on `channels` (all it lists, when none are named)."""
    by_slug = {p.slug: p for p in posts if not p.exempt}
    post = by_slug.get(slug)
    if post is None:
        raise LamanError([Problem("SOC001", slug, args={"slug": slug})])
    chosen = tuple(channels) or post.social_channels
    allowed = ", ".join(post.social_channels) or Phrase("rule.nobody.channels", slug=slug)
    bad = [c for c in chosen if c not in post.social_channels]
    if bad:
        raise LamanError(
            [Problem("SOC002", slug, args={"slug": slug, "channel": c, "channels": allowed}) for c in bad]
        )
    updated = {k: dict(v) for k, v in record.items()}
    for channel in chosen:
        updated.setdefault(slug, {})[channel] = when.isoformat(timespec="minutes")
    return updated
