"""Pages of board elections. Thin: check access with the selectors, call one service, render.

Times are shown — and typed into forms — in the viewer's metro time zone (UTC without one)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.models import User
from core.pagecache import cached_page

from . import selectors, services
from .forms import (
    BallotForm,
    BltCountForm,
    CancelForm,
    ElectionForm,
    NominateForm,
    OfficerForm,
    StatementForm,
    VerifyForm,
    form_add_error,
)
from .models import Candidate, Election
from .presentation import round_table, rounds_chart, ties_described

BALLOTS_PAGE_SIZE = 100


def in_viewer_time_zone(view):
    """Sign-in required; the viewer's time zone active while the view runs and renders."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        tz = selectors.viewer_time_zone(request.user)
        with timezone.override(tz):
            request.viewer_tz = tz
            return view(request, *args, **kwargs)

    return wrapper


def _manage_or_403(request, election: Election) -> None:
    if not selectors.can_manage(request.user, election):
        raise PermissionDenied


# --- List, create, edit, cancel ------------------------------------------------------------------


@in_viewer_time_zone
def election_list(request):
    elections = list(selectors.elections_visible_to(request.user))
    context = {
        "open_votes": [e for e in elections if e.can_vote],
        "current": [e for e in elections if not e.can_vote and e.is_open],
        "setup": [e for e in elections if e.state == Election.State.SETUP],
        "past": [
            e
            for e in elections
            if not e.can_vote and not e.is_open and e.state != Election.State.SETUP
        ],
        "nominations_waiting": list(selectors.nominations_for(request.user)),
        "can_create": selectors.can_create_election(request.user),
    }
    return render(request, "elections/list.html", context)


@in_viewer_time_zone
def election_create(request):
    if not selectors.can_create_election(request.user):
        raise PermissionDenied
    from governance.models import GovernanceSettings

    form = ElectionForm(
        request.POST or None,
        initial={"electorate": GovernanceSettings.load().election_electorate},
    )
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("The election is set up. Appoint officers if you wish."))
            return redirect("elections:detail", pk=election.pk)
    return render(request, "elections/form.html", {"form": form, "election": None})


