"""A fragment a page repeats for many objects, rendered once and then filled in.

The sign-off queue shows a decision form per round and the team goals two agree
forms per goal: the same markup each time but for an id (and a title or a number).
Rendering the include once per object was a large share of those pages' time, so
``render_once`` renders the template once per page with stand-ins for what differs,
and every later call only puts each object's own (escaped) text in their place.
The stand-ins are numbers and strings no page holds otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.template import Context
from django.utils.safestring import SafeString

# A number no id of a real row reaches: rendered in the stand-in's place, then replaced.
STAND_IN_ID = 9_876_543_210_123


def render_once(
    context: Context,
    template_name: str,
    *,
    values: Mapping[str, object],
    fill: Mapping[str, str],
) -> SafeString:
    """``{% include template_name with values %}``, rendered once per page and template.

    ``values`` are the include's values with stand-ins where objects differ (they must
    be the same objects on every call of one page otherwise: a form, a ``next``); ``fill`` maps
    each stand-in, as the template renders it, to this object's text, already escaped.
    """
    # Other values (another form) are another fragment, not a stale one.
    key = ("render_once", template_name, tuple((name, id(v)) for name, v in values.items()))
    rendered = context.render_context.get(key)
    if rendered is None:
        template = context.template.engine.get_template(template_name)
        with context.push(**values):
            rendered = template.render(context)
        context.render_context[key] = rendered
    for stand_in, text in fill.items():
        rendered = rendered.replace(stand_in, text)
    return SafeString(rendered)
