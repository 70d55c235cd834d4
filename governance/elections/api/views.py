"""The elections API: the same selectors and services as the pages, the same rules.

Casting a ballot returns its receipt code once; the API, like the pages, never returns anything
that links a ballot to a voter."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import User
from core.pagecache import cached_read

from .. import selectors, services
from ..errors import ElectionStateConflict
from ..models import Election, Method
from .serializers import (
    BallotCastSerializer,
    BallotPaperSerializer,
    CandidateSerializer,
    ElectionSerializer,
    ElectionWriteSerializer,
    NominateSerializer,
    PublishedBallotSerializer,
    ReceiptSerializer,
    RespondSerializer,
    VerifyRequestSerializer,
    VerifyResponseSerializer,
)


def _election(request, pk) -> Election:
    return selectors.get_election_for(request.user, pk)


def _annotated(request, election: Election) -> Election:
    return selectors.elections_visible_to(request.user).get(pk=election.pk)


class ElectionListView(generics.ListAPIView):
    """Elections you may see; open votes you can cast first."""

    serializer_class = ElectionSerializer

    def get_queryset(self):
        return selectors.elections_visible_to(self.request.user)

    @extend_schema(request=ElectionWriteSerializer, responses={201: ElectionSerializer})
    def post(self, request):
        payload = ElectionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        election = services.election_create(actor=request.user, **payload.validated_data)
        return Response(
            ElectionSerializer(_annotated(request, election)).data, status=status.HTTP_201_CREATED
        )


class ElectionDetailView(APIView):
    @extend_schema(responses={200: ElectionSerializer})
    def get(self, request, pk: int):
        return Response(ElectionSerializer(_annotated(request, _election(request, pk))).data)

    @extend_schema(request=ElectionWriteSerializer, responses={200: ElectionSerializer})
    def patch(self, request, pk: int):
        election = _election(request, pk)
        payload = ElectionWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        election = services.election_update(
            election=election, actor=request.user, **payload.validated_data
        )
        return Response(ElectionSerializer(_annotated(request, election)).data)


class CandidateListView(generics.ListAPIView):
    """Candidates (and the nominations you may see) of an election."""

    serializer_class = CandidateSerializer
    pagination_class = None

    def get_queryset(self):
        election = _election(self.request, self.kwargs["pk"])
        return selectors.candidates_visible_to(self.request.user, election)

    @extend_schema(request=NominateSerializer, responses={201: CandidateSerializer})
    def post(self, request, pk: int):
        election = _election(request, pk)
        payload = NominateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        nominee_id = payload.validated_data.get("nominee")
        if nominee_id is None or nominee_id == request.user.pk:
            nominee = request.user
        else:
            nominee = get_object_or_404(User, pk=nominee_id)
        candidate = services.candidate_nominate(
            election=election,
            nominee=nominee,
            actor=request.user,
            statement=payload.validated_data.get("statement", ""),
        )
        return Response(CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class CandidateRespondView(APIView):
    @extend_schema(request=RespondSerializer, responses={200: CandidateSerializer})
    def post(self, request, pk: int, candidate: int):
        election = _election(request, pk)
        record = selectors.get_candidate_for(request.user, election, candidate)
        payload = RespondSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = services.candidate_respond(
            candidate=record,
            actor=request.user,
            accept=payload.validated_data["accept"],
            statement=payload.validated_data.get("statement", ""),
        )
        return Response(CandidateSerializer(record).data)


class CandidateWithdrawView(APIView):
    @extend_schema(request=None, responses={200: CandidateSerializer})
    def post(self, request, pk: int, candidate: int):
        election = _election(request, pk)
        record = selectors.get_candidate_for(request.user, election, candidate)
        record = services.candidate_withdraw(candidate=record, actor=request.user)
        return Response(CandidateSerializer(record).data)


class BallotView(APIView):
    """Your ballot paper (candidates in your shuffled order) and casting it."""

    @extend_schema(responses={200: BallotPaperSerializer})
    def get(self, request, pk: int):
        election = _election(request, pk)
        standing = {
            c.number: c
            for c in selectors.candidates_standing(election).filter(number__isnull=False)
        }
        order = selectors.ballot_order(election, request.user, list(standing))
        has_voted = selectors.has_voted(request.user, election)
        paper = {
            "method": election.method,
            "seats": election.seats,
            "max_choices": election.seats if election.method == Method.PLURALITY else None,
            "ranked": election.is_ranked,
            "can_vote": election.voting_is_open()
            and selectors.is_elector(request.user, election)
            and not has_voted,
            "has_voted": has_voted,
            "candidates": [
                {
                    "number": n,
                    "name": standing[n].user.name,
                    "statement": standing[n].statement,
                }
                for n in order
            ],
        }
        return Response(BallotPaperSerializer(paper).data)

    @extend_schema(request=BallotCastSerializer, responses={201: ReceiptSerializer})
    def post(self, request, pk: int):
        election = _election(request, pk)
        payload = BallotCastSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        receipt = services.ballot_cast(
            election=election, voter=request.user, choices=payload.validated_data["choices"]
        )
        data = {
            "receipt_code": receipt.code,
            "ballot_hash": receipt.ballot_hash,
            "choices": list(receipt.choices),
        }
        response = Response(ReceiptSerializer(data).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class VerifyView(APIView):
    @extend_schema(request=VerifyRequestSerializer, responses={200: VerifyResponseSerializer})
    def post(self, request, pk: int):
        election = _election(request, pk)
        payload = VerifyRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        outcome = selectors.receipt_verify(election, payload.validated_data["receipt_code"])
        data = {
            "found": outcome is not None,
            "ballot_hash": outcome.ballot_hash if outcome else None,
            "choices": list(outcome.choices) if outcome else [],
            "counted": bool(outcome and outcome.counted),
            "content_matches": bool(outcome and outcome.content_matches),
        }
        return Response(VerifyResponseSerializer(data).data)


def _require_published(election: Election) -> None:
    if not election.has_published_ballots:
        raise ElectionStateConflict("The results are published once the election is counted.")


class ResultsView(APIView):
    """The count: outcome, elected candidates in order, and the full round-by-round result
    (governance.counting CountResult.to_dict(), exact decimal strings)."""

    @extend_schema(responses={200: dict})
    @cached_read
    def get(self, request, pk: int):
        election = _election(request, pk)
        _require_published(election)
        elected = services.elected_candidates(election)
        return Response(
            {
                "election": ElectionSerializer(_annotated(request, election)).data,
                "outcome": election.outcome,
                "seed": election.result_seed,
                "elected": CandidateSerializer(elected, many=True).data,
                "candidates": CandidateSerializer(
                    selectors.candidates_on_paper(election), many=True
                ).data,
                "result": election.result,
            }
        )


class PublishedBallotsView(generics.ListAPIView):
    """The anonymous ballots with their hashes, sorted by hash."""

    serializer_class = PublishedBallotSerializer

    def get_queryset(self):
        election = _election(self.request, self.kwargs["pk"])
        if not election.has_published_ballots:
            raise Http404
        return selectors.published_ballots(election).only("ballot_hash", "choices")


class CertifyView(APIView):
    @extend_schema(request=None, responses={200: ElectionSerializer})
    def post(self, request, pk: int):
        election = services.election_certify(election=_election(request, pk), actor=request.user)
        return Response(ElectionSerializer(_annotated(request, election)).data)
