"""The audit log for organisation admins; a member's export and account deletion; one
organisation's schema exported and imported again."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django_tenants.utils import schema_context

from core.models import ApiToken, AuditEntry, Notification, Role
from core.services import api_token_create, audit_record, role_grant
from tests.factories import PASSWORD, UserFactory

from .world import WORLD_GROUP

pytestmark = WORLD_GROUP  # the trust world's modules run on one worker, in a row

User = get_user_model()


@pytest.fixture
def admin_a(in_a):
    admin = UserFactory(email="admin@alpha.test", name="Ada Admin", is_staff=True)
    role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    return admin


# --- The audit log -------------------------------------------------------------------------------


def test_audit_log_is_for_organisation_admins_only(client_a, logged_in_a, admin_a):
    assert logged_in_a.get("/audit/").status_code == 403
    logged_in_a.logout()
    assert client_a.get("/audit/").status_code == 302
    client_a.force_login(admin_a)
    assert client_a.get("/audit/").status_code == 200


def test_audit_log_filters_by_action_actor_and_date(client_a, admin_a, member_a):
    audit_record(actor=member_a, action="trust.one", target=member_a)
    audit_record(actor=admin_a, action="trust.two", target=member_a)
    old = audit_record(actor=member_a, action="trust.one", target=member_a)
    AuditEntry.objects.filter(pk=old.pk).update(created="2020-01-02T10:00:00Z")
    client_a.force_login(admin_a)

    by_action = client_a.get("/audit/", {"action": "trust.two"}).content.decode()
    assert "trust.two" in by_action and "<code>trust.one</code>" not in by_action
    by_actor = client_a.get("/audit/", {"actor": "mia"}).content.decode()
    assert (
        by_actor.count("<code>trust.one</code>") == 2 and "<code>trust.two</code>" not in by_actor
    )
    by_date = client_a.get("/audit/", {"date_from": "2020-01-01", "date_to": "2020-01-03"})
    assert by_date.content.decode().count("<code>trust.one</code>") == 1
    reversed_dates = client_a.get("/audit/", {"date_from": "2021-01-01", "date_to": "2020-01-01"})
    assert "The end date is before the start date." in reversed_dates.content.decode()


def test_audit_log_pages_in_constant_queries(client_a, admin_a, django_assert_num_queries):
    for n in range(120):
        audit_record(actor=admin_a, action=f"trust.page{n % 3}")
    client_a.force_login(admin_a)
    client_a.get("/audit/")  # warm the host lookup cache
    with django_assert_num_queries(6):
        first = client_a.get("/audit/")
    with django_assert_num_queries(6):
        last = client_a.get("/audit/", {"page": 3})
    assert "Page 1 of 3" in first.content.decode() and "Page 3 of 3" in last.content.decode()


def test_audit_log_never_shows_text(client_a, admin_a, member_a):
    """Even if a service put prose in an entry, the page shows identifiers and numbers only."""
    secret = "zq-confidential-challenge-text"
    audit_record(
        actor=member_a,
        action="trust.careless",
        data={
            "text": secret,
            "meeting": 7,
            "status": "closed",
            "notes": f"<b>{secret}</b>",
            "status_note": "two words",
        },
    )
    client_a.force_login(admin_a)
    page = client_a.get("/audit/").content.decode()
    assert secret not in page
    assert "meeting:</span> 7" in page and "status:</span> closed" in page
    assert page.count("(withheld)") == 3


def test_sharing_a_challenge_leaves_no_text_in_the_audit_log(world, db):
    """The real path: meetings' share service, then every audit entry of the world."""
    from meetings.models import Meeting
    from meetings.services.participation import share_save

    with schema_context(world.organization.schema_name):
        member = User.objects.get(pk=world.users["member"])
        meeting = Meeting.objects.get(pk=world.ids["meeting_upcoming"])
        share_save(meeting=meeting, user=member, success="zq-audit-win", challenge="zq-audit-pain")
        dumped = json.dumps(list(AuditEntry.objects.values("action", "data")))
    assert "zq-audit-win" not in dumped and "zq-audit-pain" not in dumped


# --- A member's export ---------------------------------------------------------------------------


