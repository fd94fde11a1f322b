"""Uploads (ASVS V12): type by content, size limit, names never trusted, stored outside the web
root, served only through permission-checked views as attachments."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse

from tests.factories import MeasureFactory
from triangle.uploads import FileValidator, random_upload_path, serve_protected_file

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<html><script>alert(document.cookie)</script></html>"


def _upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    "name, content",
    [
        ("lebenslauf.pdf", HTML),  # faked extension and faked browser content type
        ("bild.pdf", PNG),  # a real image, but only PDF is allowed here
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("leer.pdf", b""),
        ("pdf-later.pdf", b"  %PDF-1.4"),  # the magic must be at the very start
    ],
)
def test_wrong_content_is_refused_whatever_the_name_says(name, content):
    with pytest.raises(ValidationError) as error:
        FileValidator(kinds=("pdf",))(_upload(name, content))
    assert error.value.code == "file_type"


def test_right_content_passes_even_with_an_odd_name():
    FileValidator(kinds=("pdf",))(_upload("scan.exe", PDF, "application/x-msdownload"))
    FileValidator(kinds=("pdf", "png"))(_upload("foto", PNG, "text/html"))


@override_settings(MAX_UPLOAD_MB=1)
def test_too_large_file_is_refused_in_german():
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        FileValidator(kinds=("pdf",))(_upload("gross.pdf", big))
    assert error.value.code == "file_too_large"
    assert "1 MB" in error.value.messages[0] and "zu groß" in error.value.messages[0]
    FileValidator(kinds=("pdf",))(_upload("klein.pdf", PDF + b"0" * 1000))


@pytest.mark.parametrize(
    "filename",
    [
        "../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "a/../../b.pdf",
        "/absolute/path.pdf",
        "evil.php\x00.pdf",
        "x.pdf/../../../../tmp/owned",
        ".htaccess",
        "Lebenslauf Müller, Anna.PDF",
        "name." + "a" * 300,
    ],
)
def test_user_file_names_never_reach_the_file_system(filename):
    path = random_upload_path("handover", filename)
    assert re.fullmatch(r"handover/\d{4}/[A-Za-z0-9_-]{32}(\.[a-z0-9]{1,7})?", path), path
    assert ".." not in path and "passwd" not in path and "Müller" not in path


def test_two_uploads_with_the_same_name_get_different_paths():
    assert random_upload_path("flyers", "a.pdf") != random_upload_path("flyers", "a.pdf")


def test_uploads_are_stored_outside_the_web_root_and_have_no_url():
    media = settings.MEDIA_ROOT.resolve()
    for web_root in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        web_root = web_root.resolve()
        assert web_root not in media.parents and media != web_root
    assert not getattr(settings, "MEDIA_URL", "").strip("/")  # no public media route
    for probe in ("/media/flyers/x.pdf", "/uploads/flyers/x.pdf", "/flyers/2026/x.pdf"):
        with pytest.raises(Resolver404):
            resolve(probe)


def test_stored_file_gets_a_random_name_under_media_root(provider_x):
    measure = MeasureFactory(provider=provider_x)
    measure.flyer.save("../../Flyer Anna Müller.pdf", ContentFile(PDF))
    stored = measure.flyer.path
    assert stored.startswith(str(settings.MEDIA_ROOT))
    assert "Müller" not in stored and ".." not in measure.flyer.name


def test_flyer_is_served_only_through_the_permission_check(
    client, provider_x, provider_y_staff, adviser_a, provider_x_staff
):
    from measures.models import Measure

    # a draft: only the provider's own staff may see it (published flyers are catalogue
    # material for everyone signed in)
    measure = MeasureFactory(provider=provider_x, status=Measure.Status.DRAFT)
    measure.flyer.save("flyer.pdf", ContentFile(PDF))
    url = reverse("measures:flyer", args=[measure.pk])
    assert client.get(url).status_code == 302  # anonymous → sign in
    for outsider in (provider_y_staff, adviser_a):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(provider_x_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


def test_a_stored_file_with_unexpected_content_is_never_served_as_html(rf, provider_x, adviser_a):
    measure = MeasureFactory(provider=provider_x)
    measure.flyer.save("x.pdf", ContentFile(HTML))  # bypassing the validator
    request = rf.get("/")
    request.user = adviser_a
    response = serve_protected_file(request, measure.flyer, '../../"evil".html')
    assert response["Content-Type"] == "application/octet-stream"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "/" not in disposition and "evil" in disposition
