"""Table filtering and paging shared by every console list (users, groups, roles, policies...)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest

PAGE_SIZE = 20


@dataclass
class Table:
    page: Page
    query: str
    total: int

    @property
    def rows(self) -> Sequence[Any]:
        return self.page.object_list


def filter_and_page(request: HttpRequest, queryset: QuerySet, search_fields: Sequence[str], page_size: int = PAGE_SIZE) -> Table:
    """Apply the table's search box (`?q=`, case-insensitive substring on `search_fields`) and
    its paging (`?page=`). One COUNT and one SELECT, whatever the number of rows."""
    query = request.GET.get("q", "").strip()
    if query:
        condition = Q()
        for field in search_fields:
            condition |= Q(**{f"{field}__icontains": query})
        queryset = queryset.filter(condition)
    paginator = Paginator(queryset, page_size)
    page = paginator.get_page(request.GET.get("page"))
    return Table(page=page, query=query, total=paginator.count)
