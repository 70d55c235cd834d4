"""Pagination whose total does not cost a count of the whole list on every page view."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .pagecache import kept_count


class KeptCountPaginator(Paginator):
    """A Paginator over a QuerySet whose total (COUNT over every matching row, which grows with
    the network) is kept until a table the list reads changes (core.pagecache.kept_result)."""

    @cached_property
    def count(self) -> int:
        if not hasattr(self.object_list, "query"):  # a list: its length is at hand
            return Paginator.count.func(self)
        return kept_count(self.object_list)
