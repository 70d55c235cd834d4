"""Drop cached host lookups (tenants.host_cache) when the registry changes."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .host_cache import forget_hosts
from .models import Domain, Organization


@receiver(post_save, sender=Organization)
@receiver(post_delete, sender=Organization)
def _organization_changed(sender, instance: Organization, **kwargs) -> None:
    forget_hosts(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))


@receiver(pre_save, sender=Domain)
def _domain_renamed(sender, instance: Domain, **kwargs) -> None:
    if instance.pk:
        forget_hosts(Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True))


@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def _domain_changed(sender, instance: Domain, **kwargs) -> None:
    forget_hosts([instance.domain])
