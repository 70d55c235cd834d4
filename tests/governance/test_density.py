"""Density thresholds: a place that crosses its threshold (either way) raises one alert to the
organisation admins per crossing; forming or standing down the committee resolves it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chapters.models import Chapter
from core.models import Notification
from governance import selectors, services, tasks
from governance.models import DensityAlert, GovernanceSettings, Level

from .factories import ChapterFactory, MetroFactory


def _lower_thresholds():
    GovernanceSettings.objects.filter(pk=GovernanceSettings.load().pk).update(
        metro_threshold=3, region_threshold=4, country_threshold=50
    )


def test_reaching_the_threshold_alerts_the_admins_once(world):
    _lower_thresholds()
    ChapterFactory(metro=world.lyon)  # Lyon: 3, as its committee needs
    assert services.density_check() == []
    ChapterFactory(metro=world.grenoble)
    assert [a.place for a in services.density_check()] == [world.ara]  # region: 3 + 1 = 4

    ChapterFactory(metro=world.grenoble)
    assert services.density_check() == []
    ChapterFactory(metro=world.grenoble)
    alerts = services.density_check()
    assert [(a.level, a.place, a.direction) for a in alerts] == [
        (Level.METRO, world.grenoble, DensityAlert.Direction.REACHED)
    ]
    assert alerts[0].notified_at is not None
    notes = Notification.objects.filter(user=world.admin, title__contains="Grenoble can have")
    assert notes.count() == 1

    assert services.density_check() == []  # idempotent
    assert tasks.check_density.apply().get() == 0
    assert DensityAlert.objects.filter(metro=world.grenoble).count() == 1


def test_forming_the_committee_resolves_the_alert(world):
    _lower_thresholds()
    for _ in range(3):
        ChapterFactory(metro=world.grenoble)
    services.density_check()

    committee = services.committee_form(level=Level.METRO, place=world.grenoble, actor=world.admin)

    alert = DensityAlert.objects.get(metro=world.grenoble)
    assert alert.resolved_at is not None and alert.resolved_by == world.admin
    assert committee.is_active
    assert services.density_check() == []


def test_falling_below_the_threshold_with_a_committee_alerts_once(world):
    _lower_thresholds()
    # Lyon has a committee and 2 active chapters (< 3): the first check notices it.
    alerts = services.density_check()
    assert [(a.place, a.direction) for a in alerts] == [
        (world.lyon, DensityAlert.Direction.FELL_BELOW)
    ]
    assert services.density_check() == []

    services.committee_stand_down(committee=world.lyon_committee, actor=world.admin)
    assert DensityAlert.objects.get(metro=world.lyon).resolved_at is not None
    assert services.density_check() == []


def test_crossing_back_and_forth_gives_one_alert_per_crossing(world):
    _lower_thresholds()
    chapters = [ChapterFactory(metro=world.grenoble) for _ in range(3)]
    services.density_check()
    Chapter.objects.filter(pk=chapters[0].pk).update(status=Chapter.Status.DORMANT)
    down = [a for a in services.density_check() if a.metro_id == world.grenoble.pk]
    # No committee was formed, so falling back needs nothing: recorded, closed, not notified.
    assert [a.direction for a in down] == [DensityAlert.Direction.FELL_BELOW]
    assert down[0].resolved_at is not None and down[0].notified_at is None
    assert DensityAlert.objects.filter(metro=world.grenoble, resolved_at__isnull=True).count() == 0

    Chapter.objects.filter(pk=chapters[0].pk).update(status=Chapter.Status.ACTIVE)
    up = [a for a in services.density_check() if a.metro_id == world.grenoble.pk]
    assert [a.direction for a in up] == [DensityAlert.Direction.REACHED]
    assert DensityAlert.objects.filter(metro=world.grenoble).count() == 3


def test_dismissing_keeps_quiet_until_the_next_crossing(world):
    _lower_thresholds()
    alert = services.density_check()[0]
    services.density_alert_dismiss(alert=alert, actor=world.admin, note="We keep it.")
    assert services.density_check() == []


def test_the_density_overview_takes_the_same_queries_for_any_network_size(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.places_flat(selectors.places_density())
        return len(queries), rows

    count()  # the settings row is made on first use
    small, rows = count()
    lyon = next(row for row in rows if row.place == world.lyon)
    assert (lyon.active_chapters, lyon.threshold, lyon.committee) == (2, 5, world.lyon_committee)
    for _ in range(5):
        metro = MetroFactory(region=world.ara)
        ChapterFactory(metro=metro)
        ChapterFactory(metro=metro, status=Chapter.Status.FORMING)
    large, rows = count()
    assert small == large
    region = next(row for row in rows if row.place == world.ara)
    assert region.active_chapters == 7  # forming chapters do not count
