"""`date`, `floatformat` and `url` remembering what they wrote (template builtins:
config.settings TEMPLATES).

Django's `date` reads the format and every month and day name through gettext and parses the
format string on each call (about 50 µs); `floatformat` goes through Decimal and the locale's
number format (about 30 µs); `url` walks the URL patterns (about 45 µs). They are paid several
times per row of every list, and the same times, numbers and addresses come back on every view
of a page. Each result is kept per process under everything it depends on: for `date` the
instant, zone, offset, format and language; for `floatformat` the value and its type, the
argument and language; for `url` the view name, arguments (plain numbers and strings only),
application namespace, URLconf (the organisation's or the public site's), script prefix and
language. Anything else is passed to Django as it is."""

import datetime
import decimal

from django import template
from django.template import defaultfilters, defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

_LIMIT = 20_000  # entries per table, a few MB at most; a full table is emptied


class _Remembered(dict):
    def keep(self, key, value):
        if len(self) >= _LIMIT:
            self.clear()
        self[key] = value
        return value


_dates = _Remembered()
_numbers = _Remembered()
_urls = _Remembered()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Format a date or time (as Django's `date`)."""
    if isinstance(value, datetime.datetime):
        key = (value.replace(tzinfo=None), value.tzinfo, value.utcoffset(), arg, get_language())
    elif isinstance(value, datetime.date):
        key = (value, None, None, arg, get_language())
    else:  # None, "", or something Django's filter decides about
        return defaultfilters.date(value, arg)
    try:
        return _dates[key]
    except KeyError:
        return _dates.keep(key, defaultfilters.date(value, arg))


_NUMBERS = (int, float, decimal.Decimal)


@register.filter(is_safe=True)
def floatformat(text, arg=-1):
    """Round a number to `arg` places (as Django's `floatformat`)."""
    if type(text) not in _NUMBERS or text != text:  # strings, None, NaN: as Django does
        return defaultfilters.floatformat(text, arg)
    key = (type(text), text, arg, get_language())
    try:
        return _numbers[key]
    except KeyError:
        return _numbers.keep(key, defaultfilters.floatformat(text, arg))


_PLAIN = (int, str)


class _URLNode(defaulttags.URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        if not all(type(value) in _PLAIN for value in (*args, *kwargs.values())):
            return super().render(context)  # objects: reverse() calls str() on them
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = (
            view_name,
            tuple(args),
            tuple(sorted(kwargs.items())),
            current_app,
            get_urlconf(),
            get_script_prefix(),
            get_language(),
        )
        try:
            url = _urls[key]
        except KeyError:
            try:
                url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
                url = ""
            else:
                _urls.keep(key, url)
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %}, remembering the addresses it reversed."""
    node = defaulttags.url(parser, token)
    return _URLNode(node.view_name, node.args, node.kwargs, node.asvar)
