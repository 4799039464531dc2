"""The sample site's lead images, drawn with Pillow: plain illustrations (islands, a coast, a
ballot box), never made to pass for photographs of real people, places or events. Each sample
article says so in its caption. Run once to redraw them; the files are committed beside their
articles like any office's photos.

.venv/bin/python scripts/sample_photos.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1200, 675)
SEA, DEEP, LAND, HILL, SAND = "#cfe3ee", "#a9cadb", "#9fbf8a", "#7fa36c", "#e8dcb5"
RED, INK, PAPER = "#b3261e", "#29414f", "#f6f3ea"


def _sea(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Wave marks on the sea, in rows."""
    for row in range(20, SIZE[1], 38):
        for col in range(rng.randrange(0, 60), SIZE[0], 120):
            draw.arc((col, row, col + 40, row + 16), 200, 340, fill=DEEP, width=3)


def _island(draw: ImageDraw.ImageDraw, centre: tuple[int, int], radius: tuple[int, int], tilt: float) -> None:
    """A smooth blob, its beach a little wider than its land."""
    cx, cy = centre
    rx, ry = radius
    points = []
    for step in range(48):
        angle = 2 * math.pi * step / 48
        wobble = 1 + 0.12 * math.sin(3 * angle + tilt) + 0.07 * math.cos(5 * angle)
        x, y = rx * wobble * math.cos(angle), ry * wobble * math.sin(angle)
        points.append(
            (cx + x * math.cos(tilt) - y * math.sin(tilt), cy + x * math.sin(tilt) + y * math.cos(tilt))
        )
    draw.polygon(points, fill=SAND)
    inner = [(cx + (x - cx) * 0.9, cy + (y - cy) * 0.9) for x, y in points]
    draw.polygon(inner, fill=LAND)
    draw.ellipse((cx - rx * 0.3, cy - ry * 0.3, cx + rx * 0.3, cy + ry * 0.3), fill=HILL)


def islands() -> Image.Image:
    """Four large islands in a chain from north-west to south-east, like the regency's: an
    illustration, not a map (no scale, no true coastline)."""
    rng = random.Random(4)
    image = Image.new("RGB", SIZE, SEA)
    draw = ImageDraw.Draw(image)
    _sea(draw, rng)
    for centre, radius in (((300, 190), (230, 120)), ((640, 380), (120, 70)), ((820, 470), (105, 58))):
        _island(draw, centre, radius, 0.55)
    _island(draw, (985, 575), (120, 60), 0.55)
    draw.ellipse((622, 362, 658, 398), fill=RED, outline="white", width=5)  # the office, on Sipora
    return image.filter(ImageFilter.SMOOTH)


def coast() -> Image.Image:
    """A village coast with two polling stations moved inland, away from the waves."""
    rng = random.Random(27)
    image = Image.new("RGB", SIZE, SEA)
    draw = ImageDraw.Draw(image)
    _sea(draw, rng)
    shore = [(0, 300), (200, 270), (420, 320), (640, 280), (860, 330), (1200, 290), (1200, 675), (0, 675)]
    draw.polygon(shore, fill=SAND)
    draw.polygon([(x, y + 60) for x, y in shore[:6]] + [(1200, 675), (0, 675)], fill=LAND)
    for x, y in ((260, 305), (520, 318)):  # the old places, by the sea: crossed out
        draw.rectangle((x - 34, y - 26, x + 34, y + 26), outline=RED, width=6)
        draw.line((x - 34, y - 26, x + 34, y + 26), fill=RED, width=6)
        draw.line((x - 34, y + 26, x + 34, y - 26), fill=RED, width=6)
    hall = (760, 470, 960, 600)
    draw.rectangle(hall, fill=PAPER, outline=INK, width=6)
    draw.polygon([(740, 470), (860, 400), (980, 470)], fill=INK)
    for start in ((300, 340), (560, 350)):  # the way inland
        draw.line((start, (740, 520)), fill=INK, width=8)
    draw.polygon([(740, 520), (712, 496), (706, 530)], fill=INK)
    return image.filter(ImageFilter.SMOOTH)


def ballot_box() -> Image.Image:
    """A ballot box and the stacked forms of a count, on a plain table."""
    image = Image.new("RGB", SIZE, "#e9eef1")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, SIZE[0], SIZE[1]), fill="#c9b79c")
    for index in range(7):  # the forms, each a little askew
        x, y = 700 + index * 6, 470 - index * 22
        draw.rectangle((x, y, x + 300, y + 40), fill=PAPER, outline="#b9b2a2", width=3)
    draw.rectangle((230, 260, 560, 540), fill="#f2f2f2", outline=INK, width=8)
    draw.rectangle((330, 250, 460, 268), fill=INK)  # the slot
    draw.rectangle((230, 330, 560, 380), fill=RED)
    draw.polygon([(345, 140), (445, 140), (470, 258), (320, 258)], fill=PAPER, outline=INK)
    return image.filter(ImageFilter.SMOOTH)


DRAWN = {
    "halaman/wilayah-kerja.jpg": islands,
    "pengumuman/tps-saumanganyak.jpg": coast,
    "berita/rekapitulasi-kabupaten.jpg": ballot_box,
}


def main() -> None:
    for name, draw in DRAWN.items():
        target = ROOT / "content" / name
        draw().save(target, "JPEG", quality=80, optimize=True, progressive=True)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} B")


if __name__ == "__main__":
    main()