def test_member_downloads_their_data(world, db):
    from django.conf import settings
    from django.test import Client

    from .world import MARKERS

    client = Client(HTTP_HOST=world.host)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["member"]
    assert client.get("/account/data/").status_code == 200
    response = client.get("/account/data/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="commons-my-data-')
    data = json.loads(response.content)
    sections = data["sections"]
    assert data["format"] == "commons-personal-data/1"
    assert sections["account"]["email"] == world.emails["member"]
    assert sections["profile"]["company"] == "Member Person Ltd"
    assert [m["chapter"] for m in sections["chapter_memberships"]] == ["Lyon Makers"]
    assert sections["meeting_contributions"]["shares"][0]["success"] == MARKERS["share_success"]
    assert sections["meeting_contributions"]["follow_ups"][0]["text"] == MARKERS["follow_up"]
    # the facilitator's story on the member's share is the facilitator's text, not theirs
    assert MARKERS["story"] not in response.content.decode()
    assert sections["marketplace"]["registrations"][0]["event"] == "Pitch Night Lyon"
    with schema_context(world.organization.schema_name):
        assert AuditEntry.objects.filter(
            action="account.export", actor_id=world.users["member"]
        ).exists()


def test_exporters_are_a_registry(member_a):
    from tenants import data_rights

    data_rights.register_exporter("trust_probe", lambda user: {"pk": user.pk})
    try:
        document = data_rights.personal_data_export(user=member_a)
        assert document["sections"]["trust_probe"] == {"pk": member_a.pk}
    finally:
        data_rights._exporters.pop("trust_probe")


# --- Account deletion ----------------------------------------------------------------------------


def test_deleting_the_account_anonymises_and_keeps_chapter_history(world, db):
    from django.conf import settings
    from django.test import Client

    from chapters.models import Membership
    from network.models import Entrepreneur

    client = Client(HTTP_HOST=world.host)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["member"]
    wrong = client.post("/account/delete/", {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and "The password is not right." in wrong.content.decode()
    unconfirmed = client.post("/account/delete/", {"password": PASSWORD})
    assert unconfirmed.status_code == 400

    with schema_context(world.organization.schema_name):
        pk = world.users["member"]
        other_session = Session.objects.filter(session_key=world.sessions["member"]).count()
        assert other_session == 1
    done = client.post("/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert done.status_code == 302

    with schema_context(world.organization.schema_name):
        user = User.objects.get(pk=pk)
        assert user.name == "Former member" and not user.is_active
        assert user.email.endswith("@deleted.invalid") and world.emails["member"] != user.email
        assert not user.has_usable_password()
        assert not ApiToken.objects.filter(user=user).exists()
        assert not Notification.objects.filter(user=user).exists()
        assert not Session.objects.filter(session_key=world.sessions["member"]).exists()
        profile = Entrepreneur.objects.get(user=user)
        assert (profile.company, profile.bio, profile.is_active) == ("", "", False)
        seat = Membership.objects.get(pk=world.ids["membership"])
        assert seat.left_at is not None and seat.user_id == pk  # history kept, identity gone
        assert AuditEntry.objects.filter(action="account.delete", target_id=str(pk)).exists()
    # signed out, and the old password no longer signs in
    assert "_auth_user_id" not in client.session
    again = client.post("/accounts/login/", {"login": world.emails["member"], "password": PASSWORD})
    assert again.status_code == 200


def test_the_last_admin_cannot_delete_their_account(admin_a, member_a):
    from tenants import data_rights

    with pytest.raises(data_rights.AccountDeletionError, match="only admin"):
        data_rights.account_delete(user=admin_a, password=PASSWORD)
    admin_a.refresh_from_db()
    assert admin_a.is_active
    role_grant(user=member_a, role=Role.ORGANIZATION_ADMIN)
    data_rights.account_delete(user=admin_a, password=PASSWORD)
    admin_a.refresh_from_db()
    assert not admin_a.is_active and not admin_a.roles.exists()


def test_account_deletion_is_all_or_nothing(member_a, monkeypatch):
    from tenants import data_rights

    api_token_create(user=member_a, name="kept")

    def broken(user):
        raise RuntimeError("eraser failed")

    data_rights.register_eraser("zz_broken", broken)
    try:
        with pytest.raises(RuntimeError):
            data_rights.account_delete(user=member_a, password=PASSWORD)
    finally:
        data_rights._erasers.pop("zz_broken")
    member_a.refresh_from_db()
    assert member_a.name == "Mia Member" and member_a.is_active
    assert ApiToken.objects.filter(user=member_a, revoked_at__isnull=True).exists()


# --- export_organization / import_organization -----------------------------------------------


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """These tests need committed data: pg_dump reads the database from its own connection."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


def test_organization_round_trip(committed, tmp_path):
    from django.core.management import call_command

    from tenants.models import Domain, Organization
    from tenants.services import organization_create, organization_delete

    for leftover in Organization.objects.filter(slug__in=["port-source", "port-copy"]):
        organization_delete(organization=leftover)
    source = organization_create(
        slug="port-source",
        name="Port Source",
        admin_email="admin@port.test",
        admin_password=PASSWORD,
    )
    export = tmp_path / "port-source.sql"
    try:
        with schema_context(source.schema_name):
            admin = User.objects.get(email="admin@port.test")
            Notification.objects.create(user=admin, title="Kept across the move")
            api_token_create(user=admin, name="script")
        call_command("export_organization", slug="port-source", output=str(export))
        assert export.read_text().startswith("-- commons-organization-export {")

        call_command("import_organization", slug="port-copy", input=str(export))
        connection.set_schema_to_public()
        copy = Organization.objects.get(slug="port-copy")
        assert (copy.schema_name, copy.name) == ("port_copy", "Port Source")
        assert Domain.objects.get(tenant=copy).domain == "port-copy.localhost"
        with schema_context("port_copy"):
            moved = User.objects.get(email="admin@port.test")
            assert moved.check_password(PASSWORD)
            assert Notification.objects.get(user=moved).title == "Kept across the move"
            assert moved.roles.filter(role=Role.ORGANIZATION_ADMIN).exists()
            # a copy does not accept the original's credentials
            assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
            assert not Session.objects.exists()
        with schema_context("port_source"):  # the original is untouched
            assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1

        from django.test import Client

        page = Client(HTTP_HOST="port-copy.localhost").post(
            "/accounts/login/", {"login": "admin@port.test", "password": PASSWORD}
        )
        assert page.status_code == 302

        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="already taken"):
            call_command("import_organization", slug="port-copy", input=str(export))
        bad = tmp_path / "not-an-export.sql"
        bad.write_text("SELECT 1;\n")
        with pytest.raises(CommandError, match="not a Commons organisation export"):
            call_command("import_organization", slug="port-other", input=str(bad))
    finally:
        connection.set_schema_to_public()
        for organization in Organization.objects.filter(slug__in=["port-source", "port-copy"]):
            organization_delete(organization=organization)
