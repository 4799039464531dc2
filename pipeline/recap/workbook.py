"""The recap as an Excel workbook, one sheet per table."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

from pipeline.model.dates import WIB
from pipeline.model.sop import Sop
from pipeline.recap.compute import Recap
from pipeline.recap.tables import cell_text, heading, tables

# Excel and LibreOffice read `#,##0` with the reader's locale (1,234 in an English Excel). The
# office writes 55.155 whatever the machine: literal dots between conditional digit groups
# show every count the Indonesian way, and the cells stay numbers that sum.
ID_NUMBER_FORMAT = '[>=1000000]#"."###"."###;[>=1000]#"."###;0'
DURATION_FORMAT = "[h]:mm"
# LCID 0x421 (Indonesian): month names in Indonesian.
DATETIME_FORMAT = "[$-421]d mmmm yyyy hh.mm"
DATE_FORMAT = "[$-421]d mmmm yyyy"


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def xlsx(recap: Recap, sop: Sop, lang: str = "id") -> bytes:
    """The workbook: one sheet per table, a bold frozen header row, numbers as numbers in the
    Indonesian format, durations as [h]:mm, column widths set to the content."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in tables(recap, sop, lang):
        sheet = book.create_sheet(_SHEET_BAD.sub("-", table.sheet(lang))[:31])
        sheet.append([c.label(lang) for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(vertical="top", wrap_text=False)
        widths = [len(c.label(lang)) for c in table.columns]
        for row in table.rows:
            values = []
            for i, (column, value) in enumerate(zip(table.columns, row, strict=True)):
                if isinstance(value, datetime):
                    value = value.astimezone(WIB).replace(tzinfo=None)
                values.append(value)
                widths[i] = max(widths[i], len(cell_text(row[i], column.kind, lang)))
            sheet.append(values)
            for cell, value in zip(sheet[sheet.max_row], values, strict=True):
                if isinstance(value, bool):
                    continue
                if isinstance(value, int):
                    cell.number_format = ID_NUMBER_FORMAT
                elif isinstance(value, timedelta):
                    cell.number_format = DURATION_FORMAT
                elif isinstance(value, datetime):
                    cell.number_format = DATETIME_FORMAT
                elif isinstance(value, date):
                    cell.number_format = DATE_FORMAT
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(max(width + 2, 8), 80)
        sheet.freeze_panes = "A2"
    book.properties.title = heading(recap, sop, lang)[0]
    book.properties.creator = "laman recap"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
