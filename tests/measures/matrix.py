"""Permission matrix rows for measures: published measures are readable by every signed-in
user, drafts only by their provider; only provider X's staff and manager change X's measures."""

from django.core.files.base import ContentFile

from tests.matrix import ROLES, Row

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PROVIDER_X = {"provider_x_staff", "provider_x_manager"}


def _world(w):
    from measures.models import Measure
    from tests.factories import MeasureFactory, OpenDayFactory, RunFactory

    w.published = MeasureFactory(provider=w.provider_x, status=Measure.Status.PUBLISHED)
    w.draft = MeasureFactory(provider=w.provider_x, status=Measure.Status.DRAFT)
    w.published.flyer.save("flyer.pdf", ContentFile(PDF))
    w.draft.flyer.save("flyer.pdf", ContentFile(PDF))
    w.run = RunFactory(measure=w.published)
    w.draft_run = RunFactory(measure=w.draft)
    w.open_day = OpenDayFactory(measure=w.published)
    w.draft_open_day = OpenDayFactory(measure=w.draft)


def every(status: int) -> dict:
    return {r: status for r in ROLES if r != "anonymous"}


def provider_x(own: int, *, others: int) -> dict:
    return {**every(others), **{r: own for r in PROVIDER_X}}


PROVIDER_PAGES = {
    **every(403),
    "provider_x_staff": 200,
    "provider_x_manager": 200,
    "provider_y_staff": 200,
}
MANAGERS = {**every(403), "provider_x_manager": 200}

ROWS = [
    Row("measures:catalogue", expect=every(200), setup=_world),
    Row(
        "measures:catalogue",
        expect=every(200),
        setup=_world,
        query="q=Maßnahme&free_places=on",
        id="search",
    ),
    Row("measures:my_measures", expect=PROVIDER_PAGES, setup=_world),
    Row("measures:create", expect=PROVIDER_PAGES),
    Row("measures:import", expect=MANAGERS),
    Row("measures:import_template", args=lambda w: ["csv"], expect=MANAGERS),
    Row(
        "measures:detail",
        setup=_world,
        args=lambda w: [w.published.pk],
        expect=every(200),
        id="published",
    ),
    Row(
        "measures:detail",
        setup=_world,
        args=lambda w: [w.draft.pk],
        expect=provider_x(200, others=404),
        id="draft",
    ),
    Row(
        "measures:flyer",
        setup=_world,
        args=lambda w: [w.published.pk],
        expect=every(200),
        id="published",
    ),
    Row(
        "measures:flyer",
        setup=_world,
        args=lambda w: [w.draft.pk],
        expect=provider_x(200, others=404),
        id="draft",
    ),
    Row(
        "measures:edit",
        setup=_world,
        args=lambda w: [w.published.pk],
        expect=provider_x(200, others=403),
        id="published",
    ),
    Row(
        "measures:edit",
        setup=_world,
        args=lambda w: [w.draft.pk],
        expect=provider_x(200, others=404),
        id="draft",
    ),
    Row(
        "measures:verify",
        setup=_world,
        args=lambda w: [w.published.pk],
        method="post",
        expect=provider_x(302, others=403),
        id="published",
    ),
    Row(
        "measures:verify",
        setup=_world,
        args=lambda w: [w.draft.pk],
        method="post",
        expect=provider_x(302, others=404),
        id="draft",
    ),
    Row(
        "measures:status",
        setup=_world,
        args=lambda w: [w.published.pk],
        method="post",
        data=lambda w: {"status": "archived"},
        expect=provider_x(302, others=403),
        id="published",
    ),
    Row(
        "measures:status",
        setup=_world,
        args=lambda w: [w.draft.pk],
        method="post",
        data=lambda w: {"status": "published"},
        expect=provider_x(302, others=404),
        id="draft",
    ),
    Row(
        "measures:run_create",
        setup=_world,
        args=lambda w: [w.published.pk],
        expect=provider_x(200, others=403),
        id="published",
    ),
    Row(
        "measures:run_create",
        setup=_world,
        args=lambda w: [w.draft.pk],
        expect=provider_x(200, others=404),
        id="draft",
    ),
    Row(
        "measures:run_edit",
        setup=_world,
        args=lambda w: [w.run.pk],
        expect=provider_x(200, others=403),
        id="published",
    ),
    Row(
        "measures:run_edit",
        setup=_world,
        args=lambda w: [w.draft_run.pk],
        expect=provider_x(200, others=404),
        id="draft",
    ),
    Row(
        "measures:open_day_create",
        setup=_world,
        args=lambda w: [w.published.pk],
        expect=provider_x(200, others=403),
        id="published",
    ),
    Row(
        "measures:open_day_create",
        setup=_world,
        args=lambda w: [w.draft.pk],
        expect=provider_x(200, others=404),
        id="draft",
    ),
    Row(
        "measures:open_day_detail",
        setup=_world,
        args=lambda w: [w.open_day.pk],
        expect=every(200),
        id="published",
    ),
    Row(
        "measures:open_day_detail",
        setup=_world,
        args=lambda w: [w.draft_open_day.pk],
        expect=provider_x(200, others=404),
        id="draft",
    ),
    Row(
        "measures:open_day_signup",
        setup=_world,
        args=lambda w: [w.open_day.pk],
        method="post",
        expect={
            **every(403),
            "adviser_a": 302,
            "team_lead_a": 302,
            "benefits_officer_a": 302,
            "adviser_b": 302,
        },
        id="published",
    ),
    Row(
        "measures:open_day_signup",
        setup=_world,
        args=lambda w: [w.draft_open_day.pk],
        method="post",
        expect=provider_x(403, others=404),
        id="draft",
    ),
    Row(
        "measures:open_day_cancel",
        setup=_world,
        args=lambda w: [w.open_day.pk],
        method="post",
        expect=every(302),
        id="published",
    ),
    Row(
        "measures:open_day_cancel",
        setup=_world,
        args=lambda w: [w.draft_open_day.pk],
        method="post",
        expect=provider_x(302, others=404),
        id="draft",
    ),
]


# --- contact directory maintenance (triangle URLs, built with the measure catalogue) ------------
def _contact_world(w):
    from tests.factories import ContactEntryFactory

    w.contact = ContactEntryFactory(organisation=w.jc_a)


CONTACT_EDITORS = {"team_lead_a": 200, "org_admin_a": 200}

ROWS += [
    Row(
        "contact_create",
        expect={**every(403), **CONTACT_EDITORS, "provider_x_manager": 200},
    ),
    Row(
        "contact_edit",
        setup=_contact_world,
        args=lambda w: [w.contact.pk],
        expect={**every(403), **CONTACT_EDITORS, "adviser_b": 404, "provider_y_staff": 404},
    ),
    Row(
        "contact_verify",
        setup=_contact_world,
        args=lambda w: [w.contact.pk],
        method="post",
        expect={
            **every(403),
            "team_lead_a": 302,
            "org_admin_a": 302,
            "adviser_b": 404,
            "provider_y_staff": 404,
        },
    ),
]
