"""Form widgets for long lists (a network of 120 metros, a marketplace of hundreds of apps)."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.pagecache import kept_rows


class CompactSelect(forms.Select):
    """A <select> built in Python in one pass. Django's Select renders a template per option,
    which at a few hundred options costs tens of milliseconds per page; this writes the same
    markup (name, attributes, value, selected, escaped labels). Nested choices (optgroups) fall
    back to Django's rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        # A comprehension, not list(): list() asks a ModelChoiceIterator for its length,
        # which is one more COUNT query.
        choices = [choice for choice in self.choices]
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = {str(v) for v in self.format_value(value)}
        # html.escape is Django's escape() without the SafeString wrapper per call; every value
        # and label below goes through it.
        options = mark_safe(  # noqa: S308 (escaped above; bandit: tests/trust REVIEWED)
            "".join(
                f'<option value="{escape(str(option))}"'
                f"{' selected' if str(option) in selected else ''}>{escape(str(label))}</option>"
                for option, label in choices
            )
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


def keep_choices(field: forms.ModelChoiceField, label: str = "name") -> None:
    """Give a long ModelChoiceField (metros, sectors, apps) its choices as (id, `label`) rows
    kept until their table changes (core.pagecache.kept_rows), instead of reading and building
    every instance on each page. A submitted value is still checked against the queryset."""
    rows = kept_rows(field.queryset.values_list("pk", label))
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = _Rows([*empty, *rows])


class _Rows(BaseChoiceIterator):
    """Choices already in (value, label) form: an iterator, so Django does not walk every one
    of them again to normalise them."""

    def __init__(self, rows: list) -> None:
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)
