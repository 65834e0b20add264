"""Reading articles: every format, folders, stdin, and the bad input that must not crash."""

from __future__ import annotations

import io
import json
import os
import sys
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest

from incidents.errors import ReadError
from incidents.model import Article, ReadProblem, article_id_for
from incidents.readers import DEFAULT_MAX_BYTES, iter_articles, read_paths, read_text
from incidents.readers_meta import ReadWarning, parse_published
from incidents.readers_text import trim_boilerplate

BODY = (
    "Iraqi forces killed 14 ISIS militants in the Anbar desert on Tuesday.\n\n"
    "Share.\n"  # mid-article: kept, the text stays verbatim
    "The operation was launched with the PMU.\n"
)
PLAIN = "Anbar raid kills 14 militants\n\n\n" + BODY + "\nShare.\nExit mobile version\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def only_article(result) -> Article:
    assert len(result.articles) == 1, [str(p) for p in result.problems]
    return result.articles[0]


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


# --- plain text ---------------------------------------------------------------------------


def test_plain_text_title_is_first_line_and_trailing_boilerplate_is_removed(tmp_path):
    path = write(tmp_path / "raid.txt", PLAIN)
    result = read_paths([path])
    article = only_article(result)
    assert result.problems == []
    assert article.title == "Anbar raid kills 14 militants"
    assert article.text == ("Anbar raid kills 14 militants\n\n\n" + BODY).rstrip()
    assert "Exit mobile version" not in article.text
    assert "\n\nShare.\nThe operation" in article.text  # boilerplate inside the article stays
    assert PLAIN.startswith(article.text)  # a slice of the file: offsets point into what was read
    assert article.ref == "raid.txt"
    assert article.path == str(path)
    assert article.article_id == article_id_for(article.text)
    assert article.published is None


def test_leading_boilerplate_is_removed_and_a_long_first_line_is_not_a_title(tmp_path):
    paragraph = "Last month, Iraqi forces " + "and American troops " * 20 + "raided a camp."
    article = only_article(
        read_paths([write(tmp_path / "a.txt", "Skip to content\n\n" + paragraph)])
    )
    assert article.text == paragraph
    assert article.title is None


def test_boilerplate_matching_ignores_case_spacing_and_trailing_punctuation():
    assert trim_boilerplate("Body.\n\n  SHARE  \nexit   mobile version:\n") == "Body."
    assert trim_boilerplate("Body.\nShare this on your blog\n") == "Body.\nShare this on your blog"
    assert trim_boilerplate("\r\nShare\r\nBody.\r\n" + " " * 500 + "\r\nTweet\r\n") == "Body."
    assert trim_boilerplate("Share.\nExit mobile version") == ""


def test_windows_line_endings_are_kept_verbatim(tmp_path):
    article = only_article(
        read_paths([write(tmp_path / "a.txt", b"Title\r\n\r\nLine one.\r\nLine two.\r\n")])
    )
    assert article.text == "Title\r\n\r\nLine one.\r\nLine two."
    assert article.title == "Title"


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_front_matter_gives_metadata_and_the_body_is_the_text(tmp_path):
    md = (
        "---\n"
        "title: Raid in Anbar\n"
        "published: 2019-05-10\n"
        "published_approximate: true\n"
        "url: https://example.org/raid\n"
        "source: Example News\n"
        "---\n"
        "# Raid in Anbar\n\nForces killed 14 militants.\n"
    )
    article = only_article(read_paths([write(tmp_path / "raid.md", md)]))
    assert article.title == "Raid in Anbar"
    assert article.published == date(2019, 5, 10)
    assert article.published_approximate is True
    assert article.url == "https://example.org/raid"
    assert article.ref == "https://example.org/raid"
    assert article.source == "Example News"
    assert article.text == "# Raid in Anbar\n\nForces killed 14 militants."


