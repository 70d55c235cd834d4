"""Chapter pages. Thin: parse, check access through selectors, call one service, render."""

import csv
from functools import cached_property, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.errors import PermissionDenied as AppPermissionDenied
from core.pagecache import cached_page
from core.selectors import user_is_organization_admin
from network.models import Country, Entrepreneur, Region

from . import coverage, selectors, services
from .forms import (
    AcceptForm,
    AgreementForm,
    ChapterEditForm,
    ChapterProposeForm,
    ChapterSettingsForm,
    InvitationForm,
    JoinRequestForm,
    MessageForm,
    ObjectionForm,
    ReasonForm,
    SeedCreateForm,
)
from .health import healths_of
from .models import Chapter, ChapterSettings, Invitation, Membership

# The meetings app fills the chapter page's "next meeting" area by providing this template.
NEXT_MEETING_TEMPLATE = "meetings/_chapter_next_meeting.html"


def _optional_template(name: str) -> str | None:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def _form_error(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _forbidden(error: ApplicationError):
    if isinstance(error, AppPermissionDenied):
        raise DjangoPermissionDenied(error.message) from error


def _action(view):
    """POST-only actions: an ApplicationError becomes an error message on the page the user
    came from (permission errors a 403)."""

    @wraps(view)
    @login_required
    @require_POST
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as error:
            _forbidden(error)
            messages.error(request, error.message)
            return redirect(request.POST.get("next") or _back(request))

    return wrapper


def _back(request) -> str:
    referer = request.headers.get("referer", "")
    host = request.get_host()
    if referer and f"//{host}/" in referer:
        return referer
    return reverse("chapters:mine")


def _require_admin(request) -> None:
    if not user_is_organization_admin(request.user):
        raise DjangoPermissionDenied("Only organisation admins can open this page.")


# --- My chapters, proposing, finding ------------------------------------------------------------


@login_required
def mine(request):
    rules = ChapterSettings.load()
    chapters = list(selectors.chapters_of(request.user))
    healths = healths_of(chapters, rules)
    for chapter in chapters:
        chapter.health = healths[chapter.pk]
        chapter.my_role = selectors.chapter_roles_of(request.user).get(chapter.pk)
    facilitated = [c for c in chapters if c.my_role == Membership.Role.FACILITATOR]
    context = {
        "chapters": chapters,
        "invitations": list(selectors.invitations_addressed_to(request.user)),
        "join_requests": list(selectors.join_requests_of(request.user)[:20]),
        "pending_to_handle": (
            list(selectors.invitations_pending_for_facilitator(request.user)[:50])
            if facilitated
            else []
        ),
        "is_admin": user_is_organization_admin(request.user),
        "can_seed": selectors.can_seed_chapters(request.user),
        "profile": selectors.entrepreneur_of(request.user),
    }
    return render(request, "chapters/mine.html", context)


@login_required
def propose(request):
    profile = selectors.entrepreneur_of(request.user)
    ready = profile is not None and profile.metro_id and profile.sector_id
    form = ChapterProposeForm(
        request.POST or None,
        metro_id=profile.metro_id if ready else None,
        user_id=request.user.pk,
    )
    if request.method == "POST" and ready and form.is_valid():
        try:
            chapter = services.chapter_propose(
                user=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                invitees=list(form.cleaned_data["invitees"]),
                message=form.cleaned_data["message"],
                accept_agreement=form.cleaned_data["accept_agreement"],
            )
        except ApplicationError as error:
            _forbidden(error)
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("%(chapter)s is forming. Invitations are on their way.")
                % {"chapter": chapter.name},
            )
            return redirect("chapters:detail", pk=chapter.pk)
    return render(
        request,
        "chapters/propose.html",
        {
            "form": form,
            "profile": profile,
            "ready": ready,
            "agreement": services.agreement_ensure(),
            "rules": ChapterSettings.load(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def find(request):
    chapters = selectors.chapters_joinable_by(request.user)
    return render(
        request,
        "chapters/find.html",
        {
            "chapters": chapters,
            "profile": selectors.entrepreneur_of(request.user),
            "form": JoinRequestForm(),
        },
    )


@_action
def join_request_create(request, pk: int):
    chapter = next((c for c in selectors.chapters_joinable_by(request.user) if c.pk == pk), None)
    if chapter is None:
        raise Http404("No such chapter.")
    form = JoinRequestForm(request.POST)
    form.is_valid()
    services.join_request_create(
        chapter=chapter, user=request.user, message=form.cleaned_data.get("message", "")
    )
    messages.success(
        request,
        _("Your request to join %(chapter)s is with its facilitator.") % {"chapter": chapter.name},
    )
    return redirect("chapters:mine")


# --- The chapter page ---------------------------------------------------------------------------


@login_required
@cached_page
def detail(request, pk: int):
    chapter = selectors.get_chapter_for(request.user, pk)
    is_member = selectors.is_chapter_member(request.user, chapter)
    can_manage = selectors.can_manage_chapter(request.user, chapter)
    rules = ChapterSettings.load()
    members = list(selectors.chapter_members(chapter))
    invitations = list(selectors.invitations_of_chapter(chapter)) if is_member or can_manage else []
    for invitation in invitations:
        objected = {o.member_id for o in invitation.objections.all()}
        invitation.can_object = (
            is_member
            and invitation.objection_window_open
            and invitation.proposed_by_id != request.user.pk
            and request.user.pk not in objected
        )
        invitation.open_objections = [o for o in invitation.objections.all() if o.status == "open"]
    health = healths_of([chapter], rules)[chapter.pk]
    taken = {m.sector.name for m in members}
    context = {
        "chapter": chapter,
        "members": members,
        "is_member": is_member,
        "can_manage": can_manage,
        "is_facilitator": selectors.is_facilitator(request.user, chapter),
        "my_membership": next((m for m in members if m.user_id == request.user.pk), None),
        "health": health,
        "show_health_parts": is_member,
        "rules": rules,
        "invitations": invitations,
        "join_requests": list(selectors.join_requests_pending(chapter)) if can_manage else [],
        "history": list(selectors.chapter_status_history(chapter)[:20]),
        "former_members": list(selectors.chapter_former_members(chapter)[:50])
        if is_member or can_manage
        else [],
        "taken_sectors": sorted(taken),
        "next_meeting_template": _optional_template(NEXT_MEETING_TEMPLATE),
        "invite_form": InvitationForm(metro_id=chapter.metro_id)
        if chapter.is_open and (is_member or can_manage)
        else None,
    }
    return render(request, "chapters/detail.html", context)


@login_required
def edit(request, pk: int):
    chapter = selectors.get_chapter_for(request.user, pk)
    if not selectors.can_manage_chapter(request.user, chapter):
        raise DjangoPermissionDenied("Only the chapter's facilitators can edit it.")
    form = ChapterEditForm(
        request.POST or None, initial={"name": chapter.name, "description": chapter.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.chapter_update(chapter=chapter, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Chapter saved."))
            return redirect("chapters:detail", pk=chapter.pk)
    return render(
        request,
        "chapters/form_page.html",
        {
            "chapter": chapter,
            "form": form,
            "title": _("Edit %(name)s") % {"name": chapter.name},
            "submit": _("Save"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def invite(request, pk: int):
    chapter = selectors.get_chapter_for(request.user, pk)
    can_manage = selectors.can_manage_chapter(request.user, chapter)
    if not (can_manage or selectors.is_chapter_member(request.user, chapter)):
        raise DjangoPermissionDenied("Only members of the chapter can invite.")
    form = InvitationForm(request.POST or None, metro_id=chapter.metro_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                chapter=chapter,
                actor=request.user,
                email=data["email"],
                sector=data["sector"],
                name=data["name"],
                message=data["message"],
            )
        except ApplicationError as error:
            _forbidden(error)
            _form_error(form, error)
        else:
            who = invitation.name or invitation.email
            messages.success(
                request,
                (
                    _("Invitation sent to %(invitee)s.")
                    if invitation.status == Invitation.Status.SENT
                    else _("Your proposal to invite %(invitee)s is with the facilitators.")
                )
                % {"invitee": who},
            )
            return redirect("chapters:detail", pk=chapter.pk)
    return render(
        request,
        "chapters/invite.html",
        {
            "chapter": chapter,
            "form": form,
            "can_manage": can_manage,
            "taken_sectors": sorted({m.sector.name for m in selectors.chapter_members(chapter)}),
        },
        status=400 if form.errors else 200,
    )


@_action
def activate(request, pk: int):
    chapter = selectors.get_chapter_for(request.user, pk)
    services.chapter_activate(
        chapter=chapter, actor=request.user, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("%(chapter)s is active.") % {"chapter": chapter.name})
    return redirect("chapters:detail", pk=pk)


@login_required
def close(request, pk: int):
    chapter = selectors.get_chapter_for(request.user, pk)
    if not selectors.can_manage_chapter(request.user, chapter):
        raise DjangoPermissionDenied("Only the chapter's facilitators can close it.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.chapter_close(
                chapter=chapter, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(chapter)s is closed.") % {"chapter": chapter.name})
            return (
                redirect("chapters:detail", pk=pk)
                if user_is_organization_admin(request.user)
                else redirect("chapters:mine")
            )
    return render(
        request,
        "chapters/form_page.html",
        {
            "chapter": chapter,
            "form": form,
            "title": _("Close %(chapter)s") % {"chapter": chapter.name},
            "intro": _(
                "Closing is final: memberships end (they stay in the history), open "
                "invitations are withdrawn and join requests declined. Members are told why."
            ),
            "submit": _("Close the chapter"),
            "danger": True,
        },
        status=400 if form.errors else 200,
    )


@_action
def leave(request, pk: int):
    chapter = selectors.get_chapter_for(request.user, pk)
    membership = Membership.objects.filter(
        chapter=chapter, user=request.user, left_at__isnull=True
    ).first()
    if membership is None:
        raise Http404("You are not a member of this chapter.")
    services.membership_leave(membership=membership, actor=request.user)
    messages.success(request, _("You have left %(chapter)s.") % {"chapter": chapter.name})
    return redirect("chapters:mine")


def _membership_for_manager(request, pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("chapter", "user")
        .filter(pk=pk, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    selectors.get_chapter_for(request.user, membership.chapter_id)  # 404 if not visible
    return membership


@_action
def membership_remove(request, pk: int):
    membership = _membership_for_manager(request, pk)
    services.membership_remove(
        membership=membership, actor=request.user, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("%(user)s is no longer a member.") % {"user": membership.user})
    return redirect("chapters:detail", pk=membership.chapter_id)


@_action
def membership_role(request, pk: int):
    membership = _membership_for_manager(request, pk)
    role = request.POST.get("role", "")
    if role == "transfer":
        services.facilitation_transfer(
            chapter=membership.chapter, to_membership=membership, actor=request.user
        )
        messages.success(
            request, _("%(user)s now facilitates the chapter.") % {"user": membership.user}
        )
    else:
        services.membership_set_role(membership=membership, role=role, actor=request.user)
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {"user": membership.user, "role": membership.get_role_display().lower()},
        )
    return redirect("chapters:detail", pk=membership.chapter_id)


# --- Invitations --------------------------------------------------------------------------------


@_action
def invitation_send(request, pk: int):
    invitation = selectors.get_invitation_for(request.user, pk)
    services.invitation_send(invitation=invitation, actor=request.user)
    messages.success(
        request,
        _("Invitation sent to %(invitee)s.") % {"invitee": invitation.name or invitation.email},
    )
    return redirect("chapters:detail", pk=invitation.chapter_id)


@_action
def invitation_resend(request, pk: int):
    invitation = selectors.get_invitation_for(request.user, pk)
    services.invitation_resend(invitation=invitation, actor=request.user)
    messages.success(
        request,
        _("A new link went to %(invitee)s; the old one no longer works.")
        % {"invitee": invitation.email},
    )
    return redirect("chapters:detail", pk=invitation.chapter_id)


@_action
def invitation_revoke(request, pk: int):
    invitation = selectors.get_invitation_for(request.user, pk)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(
        request,
        _("The invitation of %(invitee)s is withdrawn.")
        % {"invitee": invitation.name or invitation.email},
    )
    return redirect("chapters:detail", pk=invitation.chapter_id)


@_action
def invitation_decide(request, pk: int):
    invitation = selectors.get_invitation_for(request.user, pk)
    proceed = request.POST.get("decision") == "proceed"
    services.objection_decide(
        invitation=invitation,
        actor=request.user,
        proceed=proceed,
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Decision recorded; the members who objected have been told."))
    return redirect("chapters:detail", pk=invitation.chapter_id)


@login_required
def invitation_object(request, pk: int):
    invitation = selectors.get_invitation_for(request.user, pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_raise(
                invitation=invitation, member=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            _forbidden(error)
            _form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your objection is with the facilitator; the invitation is on hold until "
                    "they decide."
                ),
            )
            return redirect("chapters:detail", pk=invitation.chapter_id)
    return render(
        request,
        "chapters/form_page.html",
        {
            "chapter": invitation.chapter,
            "form": form,
            "title": _("Object to inviting %(invitee)s")
            % {"invitee": invitation.name or invitation.email},
            "intro": (
                _(
                    "%(invitee)s (%(sector)s) has been invited. An objection holds the "
                    "invitation until a facilitator decides."
                )
                if invitation.sent_at
                else _(
                    "%(invitee)s (%(sector)s) has been proposed. An objection holds the "
                    "invitation until a facilitator decides."
                )
            )
            % {"invitee": invitation.name or invitation.email, "sector": invitation.sector},
            "submit": _("Object"),
        },
        status=400 if form.errors else 200,
    )


def invitation_accept(request, token: str):
    """The token link. Anyone holding it sees the invitation; accepting needs an account with the
    invited address (a new person signs up through the link with the address filled in)."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404(
            "This invitation link is not valid. It may have been replaced by a newer one."
        )
    return _answer_page(
        request, invitation, decline_url=reverse("chapters:invitation-decline", args=[token])
    )


@login_required
def invitation_open(request, pk: int):
    """The same page for a signed-in member whose address the invitation was sent to."""
    invitation = selectors.get_invitation_addressed_to(request.user, pk)
    return _answer_page(
        request, invitation, decline_url=reverse("chapters:invitation-decline-mine", args=[pk])
    )


def _answer_page(request, invitation: Invitation, *, decline_url: str):
    problem = None
    try:
        services.invitation_check_answerable(invitation)
    except ApplicationError as error:
        problem = error
    user = request.user
    if problem is None:
        # The link proves the address: allauth marks a sign-up with it as verified.
        request.session["account_verified_email"] = invitation.email
    profile = selectors.entrepreneur_of(user) if user.is_authenticated else None
    needs_profile = profile is None or not profile.sector_id or not profile.company
    form = AcceptForm(request.POST or None, needs_profile=needs_profile)
    if request.method == "POST" and problem is None:
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        if form.is_valid():
            try:
                membership = services.invitation_accept(
                    invitation=invitation,
                    user=user,
                    accept_agreement=form.cleaned_data["accept_agreement"],
                    company=form.cleaned_data.get("company", ""),
                )
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request, _("Welcome to %(chapter)s!") % {"chapter": invitation.chapter.name}
                )
                return redirect("chapters:detail", pk=membership.chapter_id)
    return render(
        request,
        "chapters/accept.html",
        {
            "invitation": invitation,
            "problem": problem,
            "form": form,
            "decline_url": decline_url,
            "agreement": services.agreement_ensure(),
            "wrong_account": user.is_authenticated and user.email.lower() != invitation.email,
            "signup_url": f"{reverse('account_signup')}?"
            f"{urlencode({'email': invitation.email, 'next': request.path})}",
            "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
            "user_exists": invitation.invitee_id is not None,
            "members": list(selectors.chapter_members(invitation.chapter))
            if problem is None
            else [],
        },
        status=400 if form.errors else 200,
    )


def _decline(request, invitation: Invitation, *, back: str):
    try:
        services.invitation_decline(
            invitation=invitation, user=request.user if request.user.is_authenticated else None
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _("You declined the invitation to %(chapter)s. Thank you for letting them know.")
        % {"chapter": invitation.chapter.name},
    )
    return redirect("core:home")


@require_POST
def invitation_decline(request, token: str):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    return _decline(request, invitation, back=reverse("chapters:invitation-accept", args=[token]))


@login_required
@require_POST
def invitation_decline_mine(request, pk: int):
    invitation = selectors.get_invitation_addressed_to(request.user, pk)
    return _decline(request, invitation, back=reverse("chapters:invitation-open", args=[pk]))


# --- Join requests ------------------------------------------------------------------------------


@_action
def join_request_approve(request, pk: int):
    join_request = selectors.get_join_request_for(request.user, pk)
    services.join_request_approve(
        join_request=join_request, actor=request.user, message=request.POST.get("message", "")
    )
    messages.success(request, _("%(user)s is invited.") % {"user": join_request.user})
    return redirect("chapters:detail", pk=join_request.chapter_id)


@login_required
def join_request_decline(request, pk: int):
    join_request = selectors.get_join_request_for(request.user, pk)
    if not selectors.can_manage_chapter(request.user, join_request.chapter):
        raise DjangoPermissionDenied("Only the chapter's facilitators decide join requests.")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_decline(
                join_request=join_request, actor=request.user, message=form.cleaned_data["message"]
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(user)s has been told.") % {"user": join_request.user})
            return redirect("chapters:detail", pk=join_request.chapter_id)
    return render(
        request,
        "chapters/form_page.html",
        {
            "chapter": join_request.chapter,
            "form": form,
            "title": _("Decline the request of %(user)s") % {"user": join_request.user},
            "intro": _(
                "%(user)s (%(sector)s) asked to join %(chapter)s. They will read your message."
            )
            % {
                "user": join_request.user,
                "sector": join_request.sector,
                "chapter": join_request.chapter.name,
            },
            "submit": _("Decline"),
        },
        status=400 if form.errors else 200,
    )


@_action
def join_request_withdraw(request, pk: int):
    join_request = selectors.get_join_request_for(request.user, pk)
    services.join_request_withdraw(join_request=join_request, user=request.user)
    messages.success(request, _("Your request is withdrawn."))
    return redirect("chapters:mine")


# --- Organisation admin -------------------------------------------------------------------------


@login_required
def admin_list(request):
    _require_admin(request)
    status = request.GET.get("status", "")
    status = status if status in Chapter.Status.values else ""
    search = request.GET.get("q", "").strip()[:100]
    queryset = selectors.chapters_for_admin(status=status or None, search=search)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rules = ChapterSettings.load()
    healths = healths_of(page.object_list, rules)
    for chapter in page.object_list:
        chapter.health = healths[chapter.pk]
    counts = selectors.chapter_counts_by_status()
    return render(
        request,
        "chapters/admin_list.html",
        {
            "page": page,
            "status": status,
            "search": search,
            "statuses": Chapter.Status.choices,
            "status_counts": [(v, label, counts.get(v, 0)) for v, label in Chapter.Status.choices],
            "rules": rules,
        },
    )


@login_required
def agreement(request):
    is_admin = user_is_organization_admin(request.user)
    current = services.agreement_ensure()
    form = AgreementForm(request.POST or None, initial={"text": current.text}) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise DjangoPermissionDenied("Only organisation admins can change the agreement.")
        if form.is_valid():
            try:
                new = services.agreement_publish(actor=request.user, text=form.cleaned_data["text"])
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Version %(version)s is published; new members accept it when they join.")
                    % {"version": new.version},
                )
                return redirect("chapters:agreement")
    return render(
        request,
        "chapters/agreement.html",
        {
            "agreement": current,
            "form": form,
            "is_admin": is_admin,
            "versions": list(selectors.agreement_versions()) if is_admin else [],
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def chapter_settings(request):
    _require_admin(request)
    rules = ChapterSettings.load()
    form = ChapterSettingsForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        try:
            services.chapter_settings_update(
                actor=request.user,
                **{name: form.cleaned_data[name] for name in ChapterSettingsForm.Meta.fields},
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Chapter settings saved."))
            return redirect("chapters:settings")
    return render(
        request,
        "chapters/form_page.html",
        {
            "form": form,
            "title": _("Chapter settings"),
            "submit": _("Save settings"),
            "intro": _("The rules every chapter of the organisation follows."),
        },
        status=400 if form.errors else 200,
    )


# --- Coverage, seeding, growth ------------------------------------------------------------------


def _scope(request) -> dict:
    def as_int(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    return {"country_id": as_int("country"), "region_id": as_int("region")}


class _CoveragePage:
    """What the coverage page draws, worked out only if the page's cached fragment is missing."""

    def __init__(self, scope: dict, measure: str) -> None:
        self.scope = scope
        self.measure = measure

    @cached_property
    def grid(self) -> coverage.CoverageGrid:
        return coverage.cached_coverage_grid(**self.scope)

    @cached_property
    def rows(self):
        return self.grid.rows()

    @cached_property
    def column_totals(self):
        return self.grid.column_totals()

    @cached_property
    def total(self):
        return self.grid.grand_total()

    @cached_property
    def heat(self):
        return coverage.heat_map(self.grid, self.measure)


@login_required
@cached_page
def coverage_map(request):
    scope = _scope(request)
    measure = request.GET.get("measure", "members")
    if measure not in coverage.MEASURES:
        measure = "members"
    return render(
        request,
        "chapters/coverage.html",
        {
            "scope_label": coverage.scope_label(**scope),
            "page": _CoveragePage(scope, measure),
            "version": coverage.coverage_version(),
            "cache_seconds": coverage.CACHE_SECONDS,
            "measure": measure,
            "measures": coverage.MEASURES.items(),
            "countries": list(Country.objects.order_by("name")),
            "regions": list(
                Region.objects.select_related("country").order_by("country__name", "name")
            ),
            "scope": scope,
            "query": urlencode({k: v for k, v in scope.items() if v} | {}),
            "can_seed": selectors.can_seed_chapters(request.user),
        },
    )


@login_required
def coverage_csv(request):
    scope = _scope(request)
    grid = coverage.cached_coverage_grid(**scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coverage.csv"'
    writer = csv.writer(response)
    for row in coverage.coverage_csv_rows(grid):
        writer.writerow([_csv_safe(value) for value in row])
    return response


def _csv_safe(value):
    """Keep spreadsheet programs from running a cell as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


@login_required
def seed(request):
    if not selectors.can_seed_chapters(request.user):
        raise DjangoPermissionDenied("Facilitators and organisation admins see seeding proposals.")
    scope = _scope(request)
    proposals = coverage.seed_proposals(**scope)
    is_admin = user_is_organization_admin(request.user)
    for proposal in proposals:
        for person in proposal.roster:
            person.shown = is_admin or person.visibility == Entrepreneur.Visibility.NETWORK
    return render(
        request,
        "chapters/seed.html",
        {
            "proposals": proposals,
            "rules": ChapterSettings.load(),
            "countries": list(Country.objects.order_by("name")),
            "regions": list(
                Region.objects.select_related("country").order_by("country__name", "name")
            ),
            "scope": scope,
        },
    )


@_action
def seed_create(request):
    form = SeedCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That proposal is no longer valid; the list has been refreshed."))
        return redirect("chapters:seed")
    chapter = services.chapter_create_from_seed(
        actor=request.user,
        metro=form.cleaned_data["metro"],
        roster=list(form.cleaned_data["people"]),
        name=form.cleaned_data["name"],
    )
    messages.success(
        request,
        _(
            "%(chapter)s is forming; its founding roster is invited. The first to "
            "accept becomes its facilitator."
        )
        % {"chapter": chapter.name},
    )
    if user_is_organization_admin(request.user):
        return redirect("chapters:detail", pk=chapter.pk)
    return redirect("chapters:seed")


@login_required
def growth(request):
    series = coverage.growth_series()
    return render(
        request,
        "chapters/growth.html",
        {
            "growth": series,
            "chart": coverage.growth_chart(series),
            "points": series.points,
            "is_admin": user_is_organization_admin(request.user),
            "can_seed": selectors.can_seed_chapters(request.user),
        },
    )
