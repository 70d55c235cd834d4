"""Leaving, removal and the facilitator role; history is kept and profile counts follow."""

import pytest

from chapters import services
from chapters.errors import ChapterError, ChapterPermissionDenied
from chapters.models import Membership
from chapters.selectors import chapter_member_user_ids, chapter_peer_user_ids
from network.models import Entrepreneur

from .factories import ChapterFactory, join


def current(chapter, person) -> Membership:
    return Membership.objects.get(chapter=chapter, user=person.user, left_at__isnull=True)


def count_of(person) -> int:
    return Entrepreneur.objects.get(pk=person.pk).active_chapter_count


def test_leave_keeps_history_and_decrements_the_count(chapter):
    assert count_of(chapter.mia) == 1
    membership = services.membership_leave(
        membership=current(chapter, chapter.mia), actor=chapter.mia.user
    )
    assert membership.left_at is not None and membership.end_reason == "left"
    assert Membership.objects.filter(chapter=chapter, user=chapter.mia.user).exists()
    assert count_of(chapter.mia) == 0
    assert chapter.mia.user_id not in chapter_member_user_ids(chapter)
    with pytest.raises(ChapterError, match="no longer a member"):
        services.membership_leave(membership=membership, actor=chapter.mia.user)


def test_someone_else_cannot_leave_for_you(chapter):
    with pytest.raises(ChapterPermissionDenied):
        services.membership_leave(
            membership=current(chapter, chapter.mia), actor=chapter.fatou.user
        )


def test_only_facilitator_must_hand_over_before_leaving(chapter):
    fatou = current(chapter, chapter.fatou)
    with pytest.raises(ChapterError, match="only facilitator"):
        services.membership_leave(membership=fatou, actor=chapter.fatou.user)
    services.facilitation_transfer(
        chapter=chapter, to_membership=current(chapter, chapter.mia), actor=chapter.fatou.user
    )
    assert current(chapter, chapter.mia).role == Membership.Role.FACILITATOR
    assert current(chapter, chapter.fatou).role == Membership.Role.MEMBER
    services.membership_leave(membership=current(chapter, chapter.fatou), actor=chapter.fatou.user)
    assert count_of(chapter.fatou) == 0


def test_last_member_may_leave_as_facilitator(metro, person):
    alone = ChapterFactory(metro=metro)
    solo = person("Media")
    membership = join(alone, solo, "facilitator")
    services.membership_leave(membership=membership, actor=solo.user)
    assert count_of(solo) == 0


def test_remove_by_facilitator(chapter):
    with pytest.raises(ChapterPermissionDenied):
        services.membership_remove(
            membership=current(chapter, chapter.hugo), actor=chapter.mia.user
        )
    with pytest.raises(ChapterError, match="leave it"):
        services.membership_remove(
            membership=current(chapter, chapter.fatou), actor=chapter.fatou.user
        )
    removed = services.membership_remove(
        membership=current(chapter, chapter.hugo), actor=chapter.fatou.user, reason="Left the metro"
    )
    assert removed.end_reason == "removed"
    assert count_of(chapter.hugo) == 0
    assert chapter.hugo.user.notifications.filter(title__contains="no longer a member").exists()


def test_admin_cannot_remove_the_only_facilitator(chapter, admin_a):
    with pytest.raises(ChapterError, match="only facilitator"):
        services.membership_remove(membership=current(chapter, chapter.fatou), actor=admin_a)


def test_roles_keep_at_least_one_facilitator(chapter):
    with pytest.raises(ChapterError, match="at least one facilitator"):
        services.membership_set_role(
            membership=current(chapter, chapter.fatou),
            role=Membership.Role.MEMBER,
            actor=chapter.fatou.user,
        )
    services.membership_set_role(
        membership=current(chapter, chapter.hugo),
        role=Membership.Role.FACILITATOR,
        actor=chapter.fatou.user,
    )
    services.membership_set_role(
        membership=current(chapter, chapter.fatou),
        role=Membership.Role.MEMBER,
        actor=chapter.fatou.user,
    )
    roles = dict(Membership.objects.filter(chapter=chapter).values_list("user__email", "role"))
    assert roles == {
        "fatou@alpha.test": "member",
        "member@alpha.test": "member",
        "hugo@alpha.test": "facilitator",
    }
    with pytest.raises(ChapterError, match="Unknown role"):
        services.membership_set_role(
            membership=current(chapter, chapter.mia), role="boss", actor=chapter.hugo.user
        )


def test_transfer_needs_a_facilitator(chapter):
    with pytest.raises(ChapterPermissionDenied):
        services.facilitation_transfer(
            chapter=chapter, to_membership=current(chapter, chapter.hugo), actor=chapter.mia.user
        )


def test_rejoining_after_leaving_is_a_new_membership(chapter, sectors):
    from .factories import sent_invitation

    services.membership_leave(membership=current(chapter, chapter.mia), actor=chapter.mia.user)
    invitation = sent_invitation(
        chapter, email=chapter.mia.user.email, sector=sectors["Fintech"], token="tok-back"
    )
    services.invitation_accept(invitation=invitation, user=chapter.mia.user, accept_agreement=True)
    assert Membership.objects.filter(chapter=chapter, user=chapter.mia.user).count() == 2
    assert count_of(chapter.mia) == 1


def test_peer_provider_for_the_directory(chapter, person):
    outsider = person("Media")
    peers = chapter_peer_user_ids(chapter.mia.user)
    assert peers == {chapter.fatou.user_id, chapter.mia.user_id, chapter.hugo.user_id}
    assert chapter_peer_user_ids(outsider.user) == set()


def test_peer_provider_is_registered_with_the_network(chapter):
    from network import visibility

    assert chapter.fatou.user_id in visibility.chapter_peer_ids(chapter.mia.user)