def test_markdown_without_front_matter_takes_the_heading_as_title(tmp_path):
    article = only_article(read_paths([write(tmp_path / "a.md", "## Raid in Anbar ##\n\nBody.\n")]))
    assert article.title == "Raid in Anbar"
    assert article.text.startswith("## Raid in Anbar")


def test_front_matter_with_an_impossible_date_keeps_the_article_without_a_date(tmp_path):
    path = write(tmp_path / "a.md", "---\ntitle: T\ndate: 2019-02-30\n---\nBody.\n")
    result = read_paths([path])
    article = only_article(result)
    assert article.published is None
    (warning,) = result.problems
    assert isinstance(warning, ReadWarning)
    assert warning.path == str(path)
    assert "'2019-02-30'" in warning.message and "day is out of range" in warning.message
    assert article.warnings == (warning.message,)


def test_invalid_front_matter_yaml_is_reported_and_the_body_kept(tmp_path):
    result = read_paths([write(tmp_path / "a.md", "---\ntitle: [unclosed\n---\nBody text.\n")])
    article = only_article(result)
    assert article.text == "Body text."
    assert "front matter is not valid YAML" in messages(result)[0]


# --- HTML ----------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head>
<title>Raid kills 14 | Example News</title>
<meta property="og:title" content="Raid kills 14">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2019-05-10T08:00:00+03:00">
<link rel="canonical" href="https://example.org/raid-kills-14">
<script>var tracker = "SECRET_SCRIPT_TEXT";</script>
<style>.x { color: red }</style>
</head><body>
<nav><a href="/">Home</a></nav>
<article>
<h1>Raid kills 14</h1>
<p>Iraqi forces killed 14 ISIS militants in the Anbar desert on Tuesday, officials said.</p>
<script>document.write("SECOND_SCRIPT_TEXT")</script>
<p>The operation was carried out with the Popular Mobilisation Units near Rutba.</p>
</article>
</body></html>
"""


def test_html_main_text_without_scripts_and_metadata_extracted(tmp_path):
    article = only_article(read_paths([write(tmp_path / "page.html", HTML)]))
    assert "SCRIPT_TEXT" not in article.text
    assert "color: red" not in article.text
    assert "killed 14 ISIS militants" in article.text
    assert "near Rutba" in article.text
    assert article.title == "Raid kills 14"
    assert article.published == date(2019, 5, 10)
    assert article.url == "https://example.org/raid-kills-14"
    assert article.ref == "https://example.org/raid-kills-14"
    assert article.source == "Example News"


def test_html_with_only_script_is_a_problem_not_a_crash(tmp_path):
    result = read_paths(
        [write(tmp_path / "x.htm", "<html><body><script>alert(1)</script></body></html>")]
    )
    assert result.articles == []
    assert "no article text found" in messages(result)[0]


# --- JSON Lines ----------------------------------------------------------------------------


def test_jsonl_broken_lines_are_reported_by_number_and_the_rest_read(tmp_path):
    lines = [
        json.dumps(
            {"id": "a-1", "date": "2019-04-10", "source": "Guardian", "text": "  First text.  "}
        ),
        '{"id": "a-2", "text": "unterminated',
        "",
        json.dumps({"url": "https://example.org/3", "published": "10 May 2019", "text": "Third."}),
        json.dumps({"title": "no text here"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Seventh.", "title": "Seven"}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    result = read_paths([path])
    assert [a.ref for a in result.articles] == ["a-1", "https://example.org/3", "batch.jsonl:7"]
    first = result.articles[0]
    assert first.text == "  First text.  "  # the text field exactly: offsets index it
    assert first.published == date(2019, 4, 10)
    assert first.source == "Guardian"
    assert result.articles[1].published == date(2019, 5, 10)
    assert result.articles[2].title == "Seven"
    assert [(p.path, p.line) for p in result.problems] == [
        (str(path), 2),
        (str(path), 5),
        (str(path), 6),
    ]
    assert "not valid JSON" in result.problems[0].message
    assert "no non-empty 'text' field" in result.problems[1].message
    assert "got a list" in result.problems[2].message
    assert str(result.problems[0]).startswith(f"{path}:2: ")


def test_jsonl_line_over_the_limit_is_skipped_and_the_next_line_read(tmp_path):
    big = json.dumps({"text": "x" * 5000})
    path = write(tmp_path / "a.ndjson", big + "\n" + json.dumps({"text": "small"}) + "\n")
    result = read_paths([path], max_bytes=1000)
    assert [a.text for a in result.articles] == ["small"]
    assert result.articles[0].ref == "a.ndjson:2"
    (problem,) = result.problems
    assert problem.line == 1 and "1 kB limit" in problem.message


def test_jsonl_invalid_utf8_on_a_line_is_a_warning_with_its_line(tmp_path):
    data = b'{"text": "ok"}\n{"text": "bad \xff byte"}\n'
    result = read_paths([write(tmp_path / "a.jsonl", data)])
    assert [a.text for a in result.articles] == ["ok", "bad \ufffd byte"]
    (warning,) = result.problems
    assert (
        isinstance(warning, ReadWarning)
        and warning.line == 2
        and "invalid UTF-8" in warning.message
    )


# --- RSS and Atom --------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Example Wire</title><link>https://example.org</link><description>d</description>
<item>
  <title>Raid in Anbar</title>
  <link>https://example.org/1</link>
  <guid isPermaLink="false">wire-1</guid>
  <pubDate>Fri, 10 May 2019 10:00:00 +0000</pubDate>
  <description>&lt;p&gt;Forces killed &lt;b&gt;14&lt;/b&gt; militants.&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;</description>
</item>
<item>
  <title>Arrests in Ramadi</title>
  <link>https://example.org/2</link>
  <pubDate>Sat, 11 May 2019 09:00:00 +0000</pubDate>
  <description>Police arrested three suspects.</description>
</item>
<item><title>Empty</title><link>https://example.org/3</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Wire</title><id>urn:feed</id><updated>2019-05-12T00:00:00Z</updated>
  <entry>
    <title>Strike near Hajin</title>
    <id>urn:entry:1</id>
    <link href="https://example.org/atom/1"/>
    <published>2019-05-12T06:30:00Z</published>
    <updated>2019-05-13T06:30:00Z</updated>
    <content type="html">&lt;p&gt;A drone strike hit a car.&lt;/p&gt;&lt;p&gt;Two were killed.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_rss_entries_are_articles_with_html_stripped(tmp_path):
    path = write(tmp_path / "wire.rss", RSS)
    result = read_paths([path])
    first, second = result.articles
    assert first.text == "Forces killed 14 militants."
    assert first.ref == "wire-1" and first.url == "https://example.org/1"
    assert first.title == "Raid in Anbar" and first.source == "Example Wire"
    assert first.published == date(2019, 5, 10)
    assert second.ref == "https://example.org/2"  # no guid: the link
    assert second.published == date(2019, 5, 11)
    (problem,) = result.problems
    assert problem.path == str(path) and "entry 3 ('Empty') has no text" in problem.message


def test_atom_entries_use_content_and_published(tmp_path):
    article = only_article(read_paths([write(tmp_path / "wire.atom", ATOM)]))
    assert article.text == "A drone strike hit a car.\n\nTwo were killed."
    assert article.ref == "urn:entry:1"
    assert article.url == "https://example.org/atom/1"
    assert article.published == date(2019, 5, 12)
    assert article.source == "Atom Wire"


def test_xml_file_that_is_not_a_feed(tmp_path):
    path = write(tmp_path / "data" / "sitemap.xml", "<?xml version='1.0'?><urlset><url/></urlset>")
    write(tmp_path / "data" / "feed.xml", ATOM)
    explicit = read_paths([path])
    assert explicit.articles == [] and "not an RSS or Atom feed" in messages(explicit)[0]
    folder = read_paths([tmp_path / "data"])
    assert [a.ref for a in folder.articles] == ["urn:entry:1"]
    assert folder.problems == []  # the non-feed XML in a folder is skipped silently


def test_broken_feed_is_a_problem(tmp_path):
    result = read_paths([write(tmp_path / "bad.rss", "<rss><channel><item><title>x</ti")])
    assert result.articles == []
    assert result.problems and result.problems[0].path.endswith("bad.rss")


# --- folders, stdin, identity ----------------------------------------------------------------


def test_folders_are_read_recursively_sorted_skipping_hidden_and_unknown_files(tmp_path):
    root = tmp_path / "in"
    write(root / "b.txt", "B title\n\nBody b.")
    write(root / "a.txt", "A title\n\nBody a.")
    write(root / "sub" / "c.md", "C title\n\nBody c.")
    write(root / ".hidden.txt", "hidden")
    write(root / ".git" / "d.txt", "hidden folder")
    write(root / "notes.docx", b"PK\x03\x04junk")
    write(root / "README", "no extension")
    os.mkfifo(root / "pipe.txt")  # would block forever if opened
    result = read_paths([root])
    assert [a.ref for a in result.articles] == ["a.txt", "b.txt", "sub/c.md"]
    assert result.problems == []


def test_broken_link_in_a_folder_is_reported(tmp_path):
    write(tmp_path / "a.txt", "T\n\nBody.")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = read_paths([tmp_path])
    assert [a.ref for a in result.articles] == ["a.txt"]
    assert messages(result) == [f"{tmp_path / 'gone.txt'}: broken symbolic link; skipped"]


def test_empty_folder_and_missing_path_are_problems(tmp_path):
    (tmp_path / "empty").mkdir()
    result = read_paths([tmp_path / "empty", tmp_path / "missing.txt"])
    assert result.articles == []
    assert "no article files in this folder" in result.problems[0].message
    assert result.problems[1].path == str(tmp_path / "missing.txt")
    assert "no such file" in result.problems[1].message


def test_same_content_twice_is_the_same_article(tmp_path):
    write(tmp_path / "one.txt", "Title\n\nSame body.\n")
    write(tmp_path / "two.txt", "Title\n\nSame body.\n\nShare.\n")
    write(tmp_path / "three.jsonl", json.dumps({"text": "Title\n\nSame body."}) + "\n")
    result = read_paths([tmp_path])
    assert len(result.articles) == 3
    assert len({a.article_id for a in result.articles}) == 1
    assert read_text("Title\n\nSame body.").article_id == result.articles[0].article_id


def test_stdin_plain_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PLAIN.encode())))
    article = only_article(read_paths(["-"], published=date(2019, 5, 10)))
    assert article.ref == "-"
    assert article.title == "Anbar raid kills 14 militants"
    assert article.published == date(2019, 5, 10)


def test_stdin_json_lines_are_streamed_with_line_refs(monkeypatch):
    # The first line is longer than the sniffed head, so it straddles the head and the rest.
    long_text = "word " * 3000
    data = "\n".join(json.dumps({"text": t}) for t in (long_text, "second", "third")) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    result = read_paths(["-"])
    assert [a.ref for a in result.articles] == ["-:1", "-:2", "-:3"]
    assert result.articles[0].text == long_text


def test_empty_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    result = read_paths(["-"])
    assert messages(result) == ["-: empty input, nothing to read"]


# --- bad input -----------------------------------------------------------------------------


def test_empty_and_blank_files(tmp_path):
    empty = write(tmp_path / "empty.txt", "")
    blank = write(tmp_path / "blank.jsonl", "\n  \n\t\n")
    result = read_paths([empty, blank])
    assert result.articles == []
    assert messages(result) == [
        f"{empty}: empty file, nothing to read",
        f"{blank}: empty file, nothing to read",
    ]


def test_only_boilerplate_is_a_problem(tmp_path):
    result = read_paths([write(tmp_path / "a.txt", "Share.\nExit mobile version\n")])
    assert result.articles == [] and "no article text" in messages(result)[0]


def test_binary_files_are_skipped(tmp_path):
    nul = write(tmp_path / "a.txt", b"abc\x00\x01\x02def" * 10)
    pdf = write(tmp_path / "b.txt", b"%PDF-1.7\n...")
    noise = write(tmp_path / "c.txt", bytes(range(1, 9)) * 50)
    result = read_paths([nul, pdf, noise])
    assert result.articles == []
    assert [p.path for p in result.problems] == [str(nul), str(pdf), str(noise)]
    assert "NUL bytes" in result.problems[0].message
    assert "PDF" in result.problems[1].message
    assert "control characters" in result.problems[2].message


def test_invalid_utf8_is_replaced_with_a_warning_naming_the_file(tmp_path):
    path = write(tmp_path / "latin1.txt", "Title\n\nCaf\xe9 in Ramadi.\n".encode("latin-1"))
    result = read_paths([path])
    article = only_article(result)
    assert article.text == "Title\n\nCaf\ufffd in Ramadi."
    (warning,) = result.problems
    assert isinstance(warning, ReadWarning)
    assert warning.path == str(path) and "invalid UTF-8" in warning.message
    assert article.warnings == (warning.message,)


def test_utf16_with_bom_and_utf8_bom_are_decoded(tmp_path):
    u16 = write(tmp_path / "a.txt", "Title\n\nBody.".encode("utf-16"))
    u8 = write(tmp_path / "b.txt", "\ufeffTitle\n\nBody.".encode())
    result = read_paths([u16, u8])
    assert [a.text for a in result.articles] == ["Title\n\nBody.", "Title\n\nBody."]
    assert result.problems == []


def test_oversize_file_is_refused_with_size_and_limit(tmp_path):
    path = write(tmp_path / "big.txt", "word " * 1000)
    result = read_paths([path], max_bytes=2000)
    assert result.articles == []
    assert messages(result) == [
        f"{path}: file is 5 kB, over the 2 kB limit for one article; skipped "
        "(split it into articles, or raise max_bytes if it really is one)"
    ]


def test_a_50_megabyte_text_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        line = b"Iraqi forces reported another operation in the desert today.\n"
        for _ in range(50_000_000 // len(line) + 1):
            out.write(line)
    assert path.stat().st_size > DEFAULT_MAX_BYTES
    tracemalloc.start()
    try:
        result = read_paths([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.articles == []
    assert "file is 50.0 MB, over the 20.0 MB limit" in messages(result)[0]
    assert peak < 2_000_000  # bytes: the file was never read into memory


def test_unsupported_type_given_explicitly(tmp_path):
    result = read_paths([write(tmp_path / "a.xyz", "text")])
    assert messages(result)[0].startswith(
        f"{tmp_path / 'a.xyz'}: unsupported file type .xyz; supported: .atom"
    )


def test_file_without_extension_given_explicitly_is_sniffed(tmp_path):
    result = read_paths(
        [write(tmp_path / "article", json.dumps({"id": "x", "text": "Body."}) + "\n")]
    )
    assert only_article(result).ref == "x"


# --- dates ---------------------------------------------------------------------------------


def test_future_dates_are_kept_and_flagged(tmp_path):
    future = date.today() + timedelta(days=400)
    result = read_paths(
        [write(tmp_path / "a.jsonl", json.dumps({"text": "t", "date": future.isoformat()}))]
    )
    article = only_article(result)
    assert article.published == future
    (warning,) = result.problems
    assert warning.line == 1 and "in the future" in warning.message
    assert article.warnings == (warning.message,)


def test_published_argument_is_a_fallback_and_metadata_wins(tmp_path):
    lines = [
        json.dumps({"text": "dated", "date": "2018-01-02"}),
        json.dumps({"text": "undated"}),
        json.dumps({"text": "bad date", "date": "2019-13-01"}),
    ]
    result = read_paths([write(tmp_path / "a.jsonl", "\n".join(lines))], published="2019-05-10")
    assert [a.published for a in result.articles] == [
        date(2018, 1, 2),
        date(2019, 5, 10),
        date(2019, 5, 10),
    ]
    assert "using the fallback date 2019-05-10" in result.problems[0].message
    assert result.problems[0].line == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-05-10", date(2019, 5, 10)),
        ("2019-05-10T23:30:00-05:00", date(2019, 5, 10)),
        ("Fri, 10 May 2019 10:00:00 +0000", date(2019, 5, 10)),
        ("10 May 2019", date(2019, 5, 10)),
        ("May 10, 2019", date(2019, 5, 10)),
        ("10.05.2019", date(2019, 5, 10)),
        (date(2019, 5, 10), date(2019, 5, 10)),
    ],
)
def test_parse_published_formats(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    "value", ["2019-02-30", "30/02/2019", "May 2019", "yesterday", "soon", "", "10.05.19"]
)
def test_parse_published_rejects_partial_relative_and_impossible_dates(value):
    with pytest.raises(ValueError):
        parse_published(value)


# --- API -----------------------------------------------------------------------------------


def test_read_text_applies_the_plain_text_rules():
    article = read_text(
        "Headline\n\nBody of the article.\n\nShare.\n", ref="pasted", published=date(2019, 5, 10)
    )
    assert article.text == "Headline\n\nBody of the article."
    assert article.title == "Headline" and article.ref == "pasted"
    assert article.published == date(2019, 5, 10)
    assert read_text("Body only.", title="Given").title == "Given"
    with pytest.raises(ReadError, match="empty text"):
        read_text(" \nShare.\n")


def test_iter_articles_streams_and_reports_problems_through_the_callback(tmp_path):
    write(
        tmp_path / "a.jsonl",
        "\n".join(json.dumps({"text": f"article {i}"}) for i in range(5)) + "\n{bad\n",
    )
    problems: list[ReadProblem] = []
    stream = iter_articles([tmp_path], on_problem=problems.append)
    assert next(stream).text == "article 0"
    assert problems == []
    assert [a.text for a in stream] == [f"article {i}" for i in range(1, 5)]
    assert [p.line for p in problems] == [6]


def test_bad_options_raise_at_once():
    with pytest.raises(ReadError, match="'10/05/2019'"):
        iter_articles(["-"], published="10/05/2019")
    with pytest.raises(ReadError, match="max_bytes"):
        read_paths(["-"], max_bytes=0)


def test_a_single_path_is_not_read_as_characters(tmp_path):
    assert only_article(read_paths(write(tmp_path / "a.txt", "T\n\nBody."))).title == "T"


def test_progress_bar_goes_to_stderr(tmp_path, capsys):
    write(tmp_path / "a.txt", "T\n\nBody.")
    assert len(read_paths([tmp_path], progress=True).articles) == 1
    assert "reading" in capsys.readouterr().err


# --- real data -----------------------------------------------------------------------------


@pytest.mark.shared
def test_guardian_jsonl_is_read_completely(shared_path):
    path = shared_path("datasets/guardian_syria_iraq_2017_2019.jsonl")
    result = read_paths([path])
    assert result.problems == []
    assert len(result.articles) == 249
    records = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert [a.text for a in result.articles] == [r["text"] for r in records]
    assert [a.ref for a in result.articles] == [r["id"] for r in records]
    assert all(a.published is not None for a in result.articles)
    assert {a.published.year for a in result.articles} <= {2017, 2018, 2019}


@pytest.mark.shared
def test_seed_articles_are_titled_and_cleaned(shared_path):
    result = read_paths([shared_path("seeds")])
    assert result.problems == []
    assert [a.ref for a in result.articles] == sorted(
        p.name for p in shared_path("seeds").glob("*.txt")
    )
    assert (
        result.articles[0].title
        == "Anbar Operations Forces kill 13 ISIS militants, including leaders"
    )
    assert not result.articles[4].text.endswith("Exit mobile version")
