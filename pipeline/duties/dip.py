"""Daftar Informasi Publik (DIP) and the internal Daftar Informasi yang Dikecualikan.

The public list is made from the `information` block of every publishable item and from the
documents listed without an article in `content/dokumen/*.yml`; the site publishes it as a page,
CSV and XLSX (UU 14/2008; Perki 1/2021). Exempt items (Pasal 17) go only to the internal list,
which is printed or written on request and never built into the site.

The core (`item_from_meta`, `load_document`, `table`, `cells`, `exempt_rows`) is pure; `to_csv`,
`write_xlsx` and `write` are the small shell that writes files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pipeline.errors import LamanError, Problem
from pipeline.messages import Phrase, say
from pipeline.model import schemas, strictyaml
from pipeline.model.dates import WIB, parse_datetime, tanggal
from pipeline.model.information import CLASSES, EXEMPT

PAGE = "ppid/daftar-informasi-publik/"
CSV_NAME = "dip.csv"
XLSX_NAME = "dip.xlsx"
DOCUMENTS = "dokumen"

HEADINGS: tuple[Phrase, ...] = tuple(
    Phrase(f"dip.heading.{key}")
    for key in ("number", "summary", "unit", "responsible", "made", "form", "retention")
)
# Two more columns in the downloads, so that a spreadsheet keeps the grouping and the links.
EXTRA_HEADINGS: tuple[Phrase, ...] = (Phrase("dip.heading.class"), Phrase("dip.heading.link"))
GROUPS: Mapping[str, Phrase] = {info_class: Phrase(f"dip.group.{info_class}") for info_class in CLASSES}
EXEMPT_HEADINGS: tuple[Phrase, ...] = tuple(
    Phrase(f"dip.exempt.heading.{key}")
    for key in (
        "number",
        "title",
        "file",
        "stage",
        "unit",
        "legal_basis",
        "consequence",
        "period",
        "decision",
    )
)


@dataclass(frozen=True)
class Item:
    """One row of the DIP before it is numbered."""

    info_class: str
    title: str
    summary: str | None
    unit: str | None
    responsible: str | None
    made: date | None
    place: str | None
    formats: tuple[str, ...]
    retention: str | Mapping[str, str] | None
    url: str | None  # the page or file, relative to the site's root
    source: str  # the file it came from, for errors and the exempt list


@dataclass(frozen=True)
class Row:
    number: int
    item: Item


@dataclass(frozen=True)
class Group:
    info_class: str
    rows: tuple[Row, ...]

    def label(self, lang: str = "id") -> str:
        return GROUPS[self.info_class].say(lang)


@dataclass(frozen=True)
class ExemptRow:
    """One line of the internal Daftar Informasi yang Dikecualikan, with its consequence test."""

    number: int
    title: str
    file: str
    stage: str
    unit: str | None
    legal_basis: str | None
    consequence: str | None
    period: str | None
    decision: str | None

    @property
    def recorded(self) -> bool:
        return all((self.legal_basis, self.consequence, self.period, self.decision))


# ---- the core -------------------------------------------------------------------------------


def _day(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value.astimezone(WIB).date()
    if isinstance(value, date):
        return value
    try:
        return parse_datetime(str(value)).date()
    except ValueError:
        return None


def item_from_meta(
    meta: Mapping[str, Any], *, url: str | None, source: str, published: datetime | None = None
) -> Item | None:
    """The DIP row of a published article or page; None if it is not public information.

    Exempt items return None here too: the build never sees them, and this is the second lock.
    """
    info = meta.get("information") or {}
    info_class = info.get("class")
    if info_class not in CLASSES:
        return None
    return Item(
        info_class=info_class,
        title=meta.get("title") or "",
        summary=meta.get("summary") or None,
        unit=info.get("unit"),
        responsible=info.get("responsible"),
        made=_day(info.get("made")) or _day(published or meta.get("date")),
        place=info.get("place") or meta.get("dateline"),
        formats=tuple(info.get("format") or ()),
        retention=info.get("retention"),
        url=url,
        source=source,
    )


def load_document(text: str, file: str, content_root: Path | None = None) -> Item:
    """One `content/dokumen/*.yml`, parsed strictly and checked against document.schema.json.

    With `content_root`, a `file:` that is not there is a problem: the DIP would link nowhere.
    """
    loaded = strictyaml.load(text, file)
    if not isinstance(loaded.data, dict):
        line, col = loaded.position(())
        raise LamanError([Problem("DIP002", file, line, col)])
    problems = schemas.check("document", loaded, file)
    data = loaded.data
    if not problems and data.get("made"):
        try:
            date.fromisoformat(data["made"])
        except ValueError:
            line, col = loaded.position(("made",))
            problems.append(Problem("SCH008", file, line, col, {"field": "made", "value": data["made"]}))
    target = data.get("file")
    if not problems and target and content_root is not None and not (content_root / target).is_file():
        line, col = loaded.position(("file",))
        problems.append(Problem("DIP003", file, line, col, {"path": target}))
    if problems:
        raise LamanError(problems)
    return Item(
        info_class=data["class"],
        title=data["title"],
        summary=data.get("summary"),
        unit=data["unit"],
        responsible=data["responsible"],
        made=date.fromisoformat(data["made"]),
        place=data["place"],
        formats=tuple(data["format"]),
        retention=data["retention"],
        url=target,
        source=file,
    )


def load_documents(content_root: Path) -> tuple[list[Item], list[Problem]]:
    """Every `content_root/dokumen/*.yml`; every problem of every file, not just the first."""
    items: list[Item] = []
    problems: list[Problem] = []
    folder = content_root / DOCUMENTS
    if not folder.is_dir():
        return items, problems
    for path in sorted(folder.glob("*.yml")):
        name = f"content/{DOCUMENTS}/{path.name}"
        if path.is_symlink() or not path.is_file():
            problems.append(Problem("FM006", name, args={"detail": "symbolic link / tautan simbolik"}))
            continue
        try:
            items.append(load_document(path.read_text("utf-8"), name, content_root))
        except UnicodeDecodeError:
            problems.append(Problem("FM004", name, args={"byte": "?"}))
        except LamanError as err:
            problems.extend(err.problems)
    return items, problems


def table(items: Iterable[Item]) -> tuple[Group, ...]:
    """Rows grouped by class in the order of the law, oldest first within a group, numbered
    through the whole list so that a number names one row in the page and both downloads."""
    by_class: dict[str, list[Item]] = {c: [] for c in CLASSES}
    for item in items:
        if item.info_class in by_class:  # anything else (exempt above all) is never listed
            by_class[item.info_class].append(item)
    groups = []
    number = 0
    for info_class in CLASSES:
        rows = []
        for item in sorted(by_class[info_class], key=lambda i: (i.made or date.min, i.title, i.source)):
            number += 1
            rows.append(Row(number, item))
        if rows:
            groups.append(Group(info_class, tuple(rows)))
    return tuple(groups)


def ringkasan(item: Item) -> str:
    return f"{item.title} — {item.summary}" if item.summary and item.summary != item.title else item.title


def waktu_tempat(item: Item, lang: str = "id") -> str:
    parts = [tanggal(item.made, lang) if item.made else None, item.place]
    return ", ".join(p for p in parts if p) or "—"


def bentuk(item: Item) -> str:
    # The schema's words (softcopy, hardcopy), which both languages write alike.
    return ", ".join(item.formats) or "—"


def retensi(item: Item, lang: str = "id") -> str:
    value = item.retention
    if isinstance(value, Mapping):
        return say(
            "dip.retention", lang, active=value.get("active", "—"), inactive=value.get("inactive", "—")
        )
    return value or "—"


def cells(row: Row, lang: str = "id") -> tuple[str, ...]:
    """The seven columns of one row, as text."""
    item = row.item
    return (
        str(row.number),
        ringkasan(item),
        item.unit or "—",
        item.responsible or "—",
        waktu_tempat(item, lang),
        bentuk(item),
        retensi(item, lang),
    )


def download_rows(groups: Iterable[Group], site_url: str = "", lang: str = "id") -> list[tuple[str, ...]]:
    """The header and every row of the CSV and XLSX: the seven columns, the class and the link."""
    header = tuple(h.say(lang) for h in (*HEADINGS, *EXTRA_HEADINGS))
    out: list[tuple[str, ...]] = [header]
    for group in groups:
        for row in group.rows:
            link = f"{site_url}/{row.item.url}" if row.item.url else ""
            out.append((*cells(row, lang), group.info_class, link))
    return out


def exempt_rows(items: Iterable[tuple[str, Mapping[str, Any]]]) -> tuple[ExemptRow, ...]:
    """The internal list from (file, front matter) pairs: every exempt item, whatever its stage."""
    rows = []
    for file, meta in sorted(items, key=lambda fm: fm[0]):
        info = meta.get("information") or {}
        if info.get("class") != EXEMPT:
            continue
        test = info.get("exemption") or {}
        rows.append(
            ExemptRow(
                number=len(rows) + 1,
                title=meta.get("title") or "",
                file=file,
                stage=meta.get("stage") or "",
                unit=info.get("unit"),
                legal_basis=test.get("legal_basis"),
                consequence=test.get("consequence"),
                period=test.get("period"),
                decision=test.get("decision"),
            )
        )
    return tuple(rows)


def exempt_cells(row: ExemptRow) -> tuple[str, ...]:
    return (
        str(row.number),
        row.title,
        row.file,
        row.stage,
        row.unit or "—",
        row.legal_basis or "—",
        row.consequence or "—",
        row.period or "—",
        row.decision or "—",
    )


# ---- the shell: files -----------------------------------------------------------------------


def to_csv(rows: Iterable[tuple[str, ...]]) -> str:
    """CSV with a BOM: Excel, which most offices open it with, then reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def write_xlsx(
    rows: list[tuple[str, ...]], path: Path, title: str, widths: Iterable[int], when: datetime | None = None
) -> None:
    """One sheet: bold frozen header, set widths, wrapped text, a filter on the header. With
    `when`, the workbook's dates and its zip entries' times are that instant, so one build of one
    commit gives the same bytes whenever it runs (`laman verify-site` rebuilds and compares)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    for values in rows:
        sheet.append(list(values))
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if when is None:
        book.save(path)
        return
    from openpyxl.writer.excel import ExcelWriter

    # `book.save` would date the workbook by the clock: its writer, given the dates, keeps them.
    book.properties.created = book.properties.modified = when.astimezone(UTC).replace(tzinfo=None)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    path.write_bytes(_zip_at(out.getvalue(), when))


def _zip_at(raw: bytes, when: datetime) -> bytes:
    """The zip `raw` again, every entry dated `when` (zip times have no zone, and count in two
    seconds: UTC here, and no earlier than 1980, where zip time begins)."""
    stamp = when.astimezone(UTC).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            pinned = zipfile.ZipInfo(info.filename, max(stamp, (1980, 1, 1, 0, 0, 0)))
            pinned.compress_type, pinned.external_attr = info.compress_type, info.external_attr
            target.writestr(pinned, source.read(info))
    return out.getvalue()


DIP_WIDTHS = (8, 60, 34, 34, 26, 18, 30, 14, 50)
EXEMPT_WIDTHS = (8, 44, 40, 14, 30, 50, 50, 30, 24)


def write(
    site: Path, groups: tuple[Group, ...], site_url: str = "", when: datetime | None = None
) -> tuple[Path, Path]:
    """`dip.csv` and `dip.xlsx` beside the DIP page in the built site; `when` dates the
    workbook (the build's commit time)."""
    folder = site / PAGE
    folder.mkdir(parents=True, exist_ok=True)
    rows = download_rows(groups, site_url)
    csv_path, xlsx_path = folder / CSV_NAME, folder / XLSX_NAME
    csv_path.write_text(to_csv(rows), "utf-8", newline="")
    write_xlsx(rows, xlsx_path, "Daftar Informasi Publik", DIP_WIDTHS, when)
    return csv_path, xlsx_path


def write_exempt(rows: tuple[ExemptRow, ...], path: Path, lang: str = "id") -> None:
    """The internal list as .csv, .xlsx or .md (by the file's suffix)."""
    header = tuple(h.say(lang) for h in EXEMPT_HEADINGS)
    table_rows = [header, *(exempt_cells(r) for r in rows)]
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        write_xlsx(table_rows, path, "Informasi Dikecualikan", EXEMPT_WIDTHS)
    elif suffix == ".csv":
        path.write_text(to_csv(table_rows), "utf-8", newline="")
    else:
        path.write_text(exempt_markdown(rows, lang), "utf-8")


def exempt_markdown(rows: tuple[ExemptRow, ...], lang: str = "id") -> str:
    header = [h.say(lang) for h in EXEMPT_HEADINGS]
    lines = [f"# {say('dip.exempt.title', lang)}", "", f"*{say('dip.exempt.note', lang)}*", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in exempt_cells(row)) + " |")
    return "\n".join(lines) + "\n"
