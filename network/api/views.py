from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, parsers
from rest_framework.response import Response

from core.pagecache import cached_read

from .. import selectors, services
from ..models import Entrepreneur
from .serializers import (
    EntrepreneurSerializer,
    EntrepreneurUpdateSerializer,
    MetroSerializer,
    MetroWriteSerializer,
    SectorSerializer,
    SectorWriteSerializer,
)

DIRECTORY_PARAMETERS = [
    OpenApiParameter("q", str, description="Words to find in name, company or bio."),
    OpenApiParameter("metro", int, description="Metro id."),
    OpenApiParameter("sector", int, description="Sector id."),
    OpenApiParameter("unaffiliated", bool, description="Only members in no chapter."),
    OpenApiParameter(
        "status",
        str,
        enum=["active", "deactivated", "all"],
        description="Admins only (default active); ignored for other members.",
    ),
]


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


class MetroListView(generics.ListAPIView):
    """Metros with their region, country and IANA time zone. Admins may add one."""

    serializer_class = MetroSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.metros_list()

    @extend_schema(request=MetroWriteSerializer, responses={201: MetroSerializer})
    def post(self, request):
        payload = MetroWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        metro = services.metro_create(actor=request.user, **payload.validated_data)
        return Response(MetroSerializer(selectors.get_metro(metro.pk)).data, status=201)


class MetroDetailView(generics.RetrieveAPIView):
    serializer_class = MetroSerializer

    def get_object(self):
        return selectors.get_metro(self.kwargs["pk"])

    @extend_schema(request=MetroWriteSerializer, responses={200: MetroSerializer})
    def patch(self, request, pk: int):
        metro = self.get_object()
        current = {"region": metro.region_id, "name": metro.name, "time_zone": metro.time_zone}
        payload = MetroWriteSerializer(data={**current, **request.data})
        payload.is_valid(raise_exception=True)
        services.metro_update(metro=metro, actor=request.user, **payload.validated_data)
        return Response(MetroSerializer(selectors.get_metro(metro.pk)).data)


class SectorListView(generics.ListAPIView):
    """Sectors in use (admins also see retired ones). Admins may add one."""

    serializer_class = SectorSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.sectors_visible_to(self.request.user)

    @extend_schema(request=SectorWriteSerializer, responses={201: SectorSerializer})
    def post(self, request):
        payload = SectorWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        sector = services.sector_create(actor=request.user, **payload.validated_data)
        return Response(SectorSerializer(sector).data, status=201)


class SectorDetailView(generics.RetrieveAPIView):
    """One sector. PATCH renames it, or retires it (`is_active: false`) or brings it back."""

    serializer_class = SectorSerializer

    def get_object(self):
        return selectors.get_sector_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=SectorWriteSerializer, responses={200: SectorSerializer})
    def patch(self, request, pk: int):
        sector = self.get_object()
        current = {"name": sector.name, "description": sector.description}
        payload = SectorWriteSerializer(data={**current, **request.data})
        payload.is_valid(raise_exception=True)
        services.sector_update(sector=sector, actor=request.user, **payload.validated_data)
        return Response(SectorSerializer(sector).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        services.sector_delete(sector=self.get_object(), actor=request.user)
        return Response(status=204)


@extend_schema_view(get=extend_schema(parameters=DIRECTORY_PARAMETERS))
class EntrepreneurListView(generics.ListAPIView):
    """The directory: the profiles you may see, searched and filtered, 25 a page."""

    serializer_class = EntrepreneurSerializer

    @cached_read
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Entrepreneur]:
        params = self.request.query_params
        unaffiliated = params.get("unaffiliated", "").lower() in {"1", "true", "yes", "on"}
        filters = selectors.DirectoryFilters(
            query=params.get("q", "")[:100],
            metro_id=_int_param(self.request, "metro"),
            sector_id=_int_param(self.request, "sector"),
            unaffiliated=unaffiliated,
            status=params.get("status", "active"),
        )
        return selectors.entrepreneur_directory(self.request.user, filters)


class EntrepreneurDetailView(generics.RetrieveAPIView):
    """One profile, if you may see it (404 otherwise)."""

    serializer_class = EntrepreneurSerializer

    def get_object(self):
        return selectors.get_entrepreneur_for(self.request.user, self.kwargs["pk"])


class EntrepreneurMeView(generics.GenericAPIView):
    """Your own profile (made on first use)."""

    serializer_class = EntrepreneurSerializer
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def _own(self) -> Entrepreneur:
        services.entrepreneur_ensure(user=self.request.user)
        return selectors.entrepreneur_of(self.request.user)

    def get(self, request):
        return Response(EntrepreneurSerializer(self._own(), context={"request": request}).data)

    @extend_schema(request=EntrepreneurUpdateSerializer, responses={200: EntrepreneurSerializer})
    def patch(self, request):
        entrepreneur = self._own()
        payload = EntrepreneurUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        values = dict(payload.validated_data)
        photo = values.pop("photo", None)
        remove_photo = values.pop("remove_photo", False)
        services.entrepreneur_update(
            entrepreneur=entrepreneur,
            actor=request.user,
            values=values,
            photo=photo,
            remove_photo=remove_photo,
        )
        return Response(EntrepreneurSerializer(self._own(), context={"request": request}).data)
