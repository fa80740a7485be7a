from django import template

from organisations.permissions import can as _can

register = template.Library()


@register.filter
def can(membership, action: str) -> bool:
    """``{% if membership|can:"author_units" %}``: the same rule the views enforce."""
    return _can(membership, action)
