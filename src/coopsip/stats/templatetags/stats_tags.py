from django import template

from coopsip.stats.presentation import Cell, cell_text

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    """A table cell as people read it: a number, "fewer than 5", or "not known"."""
    return cell_text(value)
