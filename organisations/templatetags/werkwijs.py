from django import template
from django.utils.html import format_html

from organisations.permissions import can as _can

register = template.Library()


@register.filter
def can(membership, action: str) -> bool:
    """``{% if membership|can:"author_units" %}``: the same rule the views enforce."""
    return _can(membership, action)


class TableWrapNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist, self.label = nodelist, label

    def render(self, context):
        return format_html(
            '<div class="table-wrap" role="region" tabindex="0" aria-label="{}">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),  # already safe: rendered template output
        )


@register.tag
def tablewrap(parser, token):
    """``{% tablewrap _("Members") %}<table>…</table>{% endtablewrap %}``: a wide table
    scrolls sideways on a phone inside a named region that takes keyboard focus, so
    people without a mouse or touch can scroll to the hidden columns too (axe:
    scrollable-region-focusable)."""
    try:
        _tag, label = token.split_contents()
    except ValueError as exc:
        raise template.TemplateSyntaxError("tablewrap takes one label") from exc
    nodelist = parser.parse(("endtablewrap",))
    parser.delete_first_token()
    return TableWrapNode(nodelist, parser.compile_filter(label))


# A message about one content block carries this tag prefix (``block-<id>``): the
# block shows it beside the result, the page-wide list at the top leaves it out.
BLOCK_MESSAGE_PREFIX = "block-"


def _block_tag(message) -> str | None:
    return next(
        (tag for tag in (message.extra_tags or "").split() if tag.startswith(BLOCK_MESSAGE_PREFIX)),
        None,
    )


@register.filter
def page_messages(messages) -> list:
    return [message for message in messages if _block_tag(message) is None]


@register.filter
def block_messages(messages, block_id) -> list:
    tag = f"{BLOCK_MESSAGE_PREFIX}{block_id}"
    return [message for message in messages if _block_tag(message) == tag]
