"""Celery plumbing shared by every app.

* `organization_task` is the decorator for work that belongs to one organisation: it runs in the
  schema it was sent from and refuses to run in the public schema.
* Periodic per-organisation work goes through `tenants.tasks.dispatch_to_organizations`.
"""

import logging

from celery import Task, shared_task
from django.core import mail
from django.db import connection
from django_tenants.utils import get_public_schema_name
from tenant_schemas_celery.task import TenantTask

from . import heartbeat

logger = logging.getLogger(__name__)


class PublicSchemaRefused(RuntimeError):
    pass


class OrganizationTask(TenantTask):
    abstract = True

    def __call__(self, *args, **kwargs):
        if connection.schema_name == get_public_schema_name():
            raise PublicSchemaRefused(
                f"{self.name} is an organisation task but was sent outside any organisation; "
                "it refuses to run in the public schema."
            )
        return super().__call__(*args, **kwargs)


def organization_task(*args, **kwargs):
    kwargs.setdefault("base", OrganizationTask)
    return shared_task(*args, **kwargs)


@shared_task(name="core.tasks.worker_heartbeat", bind=True, ignore_result=True)
def worker_heartbeat(self: Task) -> None:
    heartbeat.beat(self.request.hostname or "")


@organization_task(name="core.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.filter(expire_date__lt=timezone.now()).delete()


@shared_task(
    name="core.tasks.send_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
    headers: dict | None = None,
) -> None:
    """Send an already rendered message: its links were built for the organisation's host."""
    message = mail.EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or {}
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
