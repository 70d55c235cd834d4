"""The committee queue: what reached the committee, oldest first, with filters; its query count
does not grow with the number of escalations."""

import datetime

from django.db.models import F
from django.test import Client

from governance import services
from governance.models import Escalation

from .factories import join


def _client(user) -> Client:
    client = Client(HTTP_HOST="alpha.localhost")
    client.force_login(user)
    return client


def _raise(world, n: int, **extra):
    made = []
    for i in range(n):
        user = join(world.chapter).user
        made.append(
            services.escalation_raise(
                chapter=world.chapter,
                user=user,
                category=extra.get("category", "conduct"),
                title=f"Issue {i}",
                description="d",
            )
        )
    return made


def test_the_queue_lists_oldest_first_and_filters(world):
    first, second = _raise(world, 2)
    Escalation.objects.filter(pk=second.pk).update(
        created=F("created") - datetime.timedelta(days=3)
    )
    services.escalation_acknowledge(escalation=first, actor=world.chair)
    resources = _raise(world, 1, category="resources")[0]
    services.escalation_assign(
        escalation=resources, actor=world.chair, assignee=world.committee_member
    )
    client = _client(world.committee_member)

    page = client.get("/governance/queue/").content.decode()
    assert page.index("Issue 1") < page.index("Issue 0")  # the older one first

    ack = client.get("/governance/queue/?status=acknowledged").content.decode()
    assert f"#{first.pk} " in ack and f"#{second.pk} " not in ack
    cat = client.get("/governance/queue/?category=resources").content.decode()
    assert f"#{resources.pk} " in cat and f"#{first.pk} " not in cat
    mine = client.get("/governance/queue/?assigned=me").content.decode()
    assert f"#{resources.pk} " in mine and f"#{second.pk} " not in mine

    services.escalation_escalate(escalation=second, actor=world.chair, reason="Up.")
    here = client.get("/governance/queue/").content.decode()
    assert f"#{second.pk} " not in here
    reached = client.get("/governance/queue/?scope=reached").content.decode()
    assert f"#{second.pk} " in reached and "now with the Board" in reached

    partial = client.get(
        "/governance/queue/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results"
    )
    assert "<html" not in partial.content.decode()


def _queue_queries(client, django_assert_max_num_queries, count):
    with django_assert_max_num_queries(count):
        assert client.get("/governance/queue/").status_code == 200


def test_queue_query_count_is_constant(pages_drawn, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(world.chair)
    _raise(world, 1)
    client.get("/governance/queue/")  # warm: settings row, sessions
    with CaptureQueriesContext(connection) as few:
        client.get("/governance/queue/")
    _raise(world, 12)
    with django_assert_num_queries(len(few)):
        assert client.get("/governance/queue/").status_code == 200
    with CaptureQueriesContext(connection) as api_few:
        client.get("/api/v1/governance/escalations/")
    _raise(world, 5)
    with django_assert_num_queries(len(api_few)):
        assert client.get("/api/v1/governance/escalations/").status_code == 200


def test_the_escalation_page_query_count_is_constant(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    escalation = _raise(world, 1)[0]
    client = _client(world.chair)
    client.get(f"/governance/escalations/{escalation.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/governance/escalations/{escalation.pk}/")
    for i in range(5):
        services.escalation_comment(escalation=escalation, actor=world.chair, body=f"c{i}")
        services.escalation_comment(escalation=escalation, actor=escalation.raised_by, body="r")
    with django_assert_num_queries(len(few)):
        assert client.get(f"/governance/escalations/{escalation.pk}/").status_code == 200
