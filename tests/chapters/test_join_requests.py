"""Join requests: finding chapters with a free seat, asking, approval (an invitation) and
decline with a message."""

import pytest

from chapters import services
from chapters.errors import ChapterError, ChapterPermissionDenied, SeatTaken
from chapters.models import Chapter, Invitation, JoinRequest
from chapters.selectors import chapters_joinable_by
from core.errors import Conflict

from .factories import ChapterFactory, EntrepreneurFactory, MetroFactory, join


def test_finder_lists_open_chapters_of_the_metro_with_a_free_seat(chapter, person, metro, rules):
    seeker = person("Media")
    fintech_seeker = person("Fintech")
    other_metro = ChapterFactory(metro=MetroFactory(), status=Chapter.Status.ACTIVE)
    dormant = ChapterFactory(metro=metro, status=Chapter.Status.DORMANT)
    full = ChapterFactory(metro=metro, status=Chapter.Status.ACTIVE, name="Full")
    for sector in ("Food", "Health", "Retail"):
        join(full, person(sector))
    rules.max_size = 3
    rules.save()

    assert [c.pk for c in chapters_joinable_by(seeker.user)] == []  # both full at 3
    rules.max_size = 12
    rules.save()
    assert [c.name for c in chapters_joinable_by(seeker.user)] == ["Full", "Lyon Founders"]
    assert [c.name for c in chapters_joinable_by(fintech_seeker.user)] == ["Full"]
    assert chapters_joinable_by(chapter.mia.user) == [full]  # not the chapter she is in
    assert other_metro not in chapters_joinable_by(seeker.user)
    assert dormant not in chapters_joinable_by(seeker.user)


def test_request_approve_makes_an_invitation(
    chapter, person, django_capture_on_commit_callbacks, mailoutbox
):
    seeker = person("Media", email="seeker@alpha.test")
    join_request = services.join_request_create(
        chapter=chapter, user=seeker.user, message="I'd love to"
    )
    assert chapter.fatou.user.notifications.filter(title__contains="asks to join").exists()
    with pytest.raises(Conflict, match="already asked"):
        services.join_request_create(chapter=chapter, user=seeker.user)
    with pytest.raises(ChapterPermissionDenied):
        services.join_request_approve(join_request=join_request, actor=chapter.mia.user)

    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_approve(join_request=join_request, actor=chapter.fatou.user)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.invitation.status == Invitation.Status.SENT
    assert join_request.invitation.email == "seeker@alpha.test"
    assert any(m.to == ["seeker@alpha.test"] for m in mailoutbox)
    with pytest.raises(ChapterError, match="approved"):
        services.join_request_approve(join_request=join_request, actor=chapter.fatou.user)


def test_request_decline_needs_a_message(
    chapter, person, django_capture_on_commit_callbacks, mailoutbox
):
    seeker = person("Media", email="seeker@alpha.test")
    join_request = services.join_request_create(chapter=chapter, user=seeker.user)
    with pytest.raises(ChapterError, match="short message"):
        services.join_request_decline(
            join_request=join_request, actor=chapter.fatou.user, message=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decline(
            join_request=join_request,
            actor=chapter.fatou.user,
            message="We are full for this season.",
        )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert join_request.response == "We are full for this season."
    (email,) = [m for m in mailoutbox if m.to == ["seeker@alpha.test"]]
    assert "We are full for this season." in email.body


def test_request_rules(chapter, person, in_a):
    rival = person("Fintech")
    with pytest.raises(SeatTaken, match="Fintech seat"):
        services.join_request_create(chapter=chapter, user=rival.user)
    far = EntrepreneurFactory(metro=MetroFactory(name="Faraway"))
    with pytest.raises(ChapterError, match="meets in Lyon"):
        services.join_request_create(chapter=chapter, user=far.user)
    with pytest.raises(ChapterError, match="already a member"):
        services.join_request_create(chapter=chapter, user=chapter.mia.user)
    chapter.status = Chapter.Status.DORMANT
    chapter.save()
    with pytest.raises(ChapterError, match="dormant"):
        services.join_request_create(chapter=chapter, user=person("Media").user)
    assert not JoinRequest.objects.exists()


def test_approval_checks_the_seat_again(chapter, person, sectors):
    seeker = person("Media", email="seeker@alpha.test")
    join_request = services.join_request_create(chapter=chapter, user=seeker.user)
    services.invitation_create(
        chapter=chapter, actor=chapter.fatou.user, email="other@alpha.test", sector=sectors["Media"]
    )
    with pytest.raises(SeatTaken, match="Media seat"):
        services.join_request_approve(join_request=join_request, actor=chapter.fatou.user)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_withdraw(chapter, person):
    seeker = person("Media")
    join_request = services.join_request_create(chapter=chapter, user=seeker.user)
    with pytest.raises(ChapterPermissionDenied):
        services.join_request_withdraw(join_request=join_request, user=chapter.mia.user)
    services.join_request_withdraw(join_request=join_request, user=seeker.user)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.WITHDRAWN


def test_accepting_the_invitation_closes_the_request(chapter, person):
    from chapters.selectors import hash_invitation_token

    seeker = person("Media", email="seeker@alpha.test")
    join_request = services.join_request_create(chapter=chapter, user=seeker.user)
    services.join_request_approve(join_request=join_request, actor=chapter.fatou.user)
    invitation = Invitation.objects.get(email="seeker@alpha.test")
    invitation.token_hash = hash_invitation_token("tok-jr")
    invitation.save()
    services.invitation_accept(invitation=invitation, user=seeker.user, accept_agreement=True)
    assert chapter.memberships.filter(user=seeker.user, left_at__isnull=True).exists()
