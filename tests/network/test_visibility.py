"""Who sees which profile: anonymous, member, chapter peer, admin; deactivated members."""

from django.contrib.auth.models import AnonymousUser

from network.models import Entrepreneur
from network.selectors import (
    DirectoryFilters,
    entrepreneur_directory,
    entrepreneurs_visible_to,
    get_entrepreneur_for,
)
from network.services import entrepreneur_deactivate, entrepreneur_ensure
from network.visibility import (
    chapter_peer_ids,
    register_chapter_peers_provider,
    unregister_chapter_peers_provider,
)

from .factories import EntrepreneurFactory, MetroFactory, SectorFactory


def _names(queryset) -> set[str]:
    return {entrepreneur.user.name for entrepreneur in queryset}


def _people():
    open_profile = EntrepreneurFactory(user__name="Olga Open")
    private = EntrepreneurFactory(
        user__name="Pia Private", visibility=Entrepreneur.Visibility.CHAPTERS
    )
    return open_profile, private


def test_anonymous_sees_nobody(in_a):
    _people()
    assert not entrepreneurs_visible_to(AnonymousUser()).exists()


def test_member_sees_open_profiles_and_own_but_not_chapters_only(member_a):
    _people()
    own = entrepreneur_ensure(user=member_a)
    own.visibility = Entrepreneur.Visibility.CHAPTERS
    own.save()
    assert _names(entrepreneurs_visible_to(member_a)) == {"Olga Open", "Mia Member"}


def test_chapter_peer_sees_chapters_only_profile(member_a):
    _, private = _people()

    def peers(user):
        return {private.user_id} if user.pk == member_a.pk else set()

    register_chapter_peers_provider(peers)
    register_chapter_peers_provider(peers)  # twice is harmless
    try:
        assert chapter_peer_ids(member_a) == {private.user_id}
        assert _names(entrepreneurs_visible_to(member_a)) == {"Olga Open", "Pia Private"}
        assert get_entrepreneur_for(member_a, private.pk) == private
    finally:
        unregister_chapter_peers_provider(peers)
    assert _names(entrepreneurs_visible_to(member_a)) == {"Olga Open"}


def test_providers_are_merged_and_default_is_empty(member_a):
    assert chapter_peer_ids(member_a) == set()
    register_chapter_peers_provider(lambda user: {1, 2})
    register_chapter_peers_provider(lambda user: {2, 3})
    assert chapter_peer_ids(member_a) == {1, 2, 3}
    assert chapter_peer_ids(AnonymousUser()) == set()


def test_admin_sees_everyone_including_deactivated(admin_a):
    open_profile, _ = _people()
    entrepreneur_deactivate(entrepreneur=open_profile, actor=admin_a)
    assert _names(entrepreneurs_visible_to(admin_a)) == {"Olga Open", "Pia Private"}
    # The directory shows active accounts unless the admin asks for the others.
    assert _names(entrepreneur_directory(admin_a, DirectoryFilters())) == {"Pia Private"}
    deactivated = entrepreneur_directory(admin_a, DirectoryFilters(status="deactivated"))
    assert _names(deactivated) == {"Olga Open"}
    assert len(entrepreneur_directory(admin_a, DirectoryFilters(status="all"))) == 2


def test_deactivated_member_is_hidden_from_members(admin_a, member_a):
    open_profile, _ = _people()
    entrepreneur_deactivate(entrepreneur=open_profile, actor=admin_a)
    assert "Olga Open" not in _names(entrepreneurs_visible_to(member_a))
    # A member cannot widen their view with the admins' status filter.
    everyone = entrepreneur_directory(member_a, DirectoryFilters(status="all"))
    assert "Olga Open" not in _names(everyone)


def test_directory_search_and_filters(member_a):
    paris, lyon = MetroFactory(name="Paris"), MetroFactory(name="Lyon")
    food, fintech = SectorFactory(name="Food"), SectorFactory(name="Fintech")
    EntrepreneurFactory(
        user__name="Marco Rossi", company="Pasta Lab", metro=paris, sector=food, bio="Fresh pasta"
    )
    EntrepreneurFactory(
        user__name="Léa Martin",
        company="Ledgerline",
        metro=paris,
        sector=fintech,
        bio="Payments for bakeries",
        active_chapter_count=1,
    )
    EntrepreneurFactory(
        user__name="Omar Haddad", company="Lyon Bakes", metro=lyon, sector=food, bio="Bread"
    )

    def search(**filters):
        return _names(entrepreneur_directory(member_a, DirectoryFilters(**filters)))

    assert search(query="MART") == {"Léa Martin"}  # names, case-insensitive
    assert search(query="mar") == {"Marco Rossi", "Léa Martin", "Omar Haddad"}  # substrings
    assert search(query="BAKE") == {"Léa Martin", "Omar Haddad"}  # bio and company
    assert search(query="bake lyon") == {"Omar Haddad"}  # every word must match
    assert search(metro_id=paris.pk) == {"Marco Rossi", "Léa Martin"}
    assert search(sector_id=food.pk, metro_id=paris.pk) == {"Marco Rossi"}
    assert search(metro_id=paris.pk, unaffiliated=True) == {"Marco Rossi"}
    assert search(query="nobody-like-this") == set()
