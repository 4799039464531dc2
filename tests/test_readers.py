"""Readers from access logs: every rule of what counts as a reading, counted exactly."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import LamanError
from pipeline.recap.readers import (
    Counter,
    DayCount,
    PageCount,
    channel,
    is_bot,
    normalize,
    read_logs,
    read_views_csv,
)

MARCH = (date(2023, 3, 1), date(2023, 3, 31))
PAGES = ["/a1/", "/b2/", "/c3/"]
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:110.0) Gecko/20100101 Firefox/110.0"
INSTAGRAM = (
    "Mozilla/5.0 (Linux; Android 12; SM-A125F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/110.0.5481.153 Mobile Safari/537.36 Instagram 273.0.0.16.70 Android (31/12; 300dpi)"
)
FACEBOOK_APP = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone13,2;FBMD/iPhone;FBSN/iOS;FBSV/16.3;FBSS/3;FBID/phone;FBLC/id_ID;FBOP/5]"
)
LINKEDIN_APP = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]"
TWITTER_APP = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Twitter for iPhone/9.50"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/110.0.5481.100 Safari/537.36"


def ln(
    client: str,
    when: str,
    target: str = "/a1/",
    status: int = 200,
    referer: str = "-",
    agent: str = CHROME,
    method: str = "GET",
) -> bytes:
    """One nginx `combined` line."""
    return f'{client} - - [{when}] "{method} {target} HTTP/1.1" {status} 5120 "{referer}" "{agent}"'.encode()


# ---- the rules one by one -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "page"),
    [
        ("/a1/", "/a1/"),
        ("/a1", "/a1/"),
        ("/a1/index.html", "/a1/"),
        ("/a1/?utm_source=facebook&fbclid=x", "/a1/"),
        ("/a1/index.html?x=1#top", "/a1/"),
        ("/berita%20baru/", "/berita baru/"),
        ("/c%33/", "/c3/"),
        ("//a1//", "/a1/"),
        ("https://kab.example/a1/", "/a1/"),
        ("/", "/"),
        ("/lama.html", "/lama.html"),
        ("/theme/css/style.css", None),
        ("/a1/foto.jpg", None),
        ("/feeds/semua.atom.xml", None),
        ("/theme/js/cari.js", None),
        ("*", None),
    ],
)
def test_normalize(target: str, page: str | None) -> None:
    assert normalize(target) == page


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        (CHROME, False),
        (FIREFOX, False),
        (INSTAGRAM, False),
        (FACEBOOK_APP, False),
        (LINKEDIN_APP, False),
        (TWITTER_APP, False),
        (GOOGLEBOT, True),
        (HEADLESS, True),
        ("curl/7.88.1", True),
        ("Wget/1.21.3", True),
        ("python-requests/2.31.0", True),
        ("Go-http-client/1.1", True),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", True),
        ("Twitterbot/1.0", True),
        ("-", True),
        ("", True),
    ],
)
def test_is_bot(agent: str, bot: bool) -> None:
    assert is_bot(agent) is bot


@pytest.mark.parametrize(
    ("referer", "utm", "found"),
    [
        ("-", None, "direct"),
        ("", None, "direct"),
        ("https://www.google.com/", None, "search"),
        ("https://www.google.co.id/search?q=dpt", None, "search"),
        ("https://www.bing.com/", None, "search"),
        ("https://duckduckgo.com/", None, "search"),
        ("android-app://com.google.android.googlequicksearchbox/", None, "search"),
        ("https://l.facebook.com/l.php?u=x", None, "facebook"),
        ("https://m.facebook.com/", None, "facebook"),
        ("https://l.instagram.com/", None, "instagram"),
        ("android-app://com.whatsapp/", None, "whatsapp"),
        ("https://web.whatsapp.com/", None, "whatsapp"),
        ("https://t.co/abc", None, "x"),
        ("https://x.com/kpu", None, "x"),
        ("https://kab.example/", None, "internal"),
        ("https://example.org/", None, "other"),
        ("https://www.google.com/", "facebook", "facebook"),
        ("-", "WhatsApp", "whatsapp"),
        ("-", "ig", "instagram"),
        ("-", "buletin", "other"),
    ],
)
def test_channel(referer: str, utm: str | None, found: str) -> None:
    assert channel(referer, utm, ["kab.example"]) == found


def test_every_rule_counted_exactly() -> None:
    lines = [
        # Reader 1 (IPv4, Chrome): two views of a1 on 3 March, the first from Google.
        ln("203.0.113.5", "03/Mar/2023:12:00:00 +0700", "/a1/", referer="https://www.google.com/"),
        ln("203.0.113.5", "03/Mar/2023:15:00:00 +0700", "/a1/index.html"),
        # ... and on 4 March from a Facebook campaign: a second reader-day.
        ln("203.0.113.5", "04/Mar/2023:09:00:00 +0700", "/a1/?utm_source=facebook&fbclid=Zx9"),
        # Reader 2 (IPv6, Firefox): 23.30 WIB on 3 March, then 00.10 WIB on 4 March given in UTC.
        ln(
            "2001:db8::7",
            "03/Mar/2023:23:30:00 +0700",
            "/a1/",
            referer="android-app://com.whatsapp/",
            agent=FIREFOX,
        ),
        ln(
            "2001:db8::7",
            "03/Mar/2023:17:10:00 +0000",
            "/a1/",
            referer="https://l.facebook.com/",
            agent=FIREFOX,
        ),
        # Same address as reader 1, another browser (Instagram's): another reader.
        ln(
            "203.0.113.5",
            "08/Mar/2023:12:00:00 +0700",
            "/b2/",
            referer="https://l.instagram.com/",
            agent=INSTAGRAM,
        ),
        ln(
            "198.51.100.9",
            "08/Mar/2023:13:00:00 +0700",
            "/b2/",
            referer="https://m.facebook.com/",
            agent=FACEBOOK_APP,
        ),
        # Percent-escaped address, from X.
        ln("198.51.100.10", "14/Mar/2023:10:00:00 +0700", "/c%33/", referer="https://t.co/q1"),
        # Not readings.
        ln("66.249.66.1", "03/Mar/2023:12:00:00 +0700", "/a1/", agent=GOOGLEBOT),
        ln("192.0.2.1", "03/Mar/2023:12:00:01 +0700", "/a1/", agent="curl/7.88.1"),
        ln("192.0.2.2", "03/Mar/2023:12:00:02 +0700", "/a1/", agent="python-requests/2.31.0"),
        ln("192.0.2.3", "03/Mar/2023:12:00:03 +0700", "/a1/", agent=HEADLESS),
        ln("192.0.2.4", "03/Mar/2023:12:00:04 +0700", "/a1/", agent="-"),
        ln("192.0.2.5", "03/Mar/2023:12:00:05 +0700", "/a1/", agent=""),
        ln("203.0.113.5", "03/Mar/2023:12:00:06 +0700", "/theme/css/style.css"),
        ln("203.0.113.5", "03/Mar/2023:12:00:07 +0700", "/a1/foto.jpg"),
        ln("203.0.113.5", "03/Mar/2023:12:00:08 +0700", "/tidak-ada/", status=404),
        ln("203.0.113.5", "03/Mar/2023:16:00:00 +0700", "/a1/", status=304),
        ln("203.0.113.5", "03/Mar/2023:16:00:01 +0700", "/a1", status=301),
        ln("203.0.113.5", "03/Mar/2023:16:00:02 +0700", "/a1/", method="HEAD"),
        ln("203.0.113.5", "03/Mar/2023:16:00:03 +0700", "/", referer="https://www.google.com/"),
        ln("203.0.113.5", "03/Mar/2023:16:00:04 +0700", "/kategori/berita/"),
        # Outside March in WIB, though inside it by the server's clock, and the other way round.
        ln("203.0.113.5", "28/Feb/2023:23:59:59 +0700", "/a1/"),
        ln("203.0.113.5", "31/Mar/2023:17:30:00 +0000", "/a1/"),
        ln("203.0.113.6", "28/Feb/2023:17:30:00 +0000", "/b2/"),  # 1 March, 00.30 WIB: inside
        # Malformed.
        b"garbage",
        b"203.0.113.5 - - [03/Mar/2023:12:00",
        ln("203.0.113.5", "32/Mar/2023:12:00:00 +0700", "/a1/"),
        ln("203.0.113.5", "03/Mrz/2023:12:00:00 +0700", "/a1/"),
        ln("203.0.113.5", "03/Mar/2023:12:00:00 0700", "/a1/"),
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        # Apache escapes quotes inside a field: the slow path reads it.
        b'192.0.2.50 - - [09/Mar/2023:10:00:00 +0700] "GET /c3/ HTTP/1.1" 200 10 "-" "Mozilla/5.0 \\"Kiosk\\" Safari/537.36"',
        # A line that ends in CR LF.
        ln("192.0.2.51", "10/Mar/2023:10:00:00 +0700", "/c3/", referer="https://example.org/") + b"\r",
        b"",
    ]
    counter = Counter(*MARCH, PAGES, own_hosts=["kab.example"])
    counter.feed(lines)
    counts = counter.result()
    assert counts.pages == {
        "/a1/": PageCount(
            views=5,
            reader_days=4,
            channels={"search": 1, "facebook": 2, "whatsapp": 1},
        ),
        "/b2/": PageCount(views=3, reader_days=3, channels={"instagram": 1, "facebook": 1, "direct": 1}),
        "/c3/": PageCount(views=3, reader_days=3, channels={"x": 1, "direct": 1, "other": 1}),
    }
    assert counts.days == {
        date(2023, 3, 1): DayCount(1, 1),
        date(2023, 3, 3): DayCount(3, 2),
        date(2023, 3, 4): DayCount(2, 2),
        date(2023, 3, 8): DayCount(2, 2),
        date(2023, 3, 9): DayCount(1, 1),
        date(2023, 3, 10): DayCount(1, 1),
        date(2023, 3, 14): DayCount(1, 1),
    }
    assert (counts.lines, counts.malformed, counts.outside) == (33, 6, 2)
    assert (counts.not_get, counts.not_ok, counts.static, counts.other_pages, counts.bots) == (1, 3, 2, 2, 6)
    assert (counts.views, counts.reader_days) == (11, 10)
    assert counts.lines == (
        counts.malformed
        + counts.outside
        + counts.not_get
        + counts.not_ok
        + counts.static
        + counts.other_pages
        + counts.bots
        + counts.views
    )


def test_earliest_view_of_a_reader_day_names_its_channel_whatever_the_order() -> None:
    later = ln("203.0.113.5", "03/Mar/2023:18:00:00 +0700", "/a1/", referer="https://t.co/x")
    earlier = ln("203.0.113.5", "03/Mar/2023:08:00:00 +0700", "/a1/", referer="https://www.google.com/")
    for order in ([later, earlier], [earlier, later]):
        counter = Counter(*MARCH, PAGES)
        counter.feed(order)
        assert counter.result().pages["/a1/"] == PageCount(2, 1, {"search": 1})


def test_every_page_when_no_list_is_given() -> None:
    counter = Counter(*MARCH)
    counter.feed([ln("203.0.113.5", "03/Mar/2023:08:00:00 +0700", p) for p in ("/", "/x/", "/x/index.html")])
    assert {p: c.views for p, c in counter.result().pages.items()} == {"/": 1, "/x/": 2}


# ---- files: rotation, gzip, progress ----------------------------------------------------------------


def _write_rotated(folder: Path) -> list[Path]:
    """nginx's rotation: access.log (newest), access.log.1, access.log.2.gz (oldest), with lines
    out of order across them (a late write landed in an older file)."""
    current = folder / "access.log"
    current.write_bytes(
        b"\n".join(
            [
                ln("203.0.113.5", "20/Mar/2023:18:00:00 +0700", "/a1/", referer="https://t.co/x"),
                ln("203.0.113.8", "21/Mar/2023:09:00:00 +0700", "/b2/"),
            ]
        )
        + b"\n"
    )
    (folder / "access.log.1").write_bytes(
        ln("203.0.113.9", "15/Mar/2023:09:00:00 +0700", "/c3/", agent=FIREFOX) + b"\nnot a log line\n"
    )
    with gzip.open(folder / "access.log.2.gz", "wb") as gz:
        gz.write(
            b"\n".join(
                [
                    ln(
                        "203.0.113.5", "20/Mar/2023:08:00:00 +0700", "/a1/", referer="https://www.google.com/"
                    ),
                    ln("203.0.113.9", "28/Feb/2023:09:00:00 +0700", "/c3/"),
                    ln("203.0.113.10", "02/Mar/2023:09:00:00 +0700", "/c3/", method="HEAD"),
                ]
            )
        )  # no final newline: the last line still counts
    return [current, folder / "access.log.1", folder / "access.log.2.gz"]


def test_rotated_and_gzipped_logs_out_of_order(tmp_path: Path) -> None:
    paths = _write_rotated(tmp_path)
    seen: list[int] = []
    counts = read_logs(paths, *MARCH, PAGES, progress=seen.append)
    assert counts.pages == {
        "/a1/": PageCount(2, 1, {"search": 1}),  # the 08.00 view in the oldest file came first
        "/b2/": PageCount(1, 1, {"direct": 1}),
        "/c3/": PageCount(1, 1, {"direct": 1}),
    }
    assert (counts.lines, counts.malformed, counts.outside, counts.not_get) == (7, 1, 1, 1)
    assert counts.files == ("access.log", "access.log.1", "access.log.2.gz")
    assert sum(seen) == sum(p.stat().st_size for p in paths)
    # The same whatever the order the files are given in.
    assert read_logs(list(reversed(paths)), *MARCH, PAGES).pages == counts.pages


def test_a_truncated_gzip_counts_what_it_holds(tmp_path: Path) -> None:
    whole = gzip.compress(
        b"\n".join(ln("203.0.113.5", f"0{d}/Mar/2023:08:00:00 +0700") for d in range(1, 10)) * 50
    )
    cut = tmp_path / "access.log.3.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    counts = read_logs([cut], *MARCH, PAGES)
    assert counts.damaged == ("access.log.3.gz",)
    assert counts.malformed == 1
    assert counts.views > 0


def test_an_unreadable_log_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(LamanError) as caught:
        read_logs([tmp_path / "missing.log"], *MARCH, PAGES)
    assert caught.value.problems[0].code == "REC003"


# ---- static hosts: a CSV of views ---------------------------------------------------------------------


def test_views_csv(tmp_path: Path) -> None:
    export = tmp_path / "views.csv"
    export.write_text(
        "date,path,views,visitors\n"
        "2023-03-03,/a1/,10,7\n"
        "2023-03-04,/a1/index.html,5,4\n"
        "2023-03-04,/b2/?utm_source=x,3,3\n"
        "2023-03-04,/,100,80\n"
        "2023-03-04,/theme/css/style.css,50,40\n"
        "2023-02-28,/a1/,9,9\n"
        "2023-03-05,/a1/,lima,2\n",
        "utf-8",
    )
    counts = read_views_csv(export, *MARCH, PAGES)
    assert counts.pages == {"/a1/": PageCount(15, 11, {}), "/b2/": PageCount(3, 3, {})}
    assert counts.days == {date(2023, 3, 3): DayCount(10, 7), date(2023, 3, 4): DayCount(8, 7)}
    assert (counts.lines, counts.malformed, counts.outside, counts.other_pages, counts.static) == (
        7,
        1,
        1,
        1,
        1,
    )
    assert counts.source == "csv"


def test_views_csv_names_missing_columns(tmp_path: Path) -> None:
    export = tmp_path / "views.csv"
    export.write_text("tanggal,path,views\n2023-03-03,/a1/,1\n", "utf-8")
    with pytest.raises(LamanError) as caught:
        read_views_csv(export, *MARCH, PAGES)
    problem = caught.value.problems[0]
    assert problem.code == "REC004"
    assert problem.message("en") == "The views CSV lacks the columns: date, visitors."


# ---- privacy ---------------------------------------------------------------------------------------------


def test_results_hold_counts_only_and_the_key_lives_per_run() -> None:
    lines = [ln("203.0.113.77", "03/Mar/2023:12:00:00 +0700", agent=FIREFOX)]
    first, second = Counter(*MARCH, PAGES), Counter(*MARCH, PAGES)
    first.feed(lines)
    second.feed(lines)
    assert "203.0.113.77" not in repr(first.result()) and "Firefox" not in repr(first.result())
    # The same reader hashes differently in two runs: nothing links one month's count to another.
    assert set(first._first_seen) != set(second._first_seen)
    assert first.result().pages == second.result().pages
