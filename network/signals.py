"""Extension points only: a new account gets its entrepreneur profile."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver


@receiver(user_signed_up, dispatch_uid="network.entrepreneur_on_signup")
def entrepreneur_on_signup(sender, request, user, **kwargs) -> None:
    from .services import entrepreneur_ensure

    entrepreneur_ensure(user=user)
