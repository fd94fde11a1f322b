import pytest

from tests.factories import MeasureFactory, ParticipantFactory, RunFactory


@pytest.fixture
def measure_x(provider_x, jc_a):
    return MeasureFactory(provider=provider_x, title="Aktiv in den Beruf", commissioners=[jc_a])


@pytest.fixture
def run_x(measure_x):
    return RunFactory(measure=measure_x, places=2)


@pytest.fixture
def participant_a(jc_a, adviser_a, team_a):
    return ParticipantFactory(
        job_centre=jc_a, adviser=adviser_a, team=team_a, first_name="Lena", last_name="Schmidt"
    )


@pytest.fixture
def make_participant(jc_a, adviser_a, team_a):
    def _make(**kwargs):
        kwargs.setdefault("job_centre", jc_a)
        kwargs.setdefault("adviser", adviser_a)
        kwargs.setdefault("team", team_a)
        return ParticipantFactory(**kwargs)

    return _make
