"""Pages of governance: committees and density for everyone who leads, escalations for the people
who raise them and the committees that take them up. Thin: parse, check, call one service or
selector, render or redirect."""

import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.pagecache import cached_page
from core.pagination import KeptCountPaginator
from core.selectors import user_is_organization_admin

from . import selectors, services
from .forms import (
    AlertDismissForm,
    AssignForm,
    CommentForm,
    CommitteeCreateForm,
    EscalateForm,
    EscalationForm,
    MemberAddForm,
    MembershipEditForm,
    QueueFilterForm,
    ResolveForm,
    SettingsForm,
    form_add_error,
)
from .models import GovernanceSettings

QUEUE_PAGE_SIZE = 25


def admin_required(view):
    """Organisation admins only (403 for other members, sign-in for visitors)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_is_organization_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _is_admin(request) -> bool:
    return user_is_organization_admin(request.user)


def _render(request, template: str, context: dict, status: int = 200):
    """Render with what the governance tabs and badges need."""
    context = {
        "gov_is_admin": _is_admin(request),
        "gov_on_committee": selectors.is_on_any_committee(request.user),
        "now": timezone.now(),
        **context,
    }
    return render(request, template, context, status=status)


# --- Overview, committees, density --------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    my_committees = list(selectors.committees_of(user))
    context = {
        "my_committees": my_committees,
        "raised": selectors.escalations_raised_by(user)[:5],
        "can_raise": selectors.chapters_for_raising(user).exists(),
        "is_admin": _is_admin(request),
        "counts": selectors.escalation_counts()
        if selectors.can_see_governance_counts(user)
        else None,
        "committees": selectors.committees_list(),
        "open_alerts": selectors.density_alerts_open() if _is_admin(request) else [],
    }
    return _render(request, "governance/home.html", context)


@login_required
def committee_detail(request, pk: int):
    committee = selectors.get_committee(pk)
    is_admin = _is_admin(request)
    return _render(
        request,
        "governance/committee.html",
        {
            "committee": committee,
            "seats": selectors.committee_current_seats(committee),
            "other_seats": selectors.committee_other_seats(committee) if is_admin else [],
            "is_admin": is_admin,
            "is_member": selectors.is_committee_member(request.user, committee),
            "add_form": MemberAddForm() if is_admin and committee.is_active else None,
        },
    )


@admin_required
def committee_create(request):
    initial = {"place": request.GET.get("place", "")}
    form = CommitteeCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_form(
                level=form.cleaned_data["level"],
                place=form.cleaned_data["place"],
                actor=request.user,
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("The %(name)s is formed. Now appoint its members.") % {"name": committee.name},
            )
            return redirect("governance:committee", pk=committee.pk)
    return _render(
        request,
        "governance/committee_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@admin_required
@require_POST
def committee_stand_down(request, pk: int):
    committee = selectors.get_committee(pk)
    try:
        services.committee_stand_down(committee=committee, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The %(name)s stood down; its open escalations moved up.") % {"name": committee.name},
        )
    return redirect("governance:committee", pk=committee.pk)


@admin_required
@require_POST
def committee_reform(request, pk: int):
    committee = selectors.get_committee(pk)
    try:
        services.committee_form(level=committee.level, place=committee.place, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The %(name)s is formed again.") % {"name": committee.name})
    return redirect("governance:committee", pk=committee.pk)


@admin_required
@require_POST
def committee_member_add(request, pk: int):
    committee = selectors.get_committee(pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.committee_member_add(
                committee=committee,
                user=data["user"],
                actor=request.user,
                role=data["role"],
                term_start=data["term_start"],
                term_end=data["term_end"],
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request, _("%(name)s now sits on the committee.") % {"name": data["user"]}
            )
            return redirect("governance:committee", pk=committee.pk)
    return _render(
        request,
        "governance/committee.html",
        {
            "committee": committee,
            "seats": selectors.committee_current_seats(committee),
            "other_seats": selectors.committee_other_seats(committee),
            "is_admin": True,
            "is_member": selectors.is_committee_member(request.user, committee),
            "add_form": form,
        },
        status=400,
    )


@admin_required
def membership_edit(request, pk: int):
    membership = selectors.get_committee_membership(pk)
    form = MembershipEditForm(
        request.POST or None,
        initial={"role": membership.role, "term_end": membership.term_end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_membership_update(
                membership=membership,
                actor=request.user,
                role=form.cleaned_data["role"],
                term_end=form.cleaned_data["term_end"],
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("The seat is updated."))
            return redirect("governance:committee", pk=membership.committee_id)
    return _render(
        request,
        "governance/membership_form.html",
        {"form": form, "membership": membership},
        status=400 if form.errors else 200,
    )


@admin_required
@require_POST
def membership_end(request, pk: int):
    membership = selectors.get_committee_membership(pk)
    try:
        services.committee_membership_end(membership=membership, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s's seat ended today.") % {"name": membership.user})
    return redirect("governance:committee", pk=membership.committee_id)


@login_required
def density(request):
    """Each place's active chapters, threshold and committee: for admins (who act on it) and
    committee members."""
    if not (_is_admin(request) or selectors.is_on_any_committee(request.user)):
        raise PermissionDenied
    show_all = request.GET.get("all") == "1"
    rows = selectors.places_flat(selectors.places_density())
    if not show_all:
        rows = [row for row in rows if row.is_interesting]
    return _render(
        request,
        "governance/density.html",
        {
            "rows": rows,
            "show_all": show_all,
            "rules": GovernanceSettings.load(),
            "is_admin": _is_admin(request),
            "dismiss_form": AlertDismissForm(),
        },
    )


@admin_required
@require_POST
def alert_dismiss(request, pk: int):
    alert = selectors.get_density_alert(pk)
    form = AlertDismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.density_alert_dismiss(alert=alert, actor=request.user, note=note)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The alert about %(place)s is dismissed.") % {"place": alert.place}
        )
    return redirect("governance:density")


@admin_required
def settings_edit(request):
    rules = GovernanceSettings.load()
    form = SettingsForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.governance_settings_update(actor=request.user, **values)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Governance settings saved."))
            return redirect("governance:settings")
    return _render(
        request, "governance/settings.html", {"form": form}, status=400 if form.errors else 200
    )


# --- Escalations --------------------------------------------------------------------------------


@login_required
def escalation_new(request):
    chapters = selectors.chapters_for_raising(request.user)
    if not chapters.exists():
        messages.info(request, _("You can raise an escalation from a chapter you belong to."))
        return redirect("governance:home")
    initial = {}
    if request.GET.get("chapter", "").isdigit():
        initial["chapter"] = int(request.GET["chapter"])
    form = EscalationForm(
        request.POST or None, request.FILES or None, chapters=chapters, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            escalation = services.escalation_raise(
                chapter=data["chapter"],
                user=request.user,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                anonymous=data["anonymous"],
                attachments=data["attachments"],
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("Your escalation went to the %(committee)s.")
                % {"committee": escalation.committee.name},
            )
            return redirect("governance:escalation", pk=escalation.pk)
    return _render(
        request,
        "governance/escalation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def escalations_mine(request):
    page = Paginator(selectors.escalations_raised_by(request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(request, "governance/escalations_mine.html", {"page": page})


@login_required
@cached_page
def queue(request):
    """The committee queue: what reached a committee the user sits on, oldest first."""
    committees = list(selectors.committees_of(request.user))
    if not committees:
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None, committees=committees)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    by_pk = {committee.pk: committee for committee in committees}
    committee = by_pk.get(data.get("committee")) or committees[0]
    filters = selectors.QueueFilters(
        status=data.get("status") or "active",
        category=data.get("category") or "",
        scope=data.get("scope") or "here",
        assigned=data.get("assigned") or "",
        overdue=bool(data.get("overdue")),
    )
    escalations = selectors.escalation_queue(request.user, committee, filters)
    page = KeptCountPaginator(escalations, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "committee": committee,
        "committees": committees,
        "page": page,
        "filters": filters,
        "query_string": query.urlencode(),
        "counts": selectors.escalation_counts() if committee.is_board else None,
    }
    if request.htmx and request.htmx.target == "queue-results":
        return _render(request, "governance/_queue_results.html", context)
    return _render(request, "governance/queue.html", context)


def _escalation_context(request, escalation, **forms) -> dict:
    page = selectors.escalation_page(escalation, request.user)
    members = (
        get_user_model()
        .objects.filter(pk__in=[seat.user_id for seat in page.committee_members])
        .exclude(pk=escalation.raised_by_id)
    )
    return {
        "page": page,
        "escalation": escalation,
        "time_zone": escalation.chapter.metro.time_zone,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(members=members, initial={"assignee": escalation.assigned_to_id}),
    }


@login_required
def escalation_detail(request, pk: int):
    escalation = selectors.get_escalation_for(request.user, pk)
    return _render(request, "governance/escalation.html", _escalation_context(request, escalation))


def _after_action(request, escalation, error: ApplicationError | None, done: str):
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("governance:escalation", pk=escalation.pk)


def _posted_committee(request) -> int | None:
    value = request.POST.get("committee", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def escalation_acknowledge(request, pk: int):
    escalation = selectors.get_escalation_for(request.user, pk)
    try:
        services.escalation_acknowledge(
            escalation=escalation, actor=request.user, committee_id=_posted_committee(request)
        )
    except ApplicationError as error:
        return _after_action(request, escalation, error, "")
    return _after_action(request, escalation, None, _("Acknowledged. The raiser is told."))


def _form_action(request, pk: int, form_class, form_key: str, act, done: str):
    escalation = selectors.get_escalation_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(escalation, form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, done)
            return redirect("governance:escalation", pk=escalation.pk)
    escalation = selectors.get_escalation_for(request.user, pk)
    context = _escalation_context(request, escalation, **{form_key: form})
    return _render(request, "governance/escalation.html", context, status=400)


@login_required
@require_POST
def escalation_escalate(request, pk: int):
    return _form_action(
        request,
        pk,
        EscalateForm,
        "escalate_form",
        lambda escalation, data: services.escalation_escalate(
            escalation=escalation,
            actor=request.user,
            reason=data["reason"],
            committee_id=_posted_committee(request),
        ),
        _("Escalated to the next level."),
    )


@login_required
@require_POST
def escalation_resolve(request, pk: int):
    return _form_action(
        request,
        pk,
        ResolveForm,
        "resolve_form",
        lambda escalation, data: services.escalation_resolve(
            escalation=escalation,
            actor=request.user,
            decision=data["decision"],
            committee_id=_posted_committee(request),
        ),
        _("Resolved. The raiser can read the decision."),
    )


@login_required
@require_POST
def escalation_comment(request, pk: int):
    return _form_action(
        request,
        pk,
        CommentForm,
        "comment_form",
        lambda escalation, data: services.escalation_comment(
            escalation=escalation, actor=request.user, body=data["body"]
        ),
        _("Comment posted."),
    )


@login_required
@require_POST
def escalation_assign(request, pk: int):
    escalation = selectors.get_escalation_for(request.user, pk)
    members = get_user_model().objects.filter(
        pk__in=selectors.current_memberships()
        .filter(committee=escalation.committee)
        .values("user_id")
    )
    form = AssignForm(request.POST, members=members)
    if not form.is_valid():
        return _after_action(
            request, escalation, ApplicationError(_("Choose a member of the committee.")), ""
        )
    try:
        services.escalation_assign(
            escalation=escalation, actor=request.user, assignee=form.cleaned_data["assignee"]
        )
    except ApplicationError as error:
        return _after_action(request, escalation, error, "")
    return _after_action(request, escalation, None, _("Assignment saved."))


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """An attachment, only for those who may see the escalation; never a public URL."""
    attachment = selectors.get_attachment_for(request.user, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("No such attachment.") from error
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
