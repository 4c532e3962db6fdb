import pytest
from django.core.cache import cache

from .sample import make_department


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department(db):
    """A team with a head and two managers, a manager of another team; won/lost deals and calls today."""
    return make_department()
