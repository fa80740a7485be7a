from django import template

from microlearning.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Authored Markdown as sanitised HTML."""
    return render_markdown(text)
