"""Authentication backends that load the session's user together with the facts every page
needs (core.userfacts): one query instead of one per fact."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django_tenants.utils import get_public_schema_name

from . import userfacts


class _SessionUserMixin:
    def get_user(self, user_id):
        if connection.schema_name == get_public_schema_name():
            # The operators' site: the facts are about an organisation's own tables.
            return super().get_user(user_id)
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = userfacts.load_user(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user


class SessionUserBackend(_SessionUserMixin, ModelBackend):
    """Django's model backend (password sign-in in the admin, force_login in tests)."""


class AccountSessionUserBackend(_SessionUserMixin, AuthenticationBackend):
    """allauth's backend (email sign-in, sign-in links)."""
