import pytest

from logements import importation


@pytest.fixture(params=["copie", "orm"])
def moteur(request, monkeypatch):
    """Run a test on PostgreSQL's COPY path and on the ORM path used by SQLite."""
    if request.param == "orm":
        monkeypatch.setitem(importation.MOTEURS, "postgresql", importation.MoteurOrm)
    return request.param
