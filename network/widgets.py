"""Form widgets for long lists (a network of 120 metros, a marketplace of hundreds of apps)."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


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
        chosen = mark_safe(" selected")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option), chosen if str(option) in selected else "", label)
                for option, label in choices
            ),
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)
