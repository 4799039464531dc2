"""Pelican settings for local builds (`laman build --local`, `make serve`)."""

from copy import deepcopy

from pipeline.model import body
from pipeline.model.dates import jam, tanggal, tanggal_jam

# ---- The office: its name, mark and contact, shown on every page. Edit these. -----------------
AUTHOR = "KPU Kabupaten Kepulauan Mentawai"
SITENAME = "KPU Kabupaten Kepulauan Mentawai"
SITESUBTITLE = "Komisi Pemilihan Umum Kabupaten Kepulauan Mentawai"
LAMAN_ADDRESS = "Jalan Raya Tuapejat Km 4, Sipora Utara, Kabupaten Kepulauan Mentawai, Sumatera Barat"
# (label, text, link or None), in the footer of every page.
LAMAN_CONTACT = [
    ("Telepon", "(0759) 000-000", "tel:+62759000000"),
    ("Surel", "info@kpu-mentawai.example", "mailto:info@kpu-mentawai.example"),
    ("Surel PPID", "ppid@kpu-mentawai.example", "mailto:ppid@kpu-mentawai.example"),
]
# The office's mark: a square SVG in theme/static/ (the header and the browser's tab show it).
LAMAN_LOGO = "logo.svg"
# The menu, in this order; an entry whose section has nothing published yet is left out.
LAMAN_MENU = [
    ("Beranda", ""),
    ("Berita", "kategori/berita/"),
    ("Pengumuman", "kategori/pengumuman/"),
    ("Profil", "profil/"),
    ("PPID", "ppid/"),
    ("Regulasi", "regulasi/"),
    ("Kontak", "kontak/"),
]
# ------------------------------------------------------------------------------------------------

SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
DEFAULT_DATE_FORMAT = "%d %B %Y"

THEME = "theme"
THEME_STATIC_DIR = "tema"
PLUGINS = ["pipeline.site.pelican_plugin", "pelican.plugins.sitemap"]
JINJA_FILTERS = {"tanggal": tanggal, "jam": jam, "tanggal_jam": tanggal_jam}

ARTICLE_PATHS = ["berita", "pengumuman"]
PAGE_PATHS = ["halaman"]
# Images are published by the reader, in a few widths beside the page that shows them and
# without their EXIF (pipeline.site.images); the originals stay in the repository.
STATIC_PATHS = ["dokumen"]
# Stable addresses: an article's URL is its slug, fixed in its front matter once published.
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "kategori/{slug}/"
CATEGORY_SAVE_AS = "kategori/{slug}/index.html"
TAG_URL = "topik/{slug}/"
TAG_SAVE_AS = "topik/{slug}/index.html"
TAGS_SAVE_AS = "topik/index.html"
ARCHIVES_SAVE_AS = "arsip/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "archives", "notfound", "search", "robots"]
INDEX_SAVE_AS = "index.html"
CATEGORIES_SAVE_AS = ""
SEARCH_SAVE_AS = "cari/index.html"
ROBOTS_SAVE_AS = "robots.txt"
NOTFOUND_SAVE_AS = "404.html"
SITEMAP = {"format": "xml", "exclude": ["404.html", "cari/", "tema/"]}

LAMAN_PREVIEW = False
LAMAN_URGENT_DAYS = 7

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/halaman/{number}/", "{base_name}/halaman/{number}/index.html"),
)

FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# The site's Markdown is `pipeline.model.body.MARKDOWN`: the reader and `laman validate` render
# with it, so what validate judges is what the site shows. A copy: Pelican's own reader edits it.
MARKDOWN = deepcopy(body.MARKDOWN)

CACHE_CONTENT = False
DELETE_OUTPUT_DIRECTORY = False

# Filled in by `laman build`: the public record of each verified article, withdrawal notices,
# and the moment the build stands for (embargoes, the urgent band).
LAMAN_VERIFIED = {}
LAMAN_NOTICES = ()
