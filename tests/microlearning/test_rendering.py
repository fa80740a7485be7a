"""Authored content renders inert: a corpus of XSS payloads in every place an author types.

Each payload goes into Markdown text, the unit title and summary, an image's
description, checklist steps and a quiz question; the learner's page and the
author's preview are then checked on their HTML: no script, no event handler,
no ``javascript:``/``data:``/``vbscript:`` link, no tag outside the allowed set.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django_scopes import scopes_disabled

from microlearning.models import Unit
from microlearning.rendering import ALLOWED_TAGS, render_markdown
from microlearning.services import blocks as block_services
from microlearning.services import units as unit_services
from tests.factories import UnitFactory
from tests.microlearning.uploads import png_upload

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>hover</div>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.test/a.png)',
    '[x](https://example.test/" onmouseover="alert(1))',
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    "<svg onload=alert(1)><circle r=10 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<img src=x onerror=alert(1)//",
    "<<script>alert(1)//<</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "`<script>alert(1)</script>`",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<video><source onerror=alert(1)></video>",
]

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "base", "frame", "frameset",
    "applet", "template", "details", "source", "body", "mglyph", "mtext",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster"}
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def parsed(html: str) -> list[tuple[str, list]]:
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


LAYOUT_SCRIPT = re.compile(r'<script src="/static/js/werkwijs\.js" defer></script>')


def assert_inert(html: str) -> None:
    """No script anywhere; in <main> (where content goes) no dangerous tag or attribute.

    The head is the layout's own (its icon is a ``data:`` URL, its one script a static
    file); the title there is covered by the first check.
    """
    assert "<script" not in LAYOUT_SCRIPT.sub("", html, count=1).lower()
    # Content goes into <main>; the header before it is the layout's (its account menu
    # is a <details>, a tag content may not use).
    body = html.split("<main", 1)[-1]
    for tag, attrs in parsed(body):
        assert tag not in FORBIDDEN_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert name != "style", (tag, value)
            if name in URL_ATTRIBUTES and value:
                assert not BAD_SCHEME.match(value), (tag, name, value)


def test_the_corpus_is_big_enough():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_renders_only_allowed_tags_and_safe_links(payload):
    html = str(render_markdown(payload + "\n\n" + f"[ok](https://example.test/?q={len(payload)})"))

    assert_inert(html)
    for tag, attrs in parsed(html):
        assert tag in ALLOWED_TAGS, tag
        if tag == "a":
            values = dict(attrs)
            assert values.get("target") == "_blank"
            assert "noopener" in values.get("rel", "") and "noreferrer" in values.get("rel", "")


def test_a_safe_link_keeps_its_address_and_gets_target_and_rel():
    html = str(render_markdown("[Werkwijs](https://example.test/help)"))

    assert 'href="https://example.test/help"' in html
    assert 'target="_blank"' in html and 'rel="noopener noreferrer nofollow"' in html


@pytest.fixture
def hostile_unit(organisation, author):
    """A published unit with every payload in every field an author writes."""
    corpus = "\n\n".join(PAYLOADS)
    unit = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT, body=corpus)
    with scopes_disabled():
        unit_services.version_details_update(
            unit=unit,
            by=author,
            title=" ".join(PAYLOADS)[:200],
            summary=" ".join(PAYLOADS)[:1000],
            language="en",
            estimated_minutes=5,
            category="formal",
            cover_image=png_upload(),
            cover_alt=PAYLOADS[4][:300],
        )
        for payload in PAYLOADS:
            block_services.block_add(
                unit=unit, kind="image", data={"alt": payload}, file=png_upload(), by=author
            )
        block_services.block_add(
            unit=unit, kind="checklist", data={"items": PAYLOADS[:30]}, by=author
        )
        block_services.block_add(
            unit=unit,
            kind="question",
            data={
                "prompt": PAYLOADS[0],
                "options": [
                    {"text": PAYLOADS[4], "correct": True, "feedback": PAYLOADS[8]},
                    {"text": PAYLOADS[21], "correct": False, "feedback": PAYLOADS[24]},
                ],
                "explanation": PAYLOADS[9],
            },
            by=author,
        )
        for kind in ("reflection", "apply"):
            block_services.block_add(unit=unit, kind=kind, data={"prompt": PAYLOADS[5]}, by=author)
        unit.refresh_from_db()
    return unit


def test_the_authors_preview_and_editor_render_every_payload_inert(
    client, author, hostile_unit, url
):
    client.force_login(author.user)

    for name in ("unit_preview", "unit_edit"):
        response = client.get(url(name, hostile_unit.pk))
        assert response.status_code == 200
        assert_inert(response.content.decode())
    assert_inert(client.get(url("unit_list")).content.decode())


def test_the_learners_page_renders_every_payload_inert(client, author, learner, hostile_unit, url):
    with scopes_disabled():
        unit_services.unit_publish(unit=hostile_unit, by=author)
    client.force_login(learner.user)

    response = client.get(url("unit_detail", hostile_unit.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html)
    # The payloads are there, as text: escaped, not dropped on the floor.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
