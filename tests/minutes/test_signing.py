"""Approval signs the PDF (PAdES, pyHanko); the signature validates; every refusal leaves the minutes unsigned and unchanged."""
from __future__ import annotations

import unicodedata

import io
import uuid
from datetime import datetime, timedelta, timezone

import pymupdf
import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import service, signing
from app.minutes.models import MinutesApproval
from tests.factories import make_meeting
from tests.minutes.conftest import close_meeting, user, write_minutes, write_pair


def approve(app, held, cfg):
    meeting = db.session.get(Meeting, held.meeting_id)
    if meeting.status != Meeting.CLOSED:
        close_meeting(held)
    with app.test_request_context():
        approval = service.approve_minutes(meeting, held.chair, user(held.chair).name, cfg)
    db.session.commit()
    return approval


def validate(pdf: bytes, cert_path):
    reader = PdfFileReader(io.BytesIO(pdf))
    assert len(reader.embedded_signatures) == 1
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))])
    return validate_pdf_signature(reader.embedded_signatures[0], context)


def test_the_approved_pdf_is_signed_validates_against_its_certificate_and_still_reads_as_the_minutes(app, held, certs):
    write_minutes(held, 0, "Budget discussed.", "The committee adopts the budget 2027.")
    approval = approve(app, held, certs["valid"].config())
    status = validate(approval.signed_pdf, certs["valid"].cert)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert "Dais test signer valid" in approval.signer_subject
    with pymupdf.open("pdf", approval.signed_pdf) as pdf:
        # NFKC: the typesetter writes ligatures (“ﬀ” for “ff”), which a reader's search folds the same way.
        text = unicodedata.normalize("NFKC", " ".join(" ".join(page.get_text() for page in pdf).split()))
        widgets = [w for page in pdf for w in page.widgets() if w.field_type == pymupdf.PDF_WIDGET_TYPE_SIGNATURE]
    assert "Approved by Nguyễn Thị Mai on" in text and "Approved by the chair and digitally signed" in text
    assert "The committee adopts the budget 2027." in text
    assert approval.content_hash in text.replace(" ", "")  # a long hex word may wrap
    assert widgets and widgets[0].field_name == "ChairSignature"  # a reader shows the signature field
    # the visible stamp names the chair as written, accents and all (it printed “Nguyen Thi Mai”)
    with pymupdf.open("pdf", approval.signed_pdf) as pdf:
        pdf.bake()   # the stamp's appearance into the page, as a reader shows it
        stamped = " ".join(page.get_text() for page in pdf)
    assert "Nguyễn Thị Mai" in stamped.split("Digitally signed (PAdES)", 1)[-1]


def test_a_change_after_approval_needs_a_new_approval_and_a_new_signature(app, held, certs):
    write_minutes(held, 0, "Budget discussed.")
    first = approve(app, held, certs["valid"].config())
    meeting = db.session.get(Meeting, held.meeting_id)
    assert service.approval_state(meeting, service.collect(meeting)).status == service.APPROVED
    with pytest.raises(Exception, match="already approved"):
        approve(app, held, certs["valid"].config())
    db.session.rollback()

    write_minutes(held, 0, "Budget discussed; corrected spelling.")
    state = service.approval_state(meeting, service.collect(meeting))
    assert state.status == service.CHANGED
    second = approve(app, held, certs["valid"].config())
    assert second.id != first.id and second.content_hash != first.content_hash
    assert validate(second.signed_pdf, certs["valid"].cert).bottom_line
    assert service.approval_state(meeting, service.collect(meeting)).status == service.APPROVED


def refused(app, cfg) -> str:
    """Approve a small meeting with `cfg`; assert that nothing was stored and the text is intact; the message."""
    meeting = make_meeting(f"plain-{uuid.uuid4().hex[:8]}", status=Meeting.CLOSED, items=1)
    item = meeting.items[0]
    service.save_item_minutes(item, "Unsigned notes stay.", "", 0, None)
    db.session.commit()
    with pytest.raises(signing.SigningError) as caught, app.test_request_context():
        service.approve_minutes(meeting, None, "Chair", cfg, service.Providers(None, None, None))
    db.session.rollback()
    assert db.session.query(MinutesApproval).count() == 0
    assert service.item_minutes(item.id).notes == "Unsigned notes stay."
    assert "The minutes were not approved and stay as they were (unsigned)." in caught.value.message
    return caught.value.message


