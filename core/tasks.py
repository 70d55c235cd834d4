"""Celery plumbing shared by every app.

* `organization_task` is the decorator for work that belongs to one organisation: it runs in the
  schema it was sent from and refuses to run in the public schema.
* Periodic per-organisation work goes through `tenants.tasks.dispatch_to_organizations`.
* The outbox (core.models.OutboxTask, in the public schema) holds tasks not handed to the broker
  yet: those the broker refused while it was down, and those a service wants sent durably
  (`outbox_send_after_commit`: written in the service's own transaction, published after the
  commit). `outbox_flush`, every 30 seconds and when a worker starts, publishes what is left;
  each row is published and deleted in one transaction of its own, so once it is gone it is never
  sent again.
"""

import logging
from collections.abc import Iterable

import redis
from celery import Task, current_app, shared_task
from django.core import mail
from django.db import connection, transaction
from django.db.models import F
from django_tenants.utils import get_public_schema_name, schema_context
from kombu.exceptions import OperationalError as BrokerOperationalError
from tenant_schemas_celery.task import TenantTask

from . import heartbeat

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerOperationalError, redis.RedisError, ConnectionError)


class PublicSchemaRefused(RuntimeError):
    pass


class ResilientTask(TenantTask):
    """The project's base task: if the broker cannot take the message, the task goes to the
    outbox (a table) instead of failing the request, and is sent once the broker is back."""

    abstract = True

    def apply_async(
        self,
        args=None,
        kwargs=None,
        task_id=None,
        producer=None,
        link=None,
        link_error=None,
        shadow=None,
        **options,
    ):
        try:
            return super().apply_async(
                args, kwargs, task_id, producer, link, link_error, shadow, **options
            )
        except BROKER_ERRORS as error:
            if self.app.conf.task_always_eager:
                raise
            outbox_store(
                task_name=self.name,
                args=args,
                kwargs=kwargs,
                countdown=options.get("countdown"),
                error=error,
            )
            return None


def outbox_store(*, task_name: str, args, kwargs, countdown=None, error=None) -> None:
    from .models import OutboxTask

    schema_name = connection.schema_name
    logger.warning("broker unavailable (%s); %s kept in the outbox", error, task_name)
    with schema_context(get_public_schema_name()):
        OutboxTask.objects.create(
            schema_name=schema_name,
            task_name=task_name,
            args=list(args or []),
            kwargs=dict(kwargs or {}),
            countdown=int(countdown) if countdown else None,
        )


def outbox_send_after_commit(*, task_name: str, calls: Iterable[dict]) -> list[int]:
    """Send `task_name` once per kwargs in `calls`, durably: the rows are written in the caller's
    transaction (they commit or roll back with its writes) and published once it commits. Should
    the process die in between, or the broker be down, `outbox_flush` publishes them later."""
    from .models import OutboxTask

    schema_name = connection.schema_name
    with schema_context(get_public_schema_name()):
        rows = OutboxTask.objects.bulk_create(
            OutboxTask(schema_name=schema_name, task_name=task_name, kwargs=dict(kwargs))
            for kwargs in calls
        )
    pks = [row.pk for row in rows]
    if pks:
        transaction.on_commit(lambda: outbox_publish(pks=pks))
    return pks


def _publish(row) -> None:
    with schema_context(row.schema_name):
        task = current_app.tasks.get(row.task_name)
        if current_app.conf.task_always_eager and task is not None:
            task.apply(args=row.args, kwargs=row.kwargs)  # tests and tasks run in-process
        else:
            current_app.send_task(
                row.task_name, args=row.args, kwargs=row.kwargs, countdown=row.countdown
            )


def outbox_publish(*, pks: Iterable[int] | None = None, limit: int | None = None) -> int:
    """Publish outbox rows (those of `pks`, or any), oldest first, each in a transaction that
    deletes the row: a row another flush holds is skipped, a row gone was sent already. Stops at
    the first broker error; that row stays for the next flush."""
    from .models import OutboxTask

    rows = OutboxTask.objects.select_for_update(skip_locked=True)
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    sent = 0
    with schema_context(get_public_schema_name()):
        while limit is None or sent < limit:
            with transaction.atomic():
                row = rows.first()
                if row is None:
                    break
                try:
                    with transaction.atomic():
                        _publish(row)
                except BROKER_ERRORS as error:
                    logger.warning("broker unavailable (%s); the outbox waits", error)
                    OutboxTask.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
                    break
                row.delete()
            sent += 1
    return sent


@shared_task(name="core.tasks.outbox_flush", ignore_result=True)
def outbox_flush(batch: int = 500) -> int:
    """Send what the outbox holds, oldest first; a row leaves the outbox in the transaction that
    sends it, so a second flush (or one running alongside) never sends it again."""
    sent = outbox_publish(limit=batch)
    if sent:
        logger.info("outbox: sent %d task(s)", sent)
    return sent


class OrganizationTask(ResilientTask):
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
