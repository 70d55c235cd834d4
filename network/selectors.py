"""Reads of the network: geography, sectors, the directory and imports. Permission filtering is
built in, so a view cannot forget it."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from core.models import User
from core.selectors import user_is_organization_admin

from .models import Country, Entrepreneur, ImportJob, Metro, Region, Sector
from .visibility import chapter_peer_ids

# --- Geography and sectors ---------------------------------------------------------------------


def countries_list() -> QuerySet[Country]:
    return Country.objects.annotate(region_count=Count("regions", distinct=True)).order_by("name")


def regions_list() -> QuerySet[Region]:
    return (
        Region.objects.select_related("country")
        .annotate(metro_count=Count("metros", distinct=True))
        .order_by("country__name", "name")
    )


def metros_list() -> QuerySet[Metro]:
    return Metro.objects.select_related("region__country").order_by("name")


def metros_with_counts() -> QuerySet[Metro]:
    return metros_list().annotate(
        member_count=Count("entrepreneurs", filter=Q(entrepreneurs__is_active=True))
    )


def sectors_list(*, include_retired: bool = True) -> QuerySet[Sector]:
    sectors = Sector.objects.order_by("-is_active", "name")
    return sectors if include_retired else sectors.filter(is_active=True)


def sectors_with_counts() -> QuerySet[Sector]:
    """Sectors with their active members (`member_count`) and all holders, deactivated
    members included (`holder_count`: a sector with holders cannot be deleted)."""
    return sectors_list().annotate(
        member_count=Count("entrepreneurs", filter=Q(entrepreneurs__is_active=True)),
        holder_count=Count("entrepreneurs"),
    )


def sectors_visible_to(user: User) -> QuerySet[Sector]:
    """Members pick from sectors in use; admins also see retired ones."""
    return sectors_list(include_retired=user_is_organization_admin(user))


def _get_or_404(queryset: QuerySet, pk) -> object:
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist) as error:
        raise Http404(f"No such {queryset.model._meta.verbose_name}.") from error


def get_country(pk) -> Country:
    return _get_or_404(Country.objects.all(), pk)


def get_region(pk) -> Region:
    return _get_or_404(Region.objects.select_related("country"), pk)


def get_metro(pk) -> Metro:
    return _get_or_404(metros_list(), pk)


def get_sector(pk) -> Sector:
    return _get_or_404(Sector.objects.all(), pk)


def get_sector_for(user: User, pk) -> Sector:
    return _get_or_404(sectors_visible_to(user), pk)


# --- Entrepreneurs -----------------------------------------------------------------------------


def _entrepreneurs() -> QuerySet[Entrepreneur]:
    return Entrepreneur.objects.select_related("user", "metro__region__country", "sector")


def entrepreneurs_visible_to(user: User) -> QuerySet[Entrepreneur]:
    """The profiles `user` may see.

    * anonymous: none;
    * organisation admin: everyone, deactivated members included;
    * member: active members whose profile is open to the network, plus those who show it to
      their chapters only and share a chapter with `user` (asked of the registered chapter-peers
      providers, see network.visibility), plus their own.
    """
    if not user.is_authenticated:
        return Entrepreneur.objects.none()
    if user_is_organization_admin(user):
        return _entrepreneurs()
    visible = Q(visibility=Entrepreneur.Visibility.NETWORK) | Q(user_id=user.pk)
    peers = chapter_peer_ids(user)
    if peers:
        visible |= Q(user_id__in=peers)
    return _entrepreneurs().filter(visible, is_active=True, user__is_active=True)


@dataclass(frozen=True)
class DirectoryFilters:
    query: str = ""
    metro_id: int | None = None
    sector_id: int | None = None
    unaffiliated: bool = False
    # Admins only: "active" (default), "deactivated" or "all".
    status: str = "active"


def entrepreneur_directory(user: User, filters: DirectoryFilters) -> QuerySet[Entrepreneur]:
    """The directory as `user` may see it, searched and filtered, ordered by name.

    The search is a case-insensitive substring match on name, company and bio: people type
    fragments of names ("mar", "bake"), which full-text stemming handles worse, and an
    organisation holds at most tens of thousands of members, which PostgreSQL scans in a few
    milliseconds. See docs/network.md, "Search"."""
    entrepreneurs = entrepreneurs_visible_to(user)
    if user_is_organization_admin(user):
        if filters.status == "active":
            entrepreneurs = entrepreneurs.filter(is_active=True)
        elif filters.status == "deactivated":
            entrepreneurs = entrepreneurs.filter(is_active=False)
    query = " ".join(filters.query.split())
    for term in query.split(" ")[:8] if query else []:
        entrepreneurs = entrepreneurs.filter(
            Q(user__name__icontains=term) | Q(company__icontains=term) | Q(bio__icontains=term)
        )
    if filters.metro_id:
        entrepreneurs = entrepreneurs.filter(metro_id=filters.metro_id)
    if filters.sector_id:
        entrepreneurs = entrepreneurs.filter(sector_id=filters.sector_id)
    if filters.unaffiliated:
        entrepreneurs = entrepreneurs.filter(active_chapter_count=0)
    return entrepreneurs.order_by("user__name", "pk")


def get_entrepreneur_for(user: User, pk) -> Entrepreneur:
    """The profile if `user` may see it; the same 404 whether it is missing or hidden."""
    return _get_or_404(entrepreneurs_visible_to(user), pk)


def entrepreneur_of(user: User) -> Entrepreneur | None:
    return _entrepreneurs().filter(user=user).first()


# --- Imports -----------------------------------------------------------------------------------


def import_jobs_list() -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.select_related("created_by")
        .defer("source", "errors")
        .order_by("-created")
    )


def get_import_job_for(user: User, pk) -> ImportJob:
    if not user_is_organization_admin(user):
        raise Http404("No such import.")
    return _get_or_404(import_jobs_list(), pk)
