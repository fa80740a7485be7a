"""The API's pagination: DRF's page numbers, with an empty ``?page=`` refused like ``?page=x``."""

from __future__ import annotations

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    def get_page_number(self, request, paginator):
        # DRF reads an empty value as page 1; any value that is not a page is "Invalid page." (404).
        page_number = request.query_params.get(self.page_query_param, 1)
        if page_number in self.last_page_strings:
            return paginator.num_pages
        return page_number
