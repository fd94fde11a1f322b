import io

from django.core.management import call_command
from django.utils import timezone

from measures.models import Measure, OpenDay, Run


def test_demo_has_measures_of_every_demo_provider_with_past_present_and_future_runs(db):
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    assert 28 <= Measure.objects.count() <= 40
    providers = set(Measure.objects.values_list("provider__slug", flat=True))
    assert providers == {"bw-lindenhof", "brueckenwerk", "neue-wege", "gesundheitsladen"}
    legal = set(Measure.objects.values_list("legal_basis", flat=True))
    assert {"sgb3_45", "sgb3_81", "sgb2_16d", "sgb2_16k"} <= legal
    assert Run.objects.filter(end_date__lt=today).exists()
    assert Run.objects.filter(start_date__lte=today, end_date__gte=today).exists()
    assert Run.objects.filter(start_date__gt=today).exists()
    assert Run.objects.filter(end_date__isnull=True).exists()
    assert OpenDay.objects.filter(signups__isnull=False).exists()
    commissioners = set(
        Measure.commissioners.through.objects.values_list("organisation__slug", flat=True)
    )
    assert {"jc-mittelfeld", "jc-nordhafen", "aa-mittelfeld"} <= commissioners
    assert Measure.objects.filter(contacts__isnull=False).exists()


def test_seed_measures_adds_catalogue_volume(db):
    call_command("seed_demo", stdout=io.StringIO())
    before = Measure.objects.count()
    call_command("seed_measures", "--scale", "3", stdout=io.StringIO())
    assert Measure.objects.count() == before + 90
    titles = Measure.objects.values_list("title", flat=True)
    assert len(set(titles)) == len(titles)