@in_viewer_time_zone
def election_edit(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    _manage_or_403(request, election)
    if not election.is_editable:
        messages.error(request, _("Nominations have opened: the election can no longer be edited."))
        return redirect("elections:detail", pk=election.pk)
    form = ElectionForm(request.POST or None, initial=ElectionForm.initial_from(election))
    if request.method == "POST" and form.is_valid():
        try:
            services.election_update(election=election, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("elections:detail", pk=election.pk)
    return render(request, "elections/form.html", {"form": form, "election": election})


@in_viewer_time_zone
def election_cancel(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    _manage_or_403(request, election)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.election_cancel(
                election=election, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("The election is cancelled."))
            return redirect("elections:detail", pk=election.pk)
    return render(request, "elections/cancel.html", {"form": form, "election": election})


# --- The election's page and its officers -----------------------------------------------------


@in_viewer_time_zone
def election_detail(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    user = request.user
    candidates = list(selectors.candidates_visible_to(user, election))
    mine = next((c for c in candidates if c.user_id == user.pk), None)
    can_manage = selectors.can_manage(user, election)
    is_board = selectors.is_board_member(user)
    nominations_open = election.nominations_are_open()
    context = {
        "election": election,
        "standing": [c for c in candidates if c.status == Candidate.Status.ACCEPTED],
        "withdrawn": [c for c in candidates if c.status == Candidate.Status.WITHDRAWN],
        "pending": [c for c in candidates if c.status == Candidate.Status.PENDING],
        "other_nominations": [
            c
            for c in candidates
            if c.status in (Candidate.Status.DECLINED, Candidate.Status.LAPSED)
        ],
        "mine": mine,
        "can_manage": can_manage,
        "is_board": is_board,
        "nominations_open": nominations_open,
        "can_stand": nominations_open and mine is None and selectors.is_eligible_candidate(user),
        "can_nominate": nominations_open and selectors.is_in_electorate(user, election.electorate),
        "is_elector": selectors.is_elector(user, election),
        "has_voted": selectors.has_voted(user, election),
        "voting_open": election.voting_is_open(),
        "can_certify": election.state == Election.State.COUNTED
        and election.outcome == Election.Outcome.ELECTED
        and selectors.can_certify(user, election),
        "viewer_tz": request.viewer_tz,
    }
    if can_manage:
        context["officers"] = list(selectors.officers_of(election))
        context["live_voters"] = (
            election.voter_records.count()
            if election.state == Election.State.VOTING
            else election.voters_count
        )
        if is_board:
            context["officer_form"] = OfficerForm(users=_officer_candidates(election))
    return render(request, "elections/detail.html", context)


def _officer_candidates(election: Election):
    taken = election.officers.values_list("user_id", flat=True)
    return User.objects.filter(is_active=True).exclude(pk__in=taken).order_by("name", "email")


@require_POST
@in_viewer_time_zone
def officer_appoint(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    if not selectors.can_appoint_officers(request.user):
        raise PermissionDenied
    form = OfficerForm(request.POST, users=_officer_candidates(election))
    if form.is_valid():
        try:
            officer = services.officer_appoint(
                election=election, user=form.cleaned_data["user"], actor=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s is now an officer.") % {"name": officer.user})
    else:
        messages.error(request, _("Choose a person to appoint."))
    return redirect("elections:detail", pk=election.pk)


@require_POST
@in_viewer_time_zone
def officer_remove(request, pk: int, officer: int):
    election = selectors.get_election_for(request.user, pk)
    if not selectors.can_appoint_officers(request.user):
        raise PermissionDenied
    record = selectors.officers_of(election).filter(pk=officer).first()
    if record is None:
        raise Http404
    services.officer_remove(officer=record, actor=request.user)
    messages.success(request, _("%(name)s is no longer an officer.") % {"name": record.user})
    return redirect("elections:detail", pk=election.pk)


# --- Nominations ------------------------------------------------------------------------------


@in_viewer_time_zone
def nominate(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    user = request.user
    if not election.nominations_are_open():
        messages.error(request, _("Nominations are not open for this election."))
        return redirect("elections:detail", pk=election.pk)
    already = selectors.candidates_of(election).values_list("user_id", flat=True)
    can_stand = selectors.is_eligible_candidate(user) and user.pk not in set(already)
    can_nominate_others = selectors.is_in_electorate(user, election.electorate)
    if not (can_stand or can_nominate_others):
        raise PermissionDenied
    nominees = (
        selectors.eligible_candidates().exclude(pk__in=already).exclude(pk=user.pk).order_by("name")
    )
    form = NominateForm(
        request.POST or None,
        nominees=nominees,
        can_stand=can_stand,
        can_nominate_others=can_nominate_others,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        nominee = user if data["who"] == NominateForm.SELF else data["nominee"]
        try:
            services.candidate_nominate(
                election=election,
                nominee=nominee,
                actor=user,
                statement=data["statement"] if nominee == user else "",
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            if nominee == user:
                messages.success(request, _("You are standing in this election."))
            else:
                messages.success(
                    request,
                    _("%(name)s is nominated and has been asked to accept.") % {"name": nominee},
                )
            return redirect("elections:detail", pk=election.pk)
    return render(request, "elections/nominate.html", {"form": form, "election": election})


@in_viewer_time_zone
def nomination(request, pk: int, candidate: int):
    """The nominee's page for their nomination: accept or decline, edit the statement, withdraw."""
    election = selectors.get_election_for(request.user, pk)
    record = selectors.get_candidate_for(request.user, election, candidate)
    is_nominee = record.user_id == request.user.pk
    form = StatementForm(request.POST or None, initial={"statement": record.statement})
    if request.method == "POST":
        if not is_nominee:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.candidate_withdraw(candidate=record, actor=request.user)
                messages.success(request, _("You have withdrawn from this election."))
                return redirect("elections:detail", pk=election.pk)
            if action == "decline":
                services.candidate_respond(candidate=record, actor=request.user, accept=False)
                messages.success(request, _("You declined the nomination."))
                return redirect("elections:detail", pk=election.pk)
            if form.is_valid():
                statement = form.cleaned_data["statement"]
                if action == "accept":
                    services.candidate_respond(
                        candidate=record, actor=request.user, accept=True, statement=statement
                    )
                    messages.success(request, _("You are standing in this election."))
                else:
                    services.candidate_statement_update(
                        candidate=record, actor=request.user, statement=statement
                    )
                    messages.success(request, _("Your statement is saved."))
                return redirect("elections:detail", pk=election.pk)
        except ApplicationError as error:
            form_add_error(form, error)
    context = {
        "election": election,
        "candidate": record,
        "form": form,
        "is_nominee": is_nominee,
        "nominations_open": election.nominations_are_open(),
        "can_withdraw": is_nominee
        and record.status in (Candidate.Status.ACCEPTED, Candidate.Status.PENDING)
        and (election.nominations_are_open() or election.voting_is_open()),
    }
    return render(request, "elections/nomination.html", context)


# --- Voting, receipt, verification ---------------------------------------------------------------


def _ballot_candidates(election: Election, user) -> list[Candidate]:
    standing = {
        c.number: c for c in selectors.candidates_standing(election).filter(number__isnull=False)
    }
    order = selectors.ballot_order(election, user, list(standing))
    return [standing[number] for number in order]


@in_viewer_time_zone
def vote(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    user = request.user
    if not election.voting_is_open():
        messages.error(request, _("Voting is not open in this election."))
        return redirect("elections:detail", pk=election.pk)
    if not selectors.is_elector(user, election):
        raise PermissionDenied
    if selectors.has_voted(user, election):
        messages.info(request, _("You have already voted in this election. Thank you!"))
        return redirect("elections:detail", pk=election.pk)
    candidates = _ballot_candidates(election, user)
    form = BallotForm(request.POST or None, election=election, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.ballot_cast(
                election=election, voter=user, choices=form.cleaned_data["choices"]
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            by_number = {c.number: c for c in candidates}
            context = {
                "election": election,
                "receipt": receipt,
                "chosen": [by_number[n] for n in receipt.choices],
                "receipt_text": _receipt_text(election, receipt, by_number),
            }
            # Rendered, not redirected: the code exists only in this response.
            response = render(request, "elections/receipt.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "elections/ballot.html",
        {"election": election, "form": form, "candidates": candidates},
    )


def _receipt_text(election: Election, receipt, by_number) -> str:
    lines = [
        f"Election: {election.title}",
        f"Receipt code: {receipt.code}",
        f"Ballot hash: {receipt.ballot_hash}",
        "Your ballot:",
    ]
    for position, number in enumerate(receipt.choices, start=1):
        candidate = by_number[number]
        prefix = f"{position}." if election.is_ranked else "-"
        lines.append(f"  {prefix} {candidate.user.name} (candidate {number})")
    lines.append("Check it was counted on the election's verify page once the result is published.")
    return "\n".join(lines) + "\n"


@in_viewer_time_zone
def verify(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    form = VerifyForm(request.POST or None)
    outcome = None
    checked = False
    if request.method == "POST" and form.is_valid():
        checked = True
        outcome = selectors.receipt_verify(election, form.cleaned_data["code"])
    names = {}
    if outcome is not None:
        names = {c.number: c for c in selectors.candidates_on_paper(election)}
    context = {
        "election": election,
        "form": form,
        "checked": checked,
        "outcome": outcome,
        "chosen": [names[n] for n in outcome.choices] if outcome else [],
    }
    response = render(request, "elections/verify.html", context)
    response["Cache-Control"] = "no-store"
    return response


# --- Results, published ballots, certification ----------------------------------------------


@cached_page
@in_viewer_time_zone
def results(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    if not election.has_published_ballots:
        messages.info(request, _("Results are published once the election is counted."))
        return redirect("elections:detail", pk=election.pk)
    result = election.result
    on_paper = list(selectors.candidates_on_paper(election))
    context = {
        "election": election,
        "result": result,
        "elected": services.elected_candidates(election, on_paper) if result else [],
        "on_paper": on_paper,
        "table": round_table(result) if result else None,
        "chart": rounds_chart(result) if result else "",
        "ties": ties_described(result) if result else [],
        "can_certify": election.state == Election.State.COUNTED
        and election.outcome == Election.Outcome.ELECTED
        and selectors.can_certify(request.user, election),
    }
    return render(request, "elections/results.html", context)


@in_viewer_time_zone
def published_ballots(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    if not election.has_published_ballots:
        raise Http404
    page = Paginator(selectors.published_ballots(election), BALLOTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = {c.number: c.user.name for c in selectors.candidates_on_paper(election)}
    rows = [
        (ballot.ballot_hash, [names[n] for n in ballot.choices], ballot.choices) for ballot in page
    ]
    context = {"election": election, "page": page, "rows": rows}
    return render(request, "elections/ballots.html", context)


@in_viewer_time_zone
def ballots_blt(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    try:
        text = services.election_blt(election)
    except ApplicationError as error:
        raise Http404(error.message) from error
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}.blt"'
    return response


@in_viewer_time_zone
def ballots_txt(request, pk: int):
    """The published hashes and choices, one ballot a line, sorted by hash."""
    election = selectors.get_election_for(request.user, pk)
    if not election.has_published_ballots:
        raise Http404
    lines = [
        f"# {election.title}: ballot hash, then candidate numbers "
        + ("in order of preference" if election.is_ranked else "ticked"),
        "# hash = SHA-256(receipt code + '|' + "
        f"'commons-ballot-v1|election={election.pk}|method={election.method}|choices=' + numbers)",
    ]
    lines += [
        f"{hash_} {','.join(map(str, choices))}"
        for hash_, choices in selectors.published_ballots(election).values_list(
            "ballot_hash", "choices"
        )
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}-ballots.txt"'
    return response


@require_POST
@in_viewer_time_zone
def certify(request, pk: int):
    election = selectors.get_election_for(request.user, pk)
    try:
        services.election_certify(election=election, actor=request.user)
    except ApplicationError as error:
        if error.status_code == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("Certified: the elected candidates now sit on the board."))
    return redirect("elections:results", pk=election.pk)


# --- Counting any BLT file -----------------------------------------------------------------------


@in_viewer_time_zone
def blt_count(request):
    form = BltCountForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counted = services.blt_count(
                data=upload.read(services.MAX_BLT_BYTES + 1),
                method=form.cleaned_data["method"],
                seed=form.cleaned_data["seed"],
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            result = counted.to_dict()
    context = {
        "form": form,
        "result": result,
        "table": round_table(result) if result else None,
        "chart": rounds_chart(result) if result else "",
        "ties": ties_described(result) if result else [],
    }
    return render(request, "elections/blt_count.html", context)
