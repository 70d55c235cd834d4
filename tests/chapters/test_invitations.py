"""Invitations: proposal and sending, the seat rule at each step, objections, tokens (hashed,
expiring, single use, replaced on resend), acceptance by members and by new people."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from chapters import services
from chapters.errors import ChapterError, ChapterFull, ChapterPermissionDenied, SeatTaken
from chapters.models import AgreementAcceptance, Invitation, Membership, Objection
from chapters.selectors import hash_invitation_token, invitation_by_token
from core.errors import Conflict
from core.models import Notification
from network.models import Entrepreneur
from tests.factories import UserFactory

from .factories import sent_invitation


def test_facilitator_invitation_goes_out_at_once_with_a_hashed_token(
    chapter, sectors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            chapter=chapter,
            actor=chapter.fatou.user,
            email=" New@Alpha.test ",
            sector=sectors["Media"],
            name="Nadia New",
            message="Come along",
        )
    assert invitation.status == Invitation.Status.SENT
    assert invitation.email == "new@alpha.test"
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    (email,) = [m for m in mail.outbox if m.to == ["new@alpha.test"]]
    token = email.body.split("/chapters/invitations/accept/")[1].split("/")[0]
    assert invitation.token_hash == hash_invitation_token(token)
    assert token not in invitation.token_hash  # only the hash is stored
    assert invitation_by_token(token) == invitation
    assert "Media seat" in email.body and "Come along" in email.body
    # The other members hear of it and of their objection window.
    titles = set(Notification.objects.filter(user=chapter.mia.user).values_list("title", flat=True))
    assert any("invited Nadia New (Media)" in title for title in titles)


def test_member_proposal_waits_for_a_facilitator(chapter, sectors):
    invitation = services.invitation_create(
        chapter=chapter, actor=chapter.mia.user, email="friend@alpha.test", sector=sectors["Media"]
    )
    assert invitation.status == Invitation.Status.PROPOSED
    assert invitation.token_hash is None
    assert Notification.objects.filter(
        user=chapter.fatou.user, title__contains="proposes inviting"
    ).exists()
    with pytest.raises(ChapterPermissionDenied):
        services.invitation_send(invitation=invitation, actor=chapter.hugo.user)
    services.invitation_send(invitation=invitation, actor=chapter.fatou.user)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT and invitation.sent_by == chapter.fatou.user


def test_outsiders_cannot_invite(chapter, person, sectors, admin_a):
    outsider = person("Media")
    with pytest.raises(ChapterPermissionDenied):
        services.invitation_create(
            chapter=chapter, actor=outsider.user, email="x@alpha.test", sector=sectors["Retail"]
        )
    # An organisation admin runs membership and sends directly.
    invitation = services.invitation_create(
        chapter=chapter, actor=admin_a, email="x@alpha.test", sector=sectors["Retail"]
    )
    assert invitation.status == Invitation.Status.SENT


def test_seat_rule_at_proposal_names_the_sector(chapter, person, sectors):
    rival = person("Fintech", email="rival@alpha.test")
    with pytest.raises(
        SeatTaken, match="The Fintech seat in Lyon Founders is already taken by a member"
    ):
        services.invitation_create(
            chapter=chapter, actor=chapter.fatou.user, email=rival.user.email
        )
    # A new person's sector is the one chosen for them.
    with pytest.raises(SeatTaken, match="Health seat"):
        services.invitation_create(
            chapter=chapter,
            actor=chapter.fatou.user,
            email="new@alpha.test",
            sector=sectors["Health"],
        )
    # An open invitation holds its seat.
    services.invitation_create(
        chapter=chapter, actor=chapter.fatou.user, email="first@alpha.test", sector=sectors["Media"]
    )
    with pytest.raises(SeatTaken, match=r"Media seat .* by a pending invitation"):
        services.invitation_create(
            chapter=chapter,
            actor=chapter.fatou.user,
            email="second@alpha.test",
            sector=sectors["Media"],
        )
    assert Invitation.objects.filter(chapter=chapter).count() == 1


def test_two_seats_per_sector_when_the_organisation_allows(chapter, person, rules):
    rules.seats_per_sector = 2
    rules.save()
    second = person("Fintech", email="second@alpha.test")
    invitation = services.invitation_create(
        chapter=chapter, actor=chapter.fatou.user, email=second.user.email
    )
    token = "two-seats"
    invitation.token_hash = hash_invitation_token(token)
    invitation.save()
    membership = services.invitation_accept(
        invitation=invitation, user=second.user, accept_agreement=True
    )
    assert membership.seat_number == 2
    third = person("Fintech", email="third@alpha.test")
    with pytest.raises(SeatTaken, match="A chapter has 2 seats per sector"):
        services.invitation_create(
            chapter=chapter, actor=chapter.fatou.user, email=third.user.email
        )


def test_size_bound_at_proposal(chapter, rules, sectors):
    rules.max_size = 4
    rules.save()
    services.invitation_create(
        chapter=chapter, actor=chapter.fatou.user, email="a@alpha.test", sector=sectors["Media"]
    )
    with pytest.raises(ChapterFull, match="3 members and 1 pending invitations fill its 4 places"):
        services.invitation_create(
            chapter=chapter,
            actor=chapter.fatou.user,
            email="b@alpha.test",
            sector=sectors["Retail"],
        )


def test_invite_validations(chapter, sectors):
    with pytest.raises(ChapterError, match="valid email"):
        services.invitation_create(
            chapter=chapter, actor=chapter.fatou.user, email="nope", sector=sectors["Media"]
        )
    with pytest.raises(ChapterError, match="Choose the sector"):
        services.invitation_create(
            chapter=chapter, actor=chapter.fatou.user, email="new@alpha.test"
        )
    with pytest.raises(ChapterError, match="already a member"):
        services.invitation_create(
            chapter=chapter, actor=chapter.fatou.user, email=chapter.mia.user.email
        )
    services.invitation_create(
        chapter=chapter, actor=chapter.fatou.user, email="dup@alpha.test", sector=sectors["Media"]
    )
    with pytest.raises(Conflict, match="already has an open invitation"):
        services.invitation_create(
            chapter=chapter,
            actor=chapter.fatou.user,
            email="DUP@alpha.test",
            sector=sectors["Retail"],
        )


def test_new_person_accepts_after_signing_up(chapter, sectors):
    invitation = sent_invitation(
        chapter,
        email="newbie@alpha.test",
        sector=sectors["Media"],
        token="tok-new",
        by=chapter.fatou.user,
    )
    newbie = UserFactory(email="newbie@alpha.test")
    assert not Entrepreneur.objects.filter(user=newbie).exists()

    membership = services.invitation_accept(
        invitation=invitation, user=newbie, accept_agreement=True, company="Newco"
    )

    profile = Entrepreneur.objects.get(user=newbie)
    assert (profile.sector, profile.metro, profile.company) == (
        sectors["Media"],
        chapter.metro,
        "Newco",
    )
    assert profile.active_chapter_count == 1
    assert membership.role == Membership.Role.MEMBER and membership.sector == sectors["Media"]
    assert AgreementAcceptance.objects.get(membership=membership).agreement.version == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.membership == membership


def test_token_is_single_use(chapter, sectors):
    invitation = sent_invitation(
        chapter, email="once@alpha.test", sector=sectors["Media"], token="tok-once"
    )
    user = UserFactory(email="once@alpha.test")
    services.invitation_accept(invitation=invitation, user=user, accept_agreement=True)
    with pytest.raises(ChapterError, match="accepted already") as error:
        services.invitation_accept(
            invitation=invitation_by_token("tok-once"), user=user, accept_agreement=True
        )
    assert error.value.code == "used"
    assert Membership.objects.filter(chapter=chapter, user=user).count() == 1


def test_expired_token_is_refused_and_swept(chapter, sectors):
    invitation = sent_invitation(
        chapter, email="late@alpha.test", sector=sectors["Media"], token="tok-late"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    invitation.refresh_from_db()
    user = UserFactory(email="late@alpha.test")
    with pytest.raises(ChapterError, match="expired on") as error:
        services.invitation_accept(invitation=invitation, user=user, accept_agreement=True)
    assert error.value.code == "expired"
    assert services.invitations_expire() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED


def test_resend_replaces_the_token(chapter, sectors, django_capture_on_commit_callbacks):
    invitation = sent_invitation(
        chapter, email="again@alpha.test", sector=sectors["Media"], token="tok-old"
    )
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.EXPIRED)
    invitation.refresh_from_db()
    with pytest.raises(ChapterPermissionDenied):
        services.invitation_resend(invitation=invitation, actor=chapter.mia.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, actor=chapter.fatou.user)
    assert invitation_by_token("tok-old") is None
    token = mail.outbox[-1].body.split("/chapters/invitations/accept/")[1].split("/")[0]
    fresh = invitation_by_token(token)
    assert fresh.pk == invitation.pk and fresh.status == Invitation.Status.SENT
    assert fresh.expires_at > timezone.now() + dt.timedelta(days=13)


def test_accept_needs_the_invited_address_and_the_agreement(chapter, sectors):
    invitation = sent_invitation(
        chapter, email="right@alpha.test", sector=sectors["Media"], token="tok-addr"
    )
    wrong = UserFactory(email="wrong@alpha.test")
    with pytest.raises(ChapterPermissionDenied, match=r"sent to right@alpha\.test"):
        services.invitation_accept(invitation=invitation, user=wrong, accept_agreement=True)
    right = UserFactory(email="right@alpha.test")
    with pytest.raises(ChapterError, match="collaboration agreement"):
        services.invitation_accept(invitation=invitation, user=right, accept_agreement=False)
    assert not Membership.objects.filter(user__in=[wrong, right]).exists()


def test_seat_rule_at_acceptance_uses_the_profile_sector(chapter, person, sectors):
    """Invited for a free sector, but the profile now says Fintech, which is taken."""
    switcher = person("Media", email="switch@alpha.test")
    invitation = services.invitation_create(
        chapter=chapter, actor=chapter.fatou.user, email=switcher.user.email
    )
    invitation.token_hash = hash_invitation_token("tok-switch")
    invitation.save()
    Entrepreneur.objects.filter(pk=switcher.pk).update(sector=sectors["Fintech"])
    with pytest.raises(SeatTaken, match="The Fintech seat in Lyon Founders is already taken"):
        services.invitation_accept(invitation=invitation, user=switcher.user, accept_agreement=True)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    assert Entrepreneur.objects.get(pk=switcher.pk).active_chapter_count == 0


def test_size_bound_at_acceptance(chapter, rules, sectors):
    invitation = sent_invitation(
        chapter, email="full@alpha.test", sector=sectors["Media"], token="tok-full"
    )
    rules.max_size = 3
    rules.save()
    with pytest.raises(ChapterFull, match="Lyon Founders is full: a chapter has at most 3 members"):
        services.invitation_accept(
            invitation=invitation, user=UserFactory(email="full@alpha.test"), accept_agreement=True
        )


def test_first_member_of_an_empty_chapter_facilitates(metro, sectors, person):
    from .factories import ChapterFactory

    empty = ChapterFactory(metro=metro)
    first = person("Media", email="first@alpha.test")
    invitation = sent_invitation(
        empty, email=first.user.email, sector=sectors["Media"], token="tok-first"
    )
    membership = services.invitation_accept(
        invitation=invitation, user=first.user, accept_agreement=True
    )
    assert membership.role == Membership.Role.FACILITATOR


def test_decline_and_revoke(chapter, sectors):
    declined = sent_invitation(
        chapter, email="no@alpha.test", sector=sectors["Media"], token="tok-no"
    )
    services.invitation_decline(invitation=declined)
    declined.refresh_from_db()
    assert declined.status == Invitation.Status.DECLINED
    with pytest.raises(ChapterError, match="declined"):
        services.invitation_decline(invitation=declined)

    revoked = sent_invitation(
        chapter, email="gone@alpha.test", sector=sectors["Retail"], token="tok-gone"
    )
    with pytest.raises(ChapterPermissionDenied):
        services.invitation_revoke(invitation=revoked, actor=chapter.mia.user)
    services.invitation_revoke(invitation=revoked, actor=chapter.fatou.user)
    with pytest.raises(ChapterError, match="withdrawn") as error:
        services.invitation_accept(
            invitation=invitation_by_token("tok-gone"),
            user=UserFactory(email="gone@alpha.test"),
            accept_agreement=True,
        )
    assert error.value.code == "revoked"


def test_proposer_may_withdraw_own_proposal(chapter, sectors):
    invitation = services.invitation_create(
        chapter=chapter, actor=chapter.mia.user, email="mine@alpha.test", sector=sectors["Media"]
    )
    services.invitation_revoke(invitation=invitation, actor=chapter.mia.user)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


# --- Objections ---------------------------------------------------------------------------------


def test_objection_holds_the_invitation_until_the_facilitator_decides(
    chapter, sectors, django_capture_on_commit_callbacks
):
    invitation = sent_invitation(
        chapter,
        email="maybe@alpha.test",
        sector=sectors["Media"],
        token="tok-maybe",
        by=chapter.fatou.user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        objection = services.objection_raise(
            invitation=invitation,
            member=chapter.hugo.user,
            reason="She competes with my main client.",
        )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.HELD
    assert objection.status == Objection.Status.OPEN
    assert any(m.to == ["fatou@alpha.test"] and "Objection" in m.subject for m in mail.outbox)
    # The reason never goes into the audit log or the email.
    assert all("main client" not in m.body for m in mail.outbox)
    from core.models import AuditEntry

    assert not AuditEntry.objects.filter(data__icontains="main client").exists()

    with pytest.raises(ChapterError, match="on hold") as error:
        services.invitation_accept(
            invitation=invitation, user=UserFactory(email="maybe@alpha.test"), accept_agreement=True
        )
    assert error.value.code == "held"
    with pytest.raises(ChapterPermissionDenied):
        services.objection_decide(invitation=invitation, actor=chapter.mia.user, proceed=True)

    services.objection_decide(
        invitation=invitation, actor=chapter.fatou.user, proceed=True, note="Different markets"
    )
    invitation.refresh_from_db()
    objection.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    assert objection.status == Objection.Status.OVERRULED
    assert objection.decided_by == chapter.fatou.user
    assert Notification.objects.filter(
        user=chapter.hugo.user, title__contains="goes ahead"
    ).exists()


def test_upheld_objection_withdraws(chapter, sectors):
    invitation = services.invitation_create(
        chapter=chapter, actor=chapter.mia.user, email="p@alpha.test", sector=sectors["Media"]
    )
    services.objection_raise(
        invitation=invitation, member=chapter.hugo.user, reason="Known conflict of interest"
    )
    services.objection_decide(invitation=invitation, actor=chapter.fatou.user, proceed=False)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert invitation.objections.get().status == Objection.Status.UPHELD
    assert Notification.objects.filter(user=chapter.mia.user, title__contains="withdrawn").exists()


def test_objection_rules(chapter, person, sectors):
    invitation = services.invitation_create(
        chapter=chapter, actor=chapter.mia.user, email="p@alpha.test", sector=sectors["Media"]
    )
    outsider = person("Retail")
    with pytest.raises(ChapterPermissionDenied):
        services.objection_raise(
            invitation=invitation, member=outsider.user, reason="I do not like it"
        )
    with pytest.raises(ChapterError, match="withdraw it instead"):
        services.objection_raise(
            invitation=invitation, member=chapter.mia.user, reason="Changed my mind"
        )
    with pytest.raises(ChapterError, match="reason"):
        services.objection_raise(invitation=invitation, member=chapter.hugo.user, reason="no")
    Invitation.objects.filter(pk=invitation.pk).update(
        objection_window_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    invitation.refresh_from_db()
    with pytest.raises(ChapterError, match="window for this invitation has closed"):
        services.objection_raise(
            invitation=invitation, member=chapter.hugo.user, reason="Too late to say this"
        )
    assert not Objection.objects.exists()


def test_one_objection_per_member(chapter, sectors):
    invitation = services.invitation_create(
        chapter=chapter, actor=chapter.mia.user, email="p@alpha.test", sector=sectors["Media"]
    )
    services.objection_raise(
        invitation=invitation, member=chapter.hugo.user, reason="Known conflict of interest"
    )
    with pytest.raises(Conflict):
        services.objection_raise(
            invitation=invitation, member=chapter.hugo.user, reason="Known conflict of interest"
        )
