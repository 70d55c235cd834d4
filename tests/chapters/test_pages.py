"""The chapter pages: what each role may open and do, the accept-by-link flow, cross-organisation
isolation, and query counts that do not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from chapters.models import (
    Chapter,
    ChapterSettings,
    CollaborationAgreement,
    Invitation,
    JoinRequest,
    Membership,
    Objection,
)
from tests.factories import UserFactory

from .factories import ChapterFactory, join, sent_invitation


@pytest.fixture
def as_user(client_a):
    def login(user) -> Client:
        client_a.force_login(user)
        return client_a

    return login


def test_anonymous_is_sent_to_sign_in(client_a, chapter):
    for url in ("/chapters/", f"/chapters/{chapter.pk}/", "/chapters/coverage/", "/chapters/all/"):
        response = client_a.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_chapters_lists_only_mine(as_user, chapter, person):
    other = ChapterFactory(metro=chapter.metro, name="Someone Else's")
    join(other, person("Media"), "facilitator")
    body = as_user(chapter.mia.user).get("/chapters/").content.decode()
    assert "Lyon Founders" in body
    assert "Someone Else&#x27;s" not in body and "Someone Else's" not in body


def test_chapter_page_per_role(as_user, chapter, person, admin_a, sectors):
    stranger = person("Media")  # member of another chapter
    other = ChapterFactory(metro=chapter.metro)
    join(other, stranger, "facilitator")
    Invitation.objects.create(
        chapter=chapter,
        email="p@alpha.test",
        name="Paula Proposed",
        sector=sectors["Retail"],
        proposed_by=chapter.mia.user,
        objection_window_ends_at=timezone.now() + dt.timedelta(days=3),
    )
    url = f"/chapters/{chapter.pk}/"

    assert as_user(stranger.user).get(url).status_code == 404

    member_page = as_user(chapter.hugo.user).get(url).content.decode()
    assert "Mia Member" in member_page and chapter.mia.company in member_page
    assert "Recent activity" in member_page  # health parts for members
    assert "Paula Proposed" in member_page and "Object</a>" in member_page
    assert "p@alpha.test" not in member_page  # the address is for facilitators
    assert "Make facilitator" not in member_page

    facilitator_page = as_user(chapter.fatou.user).get(url).content.decode()
    assert "p@alpha.test" in facilitator_page
    assert "Make facilitator" in facilitator_page and "Close the chapter" in facilitator_page

    admin_page = as_user(admin_a).get(url).content.decode()
    assert "Mia Member" in admin_page
    assert "Recent activity" not in admin_page  # the number only
    assert "The parts are for the chapter" in admin_page


def test_member_proposes_and_facilitator_sends_through_pages(as_user, chapter, sectors):
    client = as_user(chapter.mia.user)
    response = client.post(
        f"/chapters/{chapter.pk}/invite/",
        {
            "email": "friend@alpha.test",
            "name": "Frida Friend",
            "sector": sectors["Media"].pk,
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="friend@alpha.test")
    assert invitation.status == Invitation.Status.PROPOSED

    assert client.post(f"/chapters/invitations/{invitation.pk}/send/").status_code == 403
    client = as_user(chapter.fatou.user)
    assert client.post(f"/chapters/invitations/{invitation.pk}/send/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT


def test_invite_form_shows_the_sector_conflict(as_user, chapter, sectors):
    response = as_user(chapter.fatou.user).post(
        f"/chapters/{chapter.pk}/invite/",
        {
            "email": "rival@alpha.test",
            "sector": sectors["Fintech"].pk,
        },
    )
    assert response.status_code == 400
    assert "The Fintech seat in Lyon Founders is already taken" in response.content.decode()
    assert not Invitation.objects.exists()


def test_object_and_decide_through_pages(as_user, chapter, sectors):
    invitation = sent_invitation(
        chapter,
        email="o@alpha.test",
        sector=sectors["Media"],
        token="tok-page",
        by=chapter.fatou.user,
    )
    client = as_user(chapter.hugo.user)
    assert client.get(f"/chapters/invitations/{invitation.pk}/object/").status_code == 200
    response = client.post(
        f"/chapters/invitations/{invitation.pk}/object/",
        {"reason": "A direct competitor of my company."},
    )
    assert response.status_code == 302
    assert Objection.objects.filter(invitation=invitation).count() == 1

    page = as_user(chapter.fatou.user).get(f"/chapters/{chapter.pk}/").content.decode()
    assert "A direct competitor of my company." in page
    response = as_user(chapter.fatou.user).post(
        f"/chapters/invitations/{invitation.pk}/decide/", {"decision": "withdraw"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_accept_page_for_a_new_person(client_a, chapter, sectors):
    sent_invitation(
        chapter,
        email="newbie@alpha.test",
        sector=sectors["Media"],
        token="tok-newbie",
        by=chapter.fatou.user,
    )
    url = "/chapters/invitations/accept/tok-newbie/"
    page = client_a.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Create your account to accept" in body
    assert "/accounts/signup/?email=newbie%40alpha.test" in body
    assert client_a.session["account_verified_email"] == "newbie@alpha.test"
    # Posting without an account asks to sign in first.
    assert "/accounts/login/" in client_a.post(url, {"accept_agreement": "on"})["Location"]

    signup = client_a.post(
        "/accounts/signup/?next=" + url,
        {
            "email": "newbie@alpha.test",
            "password1": "Very-long-pass-2026",
            "password2": "Very-long-pass-2026",
        },
    )
    assert signup.status_code == 302
    response = client_a.post(url, {"accept_agreement": "on", "company": "Newbie & Co"})
    assert response.status_code == 302, response.content.decode()
    membership = Membership.objects.get(user__email="newbie@alpha.test")
    assert membership.chapter == chapter and membership.sector == sectors["Media"]
    assert membership.user.entrepreneur.company == "Newbie & Co"
    # The link cannot be used twice.
    again = client_a.get(url).content.decode()
    assert "accepted already" in again


def test_accept_page_refusals(client_a, chapter, sectors, org_b):
    invitation = sent_invitation(
        chapter, email="late@alpha.test", sector=sectors["Media"], token="tok-late-page"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    assert (
        "expired on" in client_a.get("/chapters/invitations/accept/tok-late-page/").content.decode()
    )
    assert client_a.get("/chapters/invitations/accept/not-a-token/").status_code == 404
    other = Client(HTTP_HOST="beta.localhost")
    assert other.get("/chapters/invitations/accept/tok-late-page/").status_code == 404


def test_decline_by_link_needs_no_account(client_a, chapter, sectors):
    invitation = sent_invitation(
        chapter, email="nah@alpha.test", sector=sectors["Media"], token="tok-nah"
    )
    response = client_a.post("/chapters/invitations/decline/tok-nah/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED


def test_invited_member_answers_in_the_app(as_user, chapter, person, sectors):
    invited = person("Media", email="invited@alpha.test")
    invitation = sent_invitation(
        chapter,
        email=invited.user.email,
        sector=sectors["Media"],
        token="tok-app",
        invitee=invited.user,
    )
    client = as_user(invited.user)
    assert "Answer" in client.get("/chapters/").content.decode()
    assert (
        as_user(chapter.hugo.user).get(f"/chapters/invitations/{invitation.pk}/").status_code == 404
    )
    client = as_user(invited.user)
    response = client.post(f"/chapters/invitations/{invitation.pk}/", {"accept_agreement": "on"})
    assert response.status_code == 302
    assert Membership.objects.filter(chapter=chapter, user=invited.user).exists()


def test_find_and_ask_to_join(as_user, chapter, person):
    seeker = person("Media")
    client = as_user(seeker.user)
    assert "Lyon Founders" in client.get("/chapters/find/").content.decode()
    response = client.post(f"/chapters/{chapter.pk}/join/", {"message": "Hello"})
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(user=seeker.user)
    # Someone whose sector is taken cannot ask, even by posting directly.
    rival = person("Fintech")
    assert as_user(rival.user).post(f"/chapters/{chapter.pk}/join/").status_code == 404

    client = as_user(chapter.fatou.user)
    assert seeker.user.name in client.get(f"/chapters/{chapter.pk}/").content.decode()
    assert (
        as_user(chapter.mia.user)
        .post(f"/chapters/join-requests/{join_request.pk}/approve/")
        .status_code
        == 404
    )
    response = as_user(chapter.fatou.user).post(
        f"/chapters/join-requests/{join_request.pk}/decline/", {"message": "Not this season."}
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED


def test_propose_page(as_user, person):
    founder = person("Food")
    friend = person("Fintech")
    client = as_user(founder.user)
    page = client.get("/chapters/propose/").content.decode()
    assert "Collaboration agreement" in page and friend.user.name in page
    response = client.post("/chapters/propose/", {"name": "No agreement", "invitees": [friend.pk]})
    assert response.status_code == 400
    response = client.post(
        "/chapters/propose/",
        {"name": "Brand New", "invitees": [friend.pk], "accept_agreement": "on"},
    )
    chapter = Chapter.objects.get(name="Brand New")
    assert response["Location"] == f"/chapters/{chapter.pk}/"


def test_leave_remove_roles_activate_close_through_pages(as_user, chapter, person):
    hugo = Membership.objects.get(chapter=chapter, user=chapter.hugo.user)
    mia = Membership.objects.get(chapter=chapter, user=chapter.mia.user)
    assert as_user(chapter.mia.user).post(f"/chapters/members/{hugo.pk}/remove/").status_code == 403
    client = as_user(chapter.fatou.user)
    assert client.post(f"/chapters/members/{mia.pk}/role/", {"role": "transfer"}).status_code == 302
    mia.refresh_from_db()
    assert mia.role == "facilitator"
    client = as_user(chapter.mia.user)
    assert client.post(f"/chapters/members/{hugo.pk}/remove/").status_code == 302
    assert as_user(chapter.fatou.user).post(f"/chapters/{chapter.pk}/leave/").status_code == 302
    assert Membership.objects.filter(chapter=chapter, left_at__isnull=True).count() == 1
    client = as_user(chapter.mia.user)
    # Below the minimum, reactivating says why.
    chapter.status = Chapter.Status.DORMANT
    chapter.save()
    response = client.post(f"/chapters/{chapter.pk}/activate/", follow=True)
    assert "needs at least 3 members to become active" in response.content.decode()
    response = client.post(f"/chapters/{chapter.pk}/close/", {"reason": "Too few of us"})
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.status == Chapter.Status.CLOSED


def test_admin_pages(as_user, chapter, admin_a):
    assert as_user(chapter.fatou.user).get("/chapters/all/").status_code == 403
    assert as_user(chapter.fatou.user).get("/chapters/settings/").status_code == 403
    client = as_user(admin_a)
    body = client.get("/chapters/all/").content.decode()
    assert "Lyon Founders" in body and ">3<" in body.replace(" ", "")
    response = client.post(
        "/chapters/settings/",
        {
            "min_size": 4,
            "max_size": 3,
            "seats_per_sector": 1,
            "objection_window_days": 3,
            "dormant_after_months": 3,
            "invitation_valid_days": 14,
        },
    )
    assert response.status_code == 400
    response = client.post(
        "/chapters/settings/",
        {
            "min_size": 4,
            "max_size": 10,
            "seats_per_sector": 2,
            "objection_window_days": 5,
            "dormant_after_months": 2,
            "invitation_valid_days": 7,
        },
    )
    assert response.status_code == 302
    rules = ChapterSettings.load()
    assert (rules.min_size, rules.max_size, rules.seats_per_sector) == (4, 10, 2)


def test_agreement_is_versioned(as_user, chapter, admin_a):
    client = as_user(chapter.mia.user)
    assert (
        "Collaborate with the other entrepreneurs"
        in client.get("/chapters/agreement/").content.decode()
    )
    assert client.post("/chapters/agreement/", {"text": "x" * 40}).status_code == 403
    client = as_user(admin_a)
    response = client.post(
        "/chapters/agreement/", {"text": "Collaborate, and be kind to each other."}
    )
    assert response.status_code == 302
    assert list(CollaborationAgreement.objects.values_list("version", flat=True)) == [2, 1]
    # Members who joined earlier keep their v1 acceptance; newcomers accept v2.
    assert Membership.objects.get(user=chapter.mia.user).agreement_acceptance.agreement.version == 1


def test_chapter_of_one_organisation_is_404_on_another(chapter, org_b):
    with schema_context(org_b.schema_name):
        twin = UserFactory(email=chapter.mia.user.email)
        client = Client(HTTP_HOST="beta.localhost")
        client.force_login(twin)
        assert client.get(f"/chapters/{chapter.pk}/").status_code == 404
        assert "Lyon Founders" not in client.get("/chapters/").content.decode()
        assert client.get(f"/api/v1/chapters/{chapter.pk}/").status_code == 404
    connection.set_schema_to_public()


def _grow(chapter, person, sectors, names: list[str], invitations: range):
    for name in names:
        join(chapter, person(name))
    for n in invitations:
        Invitation.objects.create(
            chapter=chapter,
            email=f"grow{n}@alpha.test",
            sector=sectors["Media"],
            proposed_by=chapter.mia.user,
            status=Invitation.Status.HELD,
            objection_window_ends_at=timezone.now() + dt.timedelta(days=3),
        )
        invitation = Invitation.objects.filter(email=f"grow{n}@alpha.test").get()
        Objection.objects.create(invitation=invitation, member=chapter.hugo.user, reason="Because")
        JoinRequest.objects.create(
            chapter=chapter, user=person("Media").user, sector=sectors["Media"]
        )


def test_chapter_page_query_count_is_constant(
    pages_drawn, as_user, chapter, person, sectors, django_assert_num_queries
):
    client = as_user(chapter.fatou.user)
    url = f"/chapters/{chapter.pk}/"
    _grow(chapter, person, sectors, ["Media"], range(1))
    client.get(url)  # warm caches (sessions, settings rows)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(chapter, person, sectors, ["Retail"], range(1, 4))
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_lists_query_counts_are_constant(
    as_user, chapter, person, admin_a, metro, django_assert_num_queries
):
    client = as_user(admin_a)
    client.get("/chapters/all/")
    with CaptureQueriesContext(connection) as small:
        client.get("/chapters/all/")
    for n in range(4):
        extra = ChapterFactory(metro=metro, name=f"Extra {n}")
        join(extra, person("Media"), "facilitator")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/chapters/all/")

    member = as_user(chapter.mia.user)
    member.get("/chapters/")
    with CaptureQueriesContext(connection) as mine:
        member.get("/chapters/")
    for n in range(3):
        other = ChapterFactory(metro=metro, name=f"Mine {n}")
        join(other, chapter.mia)
    with django_assert_num_queries(len(mine.captured_queries)):
        member.get("/chapters/")
