import pytest
from django_scopes import scope


@pytest.fixture
def scoped(organisation):
    with scope(organisation=organisation):
        yield organisation
