"""A fragment repeated per object is rendered once a page and filled in for each."""

from django.template import Context, Template

from organisations.fragments import STAND_IN_ID, render_once


def _page(template_code: str, objects: list[dict]) -> tuple[str, list[int]]:
    renders = []

    class Counting(Template):
        def render(self, context):
            renders.append(1)
            return super().render(context)

    fragment = Counting('<a href="/x/{{ id }}/">{{ title }}</a>')
    page = Template(template_code)
    context = Context({"objects": objects})
    # The engine hands out the counting template for the fragment's name.
    engine = page.engine
    original = engine.get_template
    engine.get_template = lambda name: fragment if name == "fragment.html" else original(name)
    try:
        with context.bind_template(page):
            html = "".join(
                render_once(
                    context,
                    "fragment.html",
                    values={"id": STAND_IN_ID, "title": "title-stand-in"},
                    fill={str(STAND_IN_ID): str(o["id"]), "title-stand-in": o["title"]},
                )
                for o in objects
            )
    finally:
        engine.get_template = original
    return html, renders


def test_a_fragment_is_rendered_once_and_each_object_fills_it_in():
    html, renders = _page("", [{"id": 7, "title": "Seven"}, {"id": 8, "title": "Eight"}])
    assert html == '<a href="/x/7/">Seven</a><a href="/x/8/">Eight</a>'
    assert len(renders) == 1
