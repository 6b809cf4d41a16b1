from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_or_empty(url_name: str) -> str:
    """The URL of a console page, or "" while that page is not built yet (shown disabled)."""
    if not url_name:
        return ""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


@register.filter
def account_id_dashed(account_id: str) -> str:
    return f"{account_id[0:4]}-{account_id[4:8]}-{account_id[8:12]}"
