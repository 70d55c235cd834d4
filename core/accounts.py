"""django-allauth, adapted to Commons: users per organisation, email sent through Celery with
links already built for the organisation's own host."""

from allauth.account.adapter import DefaultAccountAdapter
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from .tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Platform operators are made with `createsuperuser`; organisations take sign-ups.
        return connection.schema_name != get_public_schema_name()

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        payload = {
            "subject": message.subject,
            "body": message.body,
            "to": list(message.to),
            "from_email": message.from_email,
            "html_body": html,
            "headers": dict(message.extra_headers),
        }
        transaction.on_commit(lambda: send_email.delay(**payload))

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not user.name:
            user.name = user.email.split("@")[0]
        if commit:
            user.save()
        return user