def test_an_expired_certificate_is_refused_with_its_date(app, ctx, certs):
    message = refused(app, certs["expired"].config())
    assert "expired on" in message and "DAIS_SIGNING_CERT" in message


def test_a_wrong_key_password_is_refused(app, ctx, certs):
    message = refused(app, certs["valid"].config(password="not-the-password"))
    assert "password for the signing key valid-key.pem is wrong" in message


def test_a_key_password_that_is_not_configured_is_asked_for(app, ctx, certs):
    assert "DAIS_SIGNING_KEY_PASSWORD" in refused(app, certs["valid"].config(password=None))


def test_an_unreadable_key_is_refused(app, ctx, certs, tmp_path):
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key at all\n-----END PRIVATE KEY-----\n")
    assert "cannot be read" in refused(app, certs["valid"].config(key_path=garbage, password=None))


def test_a_missing_certificate_file_and_no_configuration_are_refused(app, ctx, certs, tmp_path):
    assert "does not exist" in refused(app, certs["valid"].config(cert_path=tmp_path / "nowhere.pem"))
    assert "No signing certificate is configured" in refused(app, signing.SigningConfig(None, None, None))


def test_a_key_of_another_certificate_is_refused(app, ctx, certs, tmp_path):
    other = write_pair(tmp_path, "other")
    assert "does not belong to the certificate" in refused(app, certs["valid"].config(key_path=other.key, password=None))


def test_a_certificate_not_yet_valid_is_refused(app, ctx, tmp_path):
    now = datetime.now(timezone.utc)
    future = write_pair(tmp_path, "future", not_before=now + timedelta(days=2), not_after=now + timedelta(days=30))
    assert "valid only from" in refused(app, future.config())


def test_the_demo_certificate_is_written_once_and_signs(app, held):
    cert, key, created = signing.write_demo_cert(app.config["DATA_DIR"])
    assert created and (key.stat().st_mode & 0o777) == 0o600
    assert signing.write_demo_cert(app.config["DATA_DIR"])[2] is False
    cfg = signing.config_from(app.config)
    assert cfg.demo and cfg.cert_path == cert
    approval = approve(app, held, cfg)
    assert validate(approval.signed_pdf, cert).bottom_line


def test_a_signature_label_at_the_foot_of_a_page_takes_its_stamp_to_a_page_of_its_own(app, held, certs):
    """The label “Digital signature:” could end a page with no room under it: the stamp was left out and a printed
    copy looked unsigned. The approval section then starts a page of its own, the stamp under its label."""
    from app.minutes import export
    from app.minutes.service import APPROVED, collect

    meeting = db.session.get(Meeting, held.meeting_id)
    info = export.ApprovalInfo(name="Chair", at="2026-12-07T22:00:00", content_hash="0" * 64)
    with app.test_request_context():
        for lines in range(1, 120):   # notes just long enough to push the label to the foot of a page
            write_minutes(held, 0, "\n".join(f"Point {n} discussed." for n in range(lines)))
            if export.signature_box(export.render_pdf(collect(meeting), APPROVED, info)) is None:
                break
        else:
            pytest.fail("no length of notes put the signature label at the foot of a page")
        pdf_bytes, box = export.render_for_signature(collect(meeting), APPROVED, info)
    assert box is not None
    with pymupdf.open("pdf", pdf_bytes) as pdf:   # the approval section moved whole to a page of its own
        assert pdf[box[0]].search_for("Approval") and pdf[box[0]].search_for("Digital signature:")
    # and signed for real (the chair's name and the moment differ from the trial's: wherever the label then falls)
    approval = approve(app, held, certs["valid"].config())
    with pymupdf.open("pdf", approval.signed_pdf) as pdf:
        label = [(n, hit) for n, page in enumerate(pdf) for hit in page.search_for("Digital signature:")]
        stamps = [(n, w.rect) for n, page in enumerate(pdf) for w in page.widgets()
                  if w.field_type == pymupdf.PDF_WIDGET_TYPE_SIGNATURE]
        assert len(label) == 1 and len(stamps) == 1 and stamps[0][1].height > 40, (label, stamps)
        (label_page, hit), (stamp_page, rect) = label[0], stamps[0]
        assert stamp_page == label_page and 0 <= rect.y0 - hit.y1 < 20   # the stamp right under its label
