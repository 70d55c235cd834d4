"""Extension points only: the worker announces itself as soon as it is ready."""

from celery.signals import worker_ready

from . import heartbeat


@worker_ready.connect
def announce_worker(sender=None, **kwargs) -> None:
    hostname = getattr(sender, "hostname", "") or ""
    try:
        heartbeat.beat(hostname)
    except Exception:
        return
    from .tasks import outbox_flush

    outbox_flush.delay()  # whatever waited while the broker was down
