"""Attachments: PDF, PNG, JPG, TXT or DOCX up to 5 MB, checked by content; stored through the
default storage and served only to those who may see the escalation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from governance import services
from governance.errors import GovernanceError
from governance.models import Escalation

PDF = b"%PDF-1.4\n% demo\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _client(user) -> Client:
    client = Client(HTTP_HOST="alpha.localhost")
    client.force_login(user)
    return client


def test_raising_with_attachments_through_the_page(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _client(world.member)
    response = client.post(
        "/governance/escalations/new/",
        {
            "chapter": world.chapter.pk,
            "category": "conduct",
            "title": "With evidence",
            "description": "See the attached notes.",
            "attachments": [upload("notes.txt", "Déjà vu\n".encode()), upload("minutes.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get(title="With evidence")
    names = sorted(a.original_name for a in escalation.attachments.all())
    assert names == ["minutes.pdf", "notes.txt"]

    attachment = escalation.attachments.get(original_name="minutes.pdf")
    url = f"/governance/escalations/{escalation.pk}/attachments/{attachment.pk}/"
    for user in (world.member, world.chair):
        served = _client(user).get(url)
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == PDF
        assert served["Content-Type"] == "application/pdf"
        assert "attachment" in served["Content-Disposition"]
    for user in (world.facilitator, world.outsider, world.admin, world.board_member):
        assert _client(user).get(url).status_code == 404
    api = f"/api/v1/governance/escalations/{escalation.pk}/attachments/{attachment.pk}/"
    assert _client(world.chair).get(api).status_code == 200
    assert _client(world.admin).get(api).status_code == 404
    page = _client(world.chair).get(f"/governance/escalations/{escalation.pk}/").content.decode()
    assert url in page and attachment.file.url not in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ...", "not a PDF, PNG"),
        ("fake.pdf", b"<html>", "does not look like a PDF"),
        ("image.png", b"GIF89a", "does not look like a PNG"),
        ("binary.txt", b"\x00\x01\x02", "not a plain text"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_unacceptable_files_are_refused_and_nothing_is_written(world, name, content, message):
    before = Escalation.objects.count()
    with pytest.raises(GovernanceError, match=message):
        services.escalation_raise(
            chapter=world.chapter,
            user=world.member,
            category="other",
            title="t",
            description="d",
            attachments=[upload(name, content)],
        )
    assert Escalation.objects.count() == before


def test_files_over_5_mb_are_refused_on_the_page(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = upload("big.pdf", PDF + b"0" * (5 * 1024 * 1024))
    response = _client(world.member).post(
        "/governance/escalations/new/",
        {
            "chapter": world.chapter.pk,
            "category": "conduct",
            "title": "Too big",
            "description": "d",
            "attachments": [big],
        },
    )
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()
    assert not Escalation.objects.filter(title="Too big").exists()
