"""Pages of the network: the directory and profiles for members; geography, sectors and imports
for organisation admins. Thin: parse the form, call one selector or service, render."""

import csv
import functools
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.pagecache import cached_page
from core.pagination import KeptCountPaginator
from core.selectors import user_is_organization_admin

from . import selectors, services
from .forms import (
    CountryForm,
    DirectoryForm,
    EntrepreneurForm,
    ImportForm,
    MetroForm,
    RegionForm,
    SectorForm,
    form_add_error,
)
from .models import Metro, Sector

DIRECTORY_PAGE_SIZE = 25


def admin_required(view):
    """Organisation admins only (403 for other members, sign-in for visitors)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_is_organization_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- Directory and profiles --------------------------------------------------------------------


@login_required
@cached_page
def directory(request):
    is_admin = user_is_organization_admin(request.user)
    form = DirectoryForm(
        request.GET or None,
        is_admin=is_admin,
        metros=Metro.objects.order_by("name"),
        sectors=selectors.sectors_visible_to(request.user).order_by("name"),
    )
    filters = selectors.DirectoryFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.DirectoryFilters(
            query=data["q"],
            metro_id=data["metro"].pk if data["metro"] else None,
            sector_id=data["sector"].pk if data["sector"] else None,
            unaffiliated=data["unaffiliated"],
            status=data.get("status") or "active",
        )
    entrepreneurs = selectors.entrepreneur_directory(request.user, filters)
    page = KeptCountPaginator(entrepreneurs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "is_admin": is_admin,
        "query_string": query.urlencode(),
        "filtered": any([filters.query, filters.metro_id, filters.sector_id, filters.unaffiliated]),
    }
    if request.htmx and request.htmx.target == "directory-results":
        return render(request, "network/_directory_results.html", context)
    return render(request, "network/directory.html", context)


@login_required
def person(request, pk: int):
    entrepreneur = selectors.get_entrepreneur_for(request.user, pk)
    return render(
        request,
        "network/person.html",
        {
            "entrepreneur": entrepreneur,
            "is_admin": user_is_organization_admin(request.user),
            "is_own": entrepreneur.user_id == request.user.pk,
        },
    )


@login_required
def person_photo(request, pk: int):
    """The photo, served only to those who may see the profile."""
    entrepreneur = selectors.get_entrepreneur_for(request.user, pk)
    if not entrepreneur.photo:
        raise Http404("No photo.")
    try:
        handle = entrepreneur.photo.open("rb")
    except FileNotFoundError as error:
        raise Http404("No photo.") from error
    content_type = mimetypes.guess_type(entrepreneur.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def profile_edit(request):
    entrepreneur = services.entrepreneur_ensure(user=request.user)
    form = EntrepreneurForm(request.POST or None, request.FILES or None, entrepreneur=entrepreneur)
    if request.method == "POST" and form.is_valid():
        try:
            services.entrepreneur_update(
                entrepreneur=entrepreneur,
                actor=request.user,
                values=form.profile_values(),
                photo=form.cleaned_data.get("photo") or None,
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("network:person", pk=entrepreneur.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "network/profile_edit.html",
        {"form": form, "entrepreneur": entrepreneur},
        status=status,
    )


@admin_required
@require_POST
def person_deactivate(request, pk: int):
    entrepreneur = selectors.get_entrepreneur_for(request.user, pk)
    try:
        services.entrepreneur_deactivate(entrepreneur=entrepreneur, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is deactivated and can no longer sign in.") % {"name": entrepreneur},
        )
    return redirect("network:person", pk=entrepreneur.pk)


@admin_required
@require_POST
def person_reactivate(request, pk: int):
    entrepreneur = selectors.get_entrepreneur_for(request.user, pk)
    services.entrepreneur_reactivate(entrepreneur=entrepreneur, actor=request.user)
    messages.success(request, _("%(name)s is active again.") % {"name": entrepreneur})
    return redirect("network:person", pk=entrepreneur.pk)


# --- Network admin: geography and sectors ------------------------------------------------------


@admin_required
def admin_home(request):
    return render(
        request,
        "network/admin/home.html",
        {
            "country_count": selectors.countries_list().count(),
            "region_count": selectors.regions_list().count(),
            "metro_count": selectors.metros_list().count(),
            "sector_count": selectors.sectors_list(include_retired=False).count(),
            "recent_imports": selectors.import_jobs_list()[:3],
            "section": "home",
        },
    )


def _list_and_create(request, *, form, create, template: str, context: dict, success: str):
    if request.method == "POST" and form.is_valid():
        try:
            created = create(form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, success % {"name": created})
            return redirect(request.path)
    status = 400 if form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)


def _edit(request, *, form, update, back: str, title: str, section: str, extra: dict | None = None):
    if request.method == "POST" and form.is_valid():
        try:
            update(form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    status = 400 if form.errors else 200
    return render(
        request,
        "network/admin/edit.html",
        {
            "form": form,
            "back": back,
            "title": title,
            "section": section,
            **(extra or {}),
        },
        status=status,
    )


@admin_required
def countries(request):
    return _list_and_create(
        request,
        form=CountryForm(request.POST or None),
        create=lambda data: services.country_create(actor=request.user, **data),
        template="network/admin/countries.html",
        context={"countries": selectors.countries_list(), "section": "countries"},
        success=_("Country “%(name)s” added."),
    )


@admin_required
def country_edit(request, pk: int):
    country = selectors.get_country(pk)
    form = CountryForm(request.POST or None, initial={"name": country.name, "code": country.code})
    return _edit(
        request,
        form=form,
        back=reverse("network:countries"),
        section="countries",
        title=_("Edit %(name)s") % {"name": country.name},
        update=lambda data: services.country_update(country=country, actor=request.user, **data),
    )


@admin_required
def regions(request):
    return _list_and_create(
        request,
        form=RegionForm(request.POST or None),
        create=lambda data: services.region_create(actor=request.user, **data),
        template="network/admin/regions.html",
        context={"regions": selectors.regions_list(), "section": "regions"},
        success=_("Region “%(name)s” added."),
    )


@admin_required
def region_edit(request, pk: int):
    region = selectors.get_region(pk)
    form = RegionForm(
        request.POST or None, initial={"country": region.country_id, "name": region.name}
    )
    return _edit(
        request,
        form=form,
        back=reverse("network:regions"),
        section="regions",
        title=_("Edit %(name)s") % {"name": region.name},
        update=lambda data: services.region_update(region=region, actor=request.user, **data),
    )


@admin_required
def metros(request):
    return _list_and_create(
        request,
        form=MetroForm(request.POST or None),
        create=lambda data: services.metro_create(actor=request.user, **data),
        template="network/admin/metros.html",
        context={"metros": selectors.metros_with_counts(), "section": "metros"},
        success=_("Metro “%(name)s” added."),
    )


@admin_required
def metro_edit(request, pk: int):
    metro = selectors.get_metro(pk)
    form = MetroForm(
        request.POST or None,
        initial={
            "region": metro.region_id,
            "name": metro.name,
            "time_zone": metro.time_zone,
        },
    )
    return _edit(
        request,
        form=form,
        back=reverse("network:metros"),
        section="metros",
        title=_("Edit %(name)s") % {"name": metro.name},
        update=lambda data: services.metro_update(metro=metro, actor=request.user, **data),
    )


@admin_required
def sectors(request):
    return _list_and_create(
        request,
        form=SectorForm(request.POST or None),
        create=lambda data: services.sector_create(actor=request.user, **data),
        template="network/admin/sectors.html",
        context={"sectors": selectors.sectors_with_counts(), "section": "sectors"},
        success=_("Sector “%(name)s” added."),
    )


@admin_required
def sector_edit(request, pk: int):
    sector = selectors.get_sector(pk)
    form = SectorForm(
        request.POST or None,
        initial={
            "name": sector.name,
            "description": sector.description,
        },
    )
    return _edit(
        request,
        form=form,
        back=reverse("network:sectors"),
        section="sectors",
        title=_("Edit %(name)s") % {"name": sector.name},
        update=lambda data: services.sector_update(sector=sector, actor=request.user, **data),
        extra={"sector": sector},
    )


SECTOR_ACTIONS = {
    "retire": (
        services.sector_retire,
        gettext_lazy("“%(name)s” is retired: members keep it, nobody new can choose it."),
    ),
    "reactivate": (services.sector_reactivate, gettext_lazy("“%(name)s” is in use again.")),
    "delete": (services.sector_delete, gettext_lazy("“%(name)s” is deleted.")),
}


@admin_required
@require_POST
def sector_action(request, pk: int, action: str):
    if action not in SECTOR_ACTIONS:
        raise Http404("No such action.")
    sector: Sector = selectors.get_sector(pk)
    service, success = SECTOR_ACTIONS[action]
    try:
        service(sector=sector, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success % {"name": sector.name})
    return redirect("network:sectors")


# --- Network admin: imports --------------------------------------------------------------------


@admin_required
def imports(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                send_invitations=form.cleaned_data["send_invitations"],
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("network:import", pk=job.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "network/admin/imports.html",
        {
            "form": form,
            "jobs": selectors.import_jobs_list()[:50],
            "section": "imports",
            "max_rows": services.MAX_ROWS,
            "columns": services.REQUIRED_COLUMNS,
        },
        status=status,
    )


@admin_required
def import_detail(request, pk: int):
    job = selectors.get_import_job_for(request.user, pk)
    template = (
        "network/admin/_import_progress.html" if request.htmx else "network/admin/import.html"
    )
    return render(request, template, {"job": job, "section": "imports"})


def _csv_safe(value) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@admin_required
def import_errors(request, pk: int):
    job = selectors.get_import_job_for(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    writer = csv.writer(response)
    writer.writerow(["row", "email", "name", "problem"])
    for error in job.errors:
        writer.writerow(
            [_csv_safe(error.get(key, "")) for key in ("row", "email", "name", "message")]
        )
    return response


@admin_required
def import_template(request):
    """A file to start from: the header and two rows using this organisation's own names."""
    metro_names = list(Metro.objects.order_by("name").values_list("name", flat=True)[:2])
    sector_names = list(
        Sector.objects.filter(is_active=True).order_by("name").values_list("name", flat=True)[:2]
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="entrepreneurs.csv"'
    writer = csv.writer(response)
    writer.writerow([*services.REQUIRED_COLUMNS, "role", "bio"])
    samples = [
        ("Jane Example", "jane@example.com", "Example Ltd", "Founder"),
        ("Omar Sample", "omar@example.com", "Sample SAS", "CEO"),
    ]
    for index, (name, email, company, role) in enumerate(samples):
        writer.writerow(
            [
                name,
                email,
                company,
                metro_names[index % len(metro_names)] if metro_names else "",
                sector_names[index % len(sector_names)] if sector_names else "",
                role,
                "",
            ]
        )
    return response
