"""Bulk import of entrepreneurs from CSV: checks on upload, row validation, idempotency,
invitations, progress, the error report, permissions and a 10,000-row file."""

import csv
import io
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import PermissionDenied
from core.models import User
from network.errors import NetworkError
from network.models import Entrepreneur, ImportJob
from network.services import import_job_create, import_job_run
from network.services import imports as imports_module
from tests.factories import UserFactory

from .factories import EntrepreneurFactory, MetroFactory, SectorFactory

HEADER = "name,email,company,metro,sector,role,bio\n"


@pytest.fixture
def taxonomy(in_a):
    return {
        "paris": MetroFactory(name="Paris"),
        "lyon": MetroFactory(name="Lyon"),
        "fintech": SectorFactory(name="Fintech"),
        "food": SectorFactory(name="Food & beverage"),
        "old": SectorFactory(name="Typewriters", is_active=False),
    }


def upload(text: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    content = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/csv")


def post_file(client, text, *, invitations=False, capture=None):
    data = {"file": upload(text)}
    if invitations:
        data["send_invitations"] = "on"
    with capture(execute=True):
        return client.post("/network/admin/imports/", data)


def test_import_creates_accounts_and_profiles(
    admin_client_a, taxonomy, django_capture_on_commit_callbacks
):
    text = HEADER + (
        "Léa Martin,Lea.Martin@Example.com,Ledgerline,paris,fintech,CEO,Payments\n"
        "Omar Haddad,omar@example.com,Lyon Bakes,Lyon,Food & Beverage,,\n"
    )
    response = post_file(admin_client_a, text, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/network/admin/imports/{job.pk}/"
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.processed_rows, job.created_count, job.error_count) == (2, 2, 2, 0)

    lea = Entrepreneur.objects.select_related("user").get(user__email="lea.martin@example.com")
    assert (lea.user.name, lea.company, lea.role, lea.bio) == (
        "Léa Martin",
        "Ledgerline",
        "CEO",
        "Payments",
    )
    assert (lea.metro, lea.sector) == (taxonomy["paris"], taxonomy["fintech"])
    assert lea.user.has_usable_password() is False
    assert EmailAddress.objects.filter(user=lea.user, primary=True, verified=False).exists()
    assert Entrepreneur.objects.get(user__email="omar@example.com").sector == taxonomy["food"]
    assert mail.outbox == []  # no invitations unless asked


def test_malformed_rows_are_reported_and_the_rest_imported(
    admin_client_a, taxonomy, django_capture_on_commit_callbacks
):
    text = HEADER + (
        "Good Person,good@example.com,Co,Paris,Fintech,,\n"  # row 2
        "Unknown Metro,um@example.com,Co,Atlantis,Fintech,,\n"  # row 3
        "Unknown Sector,us@example.com,Co,Paris,Alchemy,,\n"  # row 4
        "Retired Sector,rs@example.com,Co,Paris,Typewriters,,\n"  # row 5
        "Bad Email,not-an-email,Co,Paris,Fintech,,\n"  # row 6
        ",noname@example.com,Co,Paris,Fintech,,\n"  # row 7
        "Second Good,GOOD@example.com,Co,Lyon,Fintech,,\n"  # row 8: same email as row 2
        "\n"  # blank lines are skipped
        "Short Row,short@example.com\n"  # row 10: missing cells are empty
    )
    post_file(admin_client_a, text, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.error_count) == (2, 6)
    problems = {error["row"]: error["message"] for error in job.errors}
    assert problems == {
        3: "unknown metro “Atlantis”",
        4: "unknown sector “Alchemy”",
        5: "sector “Typewriters” is retired",
        6: "“not-an-email” is not a valid email address",
        7: "name is missing",
        8: "same email as row 2 (only the first is imported)",
    }
    assert set(
        User.objects.filter(email__endswith="@example.com").values_list("email", flat=True)
    ) == {
        "good@example.com",
        "short@example.com",
    }
    assert Entrepreneur.objects.get(user__email="good@example.com").metro == taxonomy["paris"]

    report = admin_client_a.get(f"/network/admin/imports/{job.pk}/errors.csv")
    assert report["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    assert rows[0] == ["row", "email", "name", "problem"]
    assert rows[1] == ["3", "um@example.com", "Unknown Metro", "unknown metro “Atlantis”"]
    assert len(rows) == 7


def test_import_is_idempotent_on_email(admin_a, taxonomy, django_capture_on_commit_callbacks):
    existing = EntrepreneurFactory(
        user__email="known@example.com", user__name="Known Kim", company="Old Co", bio="Keep me"
    )
    text = HEADER + (
        "Kim Renamed,KNOWN@example.com,New Co,Lyon,Food & beverage,CTO,\n"
        "Newbie,new@example.com,Fresh,Paris,Fintech,,\n"
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            import_job_create(actor=admin_a, upload=upload(text))

    first, second = ImportJob.objects.order_by("created")
    assert (first.created_count, first.updated_count) == (1, 1)
    assert (second.created_count, second.updated_count) == (0, 2)
    assert User.objects.filter(email="new@example.com").count() == 1
    assert Entrepreneur.objects.filter(user__email="new@example.com").count() == 1
    existing.refresh_from_db()
    existing.user.refresh_from_db()
    assert existing.user.name == "Known Kim"  # the member's own name is theirs
    assert (existing.company, existing.role, existing.bio) == ("New Co", "CTO", "Keep me")
    assert (existing.metro, existing.sector) == (taxonomy["lyon"], taxonomy["food"])


def test_existing_account_without_profile_gets_one(
    admin_a, taxonomy, django_capture_on_commit_callbacks
):
    user = UserFactory(email="noprofile@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        import_job_create(
            actor=admin_a, upload=upload(HEADER + "No Profile,noprofile@example.com,Co,Paris,,,\n")
        )
    assert ImportJob.objects.get().updated_count == 1
    assert Entrepreneur.objects.get(user=user).metro == taxonomy["paris"]


def test_invitations_carry_a_working_set_password_link(
    admin_client_a, client_a, taxonomy, django_capture_on_commit_callbacks
):
    text = HEADER + "Ivy Invited,ivy@example.com,Co,Paris,Fintech,,\n"
    post_file(admin_client_a, text, invitations=True, capture=django_capture_on_commit_callbacks)
    assert ImportJob.objects.get().invited_count == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ivy@example.com"]
    assert "Alpha Network" in message.subject
    link = re.search(r"http://alpha\.localhost\S+", message.body).group(0)
    assert "/accounts/password/reset/key/" in link

    client_a.logout()
    path = link.removeprefix("http://alpha.localhost")
    form_page = client_a.get(path, follow=True)
    assert form_page.status_code == 200
    set_password_path = form_page.redirect_chain[-1][0]
    done = client_a.post(
        set_password_path, {"password1": "Brand-new-pass-77", "password2": "Brand-new-pass-77"}
    )
    assert done.status_code == 302
    assert User.objects.get(email="ivy@example.com").check_password("Brand-new-pass-77")


def test_progress_is_polled_until_finished(admin_a, admin_client_a, taxonomy):
    job = import_job_create(
        actor=admin_a, upload=upload(HEADER + "A Person,a@example.com,Co,Paris,Fintech,,\n")
    )  # no commit callbacks run: the task has not started yet
    pending = admin_client_a.get(f"/network/admin/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    body = pending.content.decode()
    assert 'hx-trigger="every 1s"' in body and "<html" not in body
    assert "0 of 1 rows" in body

    import_job_run(job_id=job.pk)
    finished = admin_client_a.get(f"/network/admin/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    body = finished.content.decode()
    assert "hx-trigger" not in body
    assert "1 of 1 rows" in body and 'value="100"' in body
    full = admin_client_a.get(f"/network/admin/imports/{job.pk}/").content.decode()
    assert "<html" in full and "Import finished" in full


def test_running_a_finished_job_again_does_nothing(admin_a, taxonomy):
    job = import_job_create(
        actor=admin_a, upload=upload(HEADER + "A Person,a@example.com,Co,Paris,Fintech,,\n")
    )
    assert import_job_run(job_id=job.pk).created_count == 1
    assert import_job_run(job_id=job.pk) is None
    assert ImportJob.objects.get(pk=job.pk).created_count == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary", "not CSV text"),
        (b"name,email\nA,a@example.com\n", "no column named company, metro, sector"),
        (HEADER.encode(), "no rows to import"),
        ("name,email,company,metro,sector\nZoë,z@example.com,,,\n".encode("latin-1"), "not UTF-8"),
        (b"just one column\nvalue\n", "could not read this file as CSV"),
        (b"name,email,email,company,metro,sector\n", "appears twice"),
    ],
)
def test_upload_problems_are_explained(
    admin_client_a, content, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_a.post("/network/admin/imports/", {"file": upload(content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_size_and_row_limits(admin_a, monkeypatch):
    monkeypatch.setattr(imports_module, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(NetworkError, match="the limit is 100 bytes"):
        import_job_create(actor=admin_a, upload=upload(HEADER + "x" * 200))
    monkeypatch.setattr(imports_module, "MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
    monkeypatch.setattr(imports_module, "MAX_ROWS", 2)
    rows = "".join(f"P{i},p{i}@example.com,,,,,\n" for i in range(3))
    with pytest.raises(NetworkError, match="3 rows; import at most 2"):
        import_job_create(actor=admin_a, upload=upload(HEADER + rows))
    assert not ImportJob.objects.exists()


def test_semicolons_tabs_and_header_variants(admin_a, taxonomy, django_capture_on_commit_callbacks):
    text = "Sector;E-mail;Name;Metro;Company\nFintech;semi@example.com;Semi Colon;Paris;Co\n"
    tabs = "name\temail\tcompany\tmetro\tsector\nTab Person\ttab@example.com\tCo\tLyon\tFintech\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_job_create(actor=admin_a, upload=upload("\ufeff" + text))
        import_job_create(actor=admin_a, upload=upload(tabs))
    assert Entrepreneur.objects.get(user__email="semi@example.com").metro == taxonomy["paris"]
    assert Entrepreneur.objects.get(user__email="tab@example.com").metro == taxonomy["lyon"]


def test_members_cannot_import(logged_in_a, member_a):
    response = logged_in_a.post("/network/admin/imports/", {"file": upload(HEADER)})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied, match="organisation admin"):
        import_job_create(actor=member_a, upload=upload(HEADER + "A,a@example.com,,,,,\n"))
    assert not ImportJob.objects.exists()


def test_imports_of_one_organisation_are_not_found_on_another(admin_a, org_b, client_b):
    from django_tenants.utils import schema_context

    from core.models import Role
    from core.services import role_grant

    job = import_job_create(actor=admin_a, upload=upload(HEADER + "A,a@example.com,,,,,\n"))
    with schema_context(org_b.schema_name):
        beta_admin = UserFactory(email="admin@beta.test")
        role_grant(user=beta_admin, role=Role.ORGANIZATION_ADMIN)
        client_b.force_login(beta_admin)
        assert not ImportJob.objects.exists()
    assert client_b.get(f"/network/admin/imports/{job.pk}/").status_code == 404
    assert client_b.get(f"/network/admin/imports/{job.pk}/errors.csv").status_code == 404


def test_ten_thousand_rows_import_in_batches(admin_a, taxonomy, django_capture_on_commit_callbacks):
    metros, sectors = ["Paris", "Lyon"], ["Fintech", "Food & beverage"]
    lines = [HEADER]
    for i in range(10_000):
        lines.append(
            f"Person {i},person{i}@bulk.example,Company {i},{metros[i % 2]},{sectors[i % 2]},,\n"
        )
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(actor=admin_a, upload=upload("".join(lines)))
    elapsed = time.monotonic() - started
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.error_count, job.processed_rows) == (10_000, 0, 10_000)
    assert Entrepreneur.objects.filter(user__email__endswith="@bulk.example").count() == 10_000
    assert elapsed < 60, f"10,000 rows took {elapsed:.1f}s"
