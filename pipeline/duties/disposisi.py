"""Lembar disposisi: the disposition sheet of SOP steps 1–3, printed from an article's front matter.

One self-contained HTML page (no outside file, font or script) laid out for one A4 sheet, so it
prints the same from any browser; a PDF too when WeasyPrint is installed (`laman[pdf]`).
`sheet` is pure; `write` writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, select_autoescape

from pipeline.errors import LamanError, Problem
from pipeline.messages import say
from pipeline.model.article import Article
from pipeline.model.dates import parse_datetime, tanggal

NATURES = ("sangat segera", "segera", "rahasia", "biasa")
ACTIONS = ("tanggapan dan saran", "proses lebih lanjut", "koordinasikan")


@dataclass(frozen=True)
class Sheet:
    """The fields of the form, as they will be printed (dates already written out)."""

    office: str
    address: str | None
    article_id: str
    article_title: str
    source: str | None
    number: str
    letter_date: str
    received: str | None
    agenda: str | None
    nature: str | None
    subject: str
    forwarded_to: str | None
    actions: tuple[str, ...]
    instruction: str
    given_by: str | None


def fields(item: Article, office: str, address: str | None = None, lang: str = "id") -> Sheet:
    """The sheet of `item`; an article without a disposition has none (DSP001)."""
    block = item.meta.get("disposition")
    if not block:
        line, col = item.position("stage")
        raise LamanError([Problem("DSP001", item.file, line, col)])

    def day(key: str) -> str | None:
        value = block.get(key)
        return tanggal(parse_datetime(value), lang) if value else None

    return Sheet(
        office=office,
        address=address,
        article_id=item.id,
        article_title=item.title,
        source=block.get("from"),
        number=block["number"],
        letter_date=day("date") or "",
        received=day("received"),
        agenda=block.get("agenda"),
        nature=block.get("nature"),
        subject=block["subject"],
        forwarded_to=block.get("forwarded_to"),
        actions=tuple(block.get("actions") or ()),
        instruction=block["instruction"],
        given_by=block.get("given_by"),
    )


_TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t("title") }} — {{ s.number }}</title>
<style>
@page { size: A4; margin: 15mm 15mm 15mm 20mm; }
* { box-sizing: border-box; }
html { background: #fff; color: #000; }
body { margin: 0 auto; max-width: 175mm; font: 11pt/1.35 "Liberation Serif", "Times New Roman", Times, serif; }
header { text-align: center; border-bottom: 3px double #000; padding-bottom: 3mm; margin-bottom: 4mm; }
header .office { font-size: 14pt; font-weight: bold; text-transform: uppercase; margin: 0; }
header .address { font-size: 9.5pt; margin: 1mm 0 0; }
h1 { text-align: center; font-size: 14pt; letter-spacing: .12em; text-transform: uppercase; margin: 0 0 4mm; text-decoration: underline; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 2mm 2.5mm; vertical-align: top; text-align: left; }
th { font-weight: normal; width: 32mm; }
.value { font-weight: bold; }
.choices { list-style: none; margin: 0; padding: 0; }
.choices li { margin: .6mm 0; }
.box { display: inline-block; width: 3.6mm; height: 3.6mm; border: 1px solid #000; margin-right: 2mm;
  vertical-align: -0.5mm; text-align: center; font: bold 9pt/3.4mm Arial, sans-serif; }
.instruction { height: 62mm; white-space: pre-wrap; overflow-wrap: anywhere; }
.sign { margin: 6mm 0 0 auto; width: 78mm; }
.sign td, .sign th { border: 0; padding: 1mm 0; }
.sign th { width: 32mm; }
.initials { display: inline-block; width: 30mm; height: 16mm; border: 1px solid #000; }
.line { display: inline-block; width: 42mm; border-bottom: 1px dotted #000; height: 5mm; }
footer { margin-top: 6mm; font-size: 8.5pt; color: #333; border-top: 1px solid #999; padding-top: 2mm; }
@media screen { body { padding: 10mm; } }
</style>
</head>
<body>
<header>
  <p class="office">{{ s.office }}</p>
  {% if s.address %}<p class="address">{{ s.address }}</p>{% endif %}
</header>
<h1>{{ t("title") }}</h1>
{%- macro box(on) -%}
<span class="box" role="img" aria-label="{{ t('checked') if on else t('unchecked') }}">{{ "X" if on else "" }}</span>
{%- endmacro %}
<table>
  <tr>
    <th scope="row">{{ t("from") }}</th><td class="value">{{ s.source or "" }}</td>
    <th scope="row">{{ t("received") }}</th><td class="value">{{ s.received or "" }}</td>
  </tr>
  <tr>
    <th scope="row">{{ t("number") }}</th><td class="value">{{ s.number }}</td>
    <th scope="row">{{ t("agenda") }}</th><td class="value">{{ s.agenda or "" }}</td>
  </tr>
  <tr>
    <th scope="row">{{ t("date") }}</th><td class="value">{{ s.letter_date }}</td>
    <th scope="row">{{ t("nature") }}</th>
    <td><ul class="choices">{% for n in natures %}<li>{{ box(s.nature == n) }}{{ t("choice." ~ n) }}</li>{% endfor %}</ul></td>
  </tr>
  <tr>
    <th scope="row">{{ t("subject") }}</th><td class="value" colspan="3">{{ s.subject }}</td>
  </tr>
  <tr>
    <th scope="row">{{ t("forwarded_to") }}</th><td class="value">{{ s.forwarded_to or "" }}</td>
    <th scope="row">{{ t("actions") }}</th>
    <td><ul class="choices">{% for a in actions %}<li>{{ box(a in s.actions) }}{{ t("choice." ~ a) }}</li>{% endfor %}</ul></td>
  </tr>
  <tr>
    <th scope="row">{{ t("instruction") }}</th><td class="instruction" colspan="3">{{ s.instruction }}</td>
  </tr>
</table>
<table class="sign">
  <tr><th scope="row">{{ t("given_by") }}</th><td class="value">{{ s.given_by or "" }}</td></tr>
  <tr><th scope="row">{{ t("signature") }}</th><td><span class="initials"></span></td></tr>
  <tr><th scope="row">{{ t("signed_on") }}</th><td><span class="line"></span></td></tr>
</table>
<footer>{{ t("article") }}: {{ s.article_title }} ({{ s.article_id }}). {{ t("footer") }}</footer>
</body>
</html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def html(sheet: Sheet, lang: str = "id") -> str:
    """The sheet as one HTML page: everything inline, A4, black on white."""
    template = _ENV.from_string(_TEMPLATE)

    def t(key: str) -> str:
        return say(f"disposisi.{key}", lang)

    return template.render(s=sheet, t=t, lang=lang, natures=NATURES, actions=ACTIONS)


def sheet(item: Article, office: str, address: str | None = None, lang: str = "id") -> str:
    return html(fields(item, office, address, lang), lang)


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: installed, but its system libraries (Pango) are not
        return False
    return True


def write(page: str, target: Path, *, pdf: bool | None = None) -> list[Path]:
    """Write `target` (.html) and, with WeasyPrint, the PDF beside it.

    `pdf`: None makes the PDF when it can; True insists (DSP002 without WeasyPrint).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, "utf-8")
    written = [target]
    if pdf is False:
        return written
    if not pdf_available():
        if pdf:
            raise LamanError([Problem("DSP002", str(target))])
        return written
    import weasyprint

    pdf_path = target.with_suffix(".pdf")
    weasyprint.HTML(string=page, base_url=str(target.parent)).write_pdf(str(pdf_path))
    written.append(pdf_path)
    return written


def default_name(item: Article) -> str:
    return f"lembar-disposisi-{item.slug}.html"
