import pytest

from .factories import AppFactory, EventFactory, admin_user, provider_user


@pytest.fixture
def provider(in_a):
    return provider_user(email="provider@alpha.test", name="Priya Provider")


@pytest.fixture
def other_provider(in_a):
    return provider_user(email="other-provider@alpha.test", name="Otto Other")


@pytest.fixture
def admin(in_a):
    return admin_user(email="admin@alpha.test", name="Ada Admin")


@pytest.fixture
def app(provider):
    return AppFactory(provider=provider, name="Pitch Night")


@pytest.fixture
def event(app):
    return EventFactory(app=app, title="Pitch Night Paris", capacity=2)


@pytest.fixture
def free_event(app):
    return EventFactory(app=app, title="Free Breakfast", capacity=2, price=0)
