"""Invitations of an imported batch are durable: written to the task outbox in the batch's own
transaction and published after its commit, so that a worker dying between the commit and the
publish, or a broker that is down, still delivers each invitation — once."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError

from config.celery import app
from core.models import OutboxTask, User
from core.tasks import outbox_flush
from network.models import ImportJob
from network.services import import_job_create, import_job_run
from network.services import imports as imports_module

from .factories import MetroFactory, SectorFactory

HEADER = "name,email,company,metro,sector,role,bio\n"
PEOPLE = [f"person{n}@invited.example" for n in range(5)]


@pytest.fixture
def job(admin_a, monkeypatch):
    """A stored import of five new people with invitations, in batches of two (three batches);
    its task has not run yet."""
    MetroFactory(name="Paris")
    SectorFactory(name="Fintech")
    monkeypatch.setattr(imports_module, "BATCH_SIZE", 2)
    text = HEADER + "".join(
        f"Person {n},{email},Co,Paris,Fintech,,\n" for n, email in enumerate(PEOPLE)
    )
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    return import_job_create(actor=admin_a, upload=upload, send_invitations=True)


def waiting() -> list[OutboxTask]:
    with schema_context("public"):
        return list(OutboxTask.objects.filter(task_name="core.tasks.send_email"))


def invited() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_invitations_wait_in_the_outbox_until_the_batch_commits(
    job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as publish:
        import_job_run(job_id=job.pk)
    assert ImportJob.objects.get(pk=job.pk).invited_count == 5
    rows = waiting()
    assert sorted(row.kwargs["to"][0] for row in rows) == PEOPLE
    assert {row.schema_name for row in rows} == {"alpha"}
    assert mail.outbox == []  # nothing left before the commit
    assert len(publish) == 3  # one publish per committed batch

    for callback in publish:  # the commits happened: each batch publishes its own rows
        callback()
    assert invited() == PEOPLE
    assert waiting() == []
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_worker_dying_after_the_commit_still_delivers_each_invitation_once(
    job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as publish:
        import_job_run(job_id=job.pk)
    # The worker died between the commits and the publishes: the callbacks never run.
    assert mail.outbox == []
    assert len(waiting()) == 5

    assert outbox_flush() == 5  # the periodic flush finds them
    assert invited() == PEOPLE
    assert waiting() == []
    assert outbox_flush() == 0  # run again: nothing is sent twice
    for callback in publish:  # a late publish of the same rows sends nothing either
        callback()
    assert invited() == PEOPLE


def test_invitations_survive_a_broker_that_is_down(
    job, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    sent = []

    def broker_gone(self, name, args=None, kwargs=None, **options):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    def broker_back(self, name, args=None, kwargs=None, **options):
        sent.append((name, kwargs["to"][0]))

    monkeypatch.setattr(type(app), "send_task", broker_gone)
    with django_capture_on_commit_callbacks(execute=True):  # each batch tries to publish
        import_job_run(job_id=job.pk)
    rows = waiting()
    assert sorted(row.kwargs["to"][0] for row in rows) == PEOPLE
    assert sum(row.attempts for row in rows) == 3  # one failed try per batch
    assert sent == []

    monkeypatch.setattr(type(app), "send_task", broker_back)
    assert outbox_flush() == 5
    assert outbox_flush() == 0
    assert sorted(sent) == [("core.tasks.send_email", email) for email in PEOPLE]
    assert waiting() == []


def test_a_rolled_back_batch_leaves_no_invitation(job):
    rows = [
        imports_module.ImportRow(
            number=2, values={"name": "Roll Back"}, email="back@invited.example"
        )
    ]
    with pytest.raises(RuntimeError), transaction.atomic():
        imports_module._write_batch(rows, send_invitations=True)
        assert len(waiting()) == 1  # written with the batch, in its transaction
        raise RuntimeError("the batch fails after writing")
    assert waiting() == []
    assert not User.objects.filter(email="back@invited.example").exists()
