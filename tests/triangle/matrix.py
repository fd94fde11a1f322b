from tests.matrix import Row, staff

ROWS = [
    Row("home", default=200),
    Row("healthz", default=200, expect={"anonymous": 200}),
    Row("contact_directory", expect=staff(200, foreign=200, participant=200)),
    Row(
        "organisation_detail",
        args=lambda w: [w.jc_a.pk],
        expect=staff(200, participant=200),
        id="own job centre",
    ),
    Row(
        "organisation_detail",
        args=lambda w: [w.provider_y.pk],
        expect={**staff(404), "provider_y_staff": 200, "adviser_b": 200},
        id="provider Y seen from A",
    ),
]
