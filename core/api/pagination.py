from rest_framework import pagination

from core.pagination import KeptCountPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of a list whose total is kept until what it counts changes."""

    django_paginator_class = KeptCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
