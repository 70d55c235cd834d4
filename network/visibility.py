"""Who shares a chapter with whom — asked of whoever knows.

The network sits below the chapters app and must never import it, yet an entrepreneur who chose
"only members of my chapters" must stay visible to those members. So the chapters app registers
a provider at start-up:

    from network.visibility import register_chapter_peers_provider
    register_chapter_peers_provider(chapter_peer_ids)   # (user) -> set of user ids

Several providers may be registered; their answers are merged. With none, nobody is a peer.
"""

from collections.abc import Callable

from core.models import User

ChapterPeersProvider = Callable[[User], set[int]]

_providers: list[ChapterPeersProvider] = []


def register_chapter_peers_provider(func: ChapterPeersProvider) -> ChapterPeersProvider:
    """Register `func(user) -> set[int]` (ids of users who share a chapter with `user`).
    Registering the same function twice is harmless. Returns `func`, so it works as a
    decorator."""
    if func not in _providers:
        _providers.append(func)
    return func


def unregister_chapter_peers_provider(func: ChapterPeersProvider) -> None:
    if func in _providers:
        _providers.remove(func)


def chapter_peer_ids(user: User) -> set[int]:
    """The ids of the users who share at least one chapter with `user` (empty when anonymous)."""
    if not user.is_authenticated:
        return set()
    peers: set[int] = set()
    for provider in _providers:
        peers.update(provider(user))
    return peers
