"""PAdES signatures of approved minutes with pyHanko; the admin's certificate and key, or the demo's self-signed pair."""
from __future__ import annotations

import io
import logging
import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.config import PROJECT_ROOT
from app.errors import DomainError, Term
from app.i18n import N_

log = logging.getLogger("dais.minutes")

UNCHANGED = N_("The minutes were not approved and stay as they were (unsigned).")


class SigningError(DomainError):
    """The minutes cannot be signed: the certificate or key is missing, expired, unreadable or locked.
    Every such sentence ends with UNCHANGED (added here, translated on its own)."""

    status = 409
    code = "signing_failed"

    def __init__(self, message: str, **params):
        super().__init__(message, **params)
        self.message = f"{self.message} {UNCHANGED}"
        self.args = (self.message,)

    def localized(self) -> str:
        from flask import has_request_context

        if not has_request_context():
            return self.message
        from flask_babel import gettext

        return f"{super().localized()} {gettext(UNCHANGED)}"


@dataclass
class SigningConfig:
    """Where the signing certificate and key are (paths), and the key's password."""

    cert_path: Path | None
    key_path: Path | None
    password: str | None
    demo: bool = False


def demo_paths(data_dir: Path) -> tuple[Path, Path]:
    """Where `flask minutes demo-cert` writes the demo certificate and key."""
    folder = Path(data_dir) / "signing"
    return folder / "demo-cert.pem", folder / "demo-key.pem"


def config_from(app_config) -> SigningConfig:
    """The configured certificate (DAIS_SIGNING_CERT, DAIS_SIGNING_KEY, DAIS_SIGNING_KEY_PASSWORD), else the demo pair."""
    cert, key = app_config.get("SIGNING_CERT"), app_config.get("SIGNING_KEY")
    password = app_config.get("SIGNING_KEY_PASSWORD") or None
    if cert or key:
        return SigningConfig(Path(cert) if cert else None, Path(key) if key else None, password)
    demo_cert, demo_key = demo_paths(app_config["DATA_DIR"])
    if demo_cert.exists():
        return SigningConfig(demo_cert, demo_key, None, demo=True)
    return SigningConfig(None, None, None)


@dataclass
class LoadedSigner:
    """A pyHanko signer ready to sign, and who it is."""

    signer: object
    subject: str
    not_after: datetime


def load_signer(cfg: SigningConfig, now: datetime | None = None) -> LoadedSigner:
    """Read and check the certificate and key; SigningError with a sentence the admin can act on."""
    from asn1crypto import keys as asn1_keys, x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    now = now or datetime.now(timezone.utc)
    if cfg.cert_path is None:
        raise SigningError(
            "No signing certificate is configured, so the minutes cannot be signed. The admin sets DAIS_SIGNING_CERT, "
            "DAIS_SIGNING_KEY and DAIS_SIGNING_KEY_PASSWORD (see docs/deploy.md), or runs `flask minutes demo-cert` "
            "for a demo certificate.")
    cert_data = _read(cfg.cert_path, Term("signing file", "signing certificate (DAIS_SIGNING_CERT)"))
    try:
        cert = (x509.load_pem_x509_certificate(cert_data) if b"-----BEGIN" in cert_data
                else x509.load_der_x509_certificate(cert_data))
    except ValueError:
        raise SigningError("The signing certificate %(file)s is not a PEM or DER certificate; the admin should check "
                           "DAIS_SIGNING_CERT.", file=cfg.cert_path.name)
    subject = cert.subject.rfc4514_string()
    if now < cert.not_valid_before_utc:
        raise SigningError("The signing certificate “%(subject)s” is valid only from %(start)s UTC; the admin should "
                           "check the certificate or the server's clock.", subject=subject,
                           start=f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M}")
    if now > cert.not_valid_after_utc:
        raise SigningError("The signing certificate “%(subject)s” expired on %(date)s. The admin must configure a valid "
                           "certificate (DAIS_SIGNING_CERT, DAIS_SIGNING_KEY).", subject=subject,
                           date=f"{cert.not_valid_after_utc:%Y-%m-%d}")
    if cfg.key_path is None:
        raise SigningError("No signing key is configured; the admin sets DAIS_SIGNING_KEY to the key of the certificate.")
    key_data = _read(cfg.key_path, Term("signing file", "signing key (DAIS_SIGNING_KEY)"))
    key = _load_key(key_data, cfg)
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if (key.public_key().public_bytes(serialization.Encoding.DER, public)
            != cert.public_key().public_bytes(serialization.Encoding.DER, public)):
        raise SigningError("The signing key %(file)s does not belong to the certificate “%(subject)s”; the admin should "
                           "configure the matching pair.", file=cfg.key_path.name, subject=subject)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    asn_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signer = signers.SimpleSigner(signing_cert=asn_cert, signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
                                  cert_registry=SimpleCertificateStore.from_certs([asn_cert]))
    return LoadedSigner(signer, subject, cert.not_valid_after_utc)


def _read(path: Path, what: Term) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError("The %(what)s file %(file)s does not exist; the admin should check the path.", what=what,
                           file=path.name)
    except OSError as exc:
        log.warning("the %s file %s cannot be read: %s", what, path, exc)
        raise SigningError("The %(what)s file %(file)s cannot be read (%(reason)s); the admin should check the file and "
                           "its permissions.", what=what, file=path.name, reason=_os_reason(exc))
    if not data.strip():
        raise SigningError("The %(what)s file %(file)s is empty.", what=what, file=path.name)
    return data


def _os_reason(exc: OSError) -> Term:
    """Why a file cannot be read, in words the admin can act on (the OS's own text is English only)."""
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM):
        return Term("file problem", "permission denied")
    if exc.errno == errno.EISDIR:
        return Term("file problem", "it is a folder")
    return Term("file problem", "input/output error")


def _load_key(data: bytes, cfg: SigningConfig):
    from cryptography.hazmat.primitives import serialization

    loader = serialization.load_pem_private_key if b"-----BEGIN" in data else serialization.load_der_private_key
    password = cfg.password.encode() if cfg.password else None
    name = cfg.key_path.name if cfg.key_path else "key"
    try:
        return loader(data, password=password)
    except TypeError:
        if password is None:
            raise SigningError("The signing key %(file)s is protected by a password, and none is configured; the admin "
                               "sets DAIS_SIGNING_KEY_PASSWORD.", file=name)
        try:
            return loader(data, password=None)  # a password was set but the key is not encrypted: fine
        except (TypeError, ValueError):
            pass
    except ValueError:
        if password is not None and (b"ENCRYPTED" in data or b"-----BEGIN" not in data):
            raise SigningError("The password for the signing key %(file)s is wrong; the admin should check "
                               "DAIS_SIGNING_KEY_PASSWORD.", file=name)
    except Exception:
        pass
    raise SigningError("The signing key %(file)s cannot be read: it is not a PEM or DER private key. The admin should "
                       "check DAIS_SIGNING_KEY.", file=name)


STAMP_FONT = PROJECT_ROOT / "app" / "static" / "fonts" / "NotoSans-Regular.ttf"   # the tablets' own font


def _stamp_font():
    """pyHanko's OpenType font for the stamp, read from memory: its own factory opens the file and never closes it."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class InMemory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(STAMP_FONT.read_bytes()),
                                    font_size=self.font_size, obj_stream=obj_stream)

    return InMemory(str(STAMP_FONT))


def _stamp_text(text: str) -> str:
    """A line of the stamp, kept whole (“Nguyễn Thị Mai”: the stamp embeds Noto Sans, as the page does); `%` is
    doubled, the stamp's text being a format string."""
    return unicodedata.normalize("NFC", text).replace("%", "%%")


def _outside_event_loop(fn):
    """Run fn where no asyncio loop is running: pyHanko's sync API calls asyncio.run() itself."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result()


def sign_pdf(pdf: bytes, loaded: LoadedSigner, *, signer_name: str, reason: str, location: str,
             box: tuple[int, tuple[int, int, int, int]] | None, stamp_label: str = "Digitally signed (PAdES)") -> bytes:
    """A PAdES signature over the whole PDF (an incremental update), visible in `box` when given, its stamp
    headed by `stamp_label` (in the language of the PDF)."""
    from pyhanko import stamp
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    field = "ChairSignature"
    spec = fields.SigFieldSpec(field, on_page=box[0], box=box[1]) if box else fields.SigFieldSpec(field)
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location or None, name=signer_name,
    )
    from pyhanko.pdf_utils.text import TextBoxStyle

    style = stamp.TextStampStyle(
        stamp_text=f"{_stamp_text(stamp_label)}\n{_stamp_text(signer_name)}\n%(ts)s", border_width=1,
        timestamp_format="%Y-%m-%d %H:%M:%S %Z",
        text_box_style=TextBoxStyle(font=_stamp_font()),
    )
    pdf_signer = signers.PdfSigner(meta, signer=loaded.signer, stamp_style=style, new_field_spec=spec)
    out = io.BytesIO()
    try:
        _outside_event_loop(lambda: pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out))
    except Exception as exc:  # pyHanko refuses e.g. a certificate without the digital-signature key usage
        # pyHanko's reason is English and technical: the log has it, the chair gets what to do.
        log.warning("signing the minutes failed: %s", exc)
        raise SigningError("Signing failed: the signing library refused the certificate or key. The admin should check "
                           "the signing certificate (the server log has the details).")
    return out.getvalue()


# ----- the demo's self-signed certificate -----

def generate_self_signed(common_name: str, *, not_before: datetime | None = None, not_after: datetime | None = None,
                         password: str | None = None) -> tuple[bytes, bytes]:
    """A self-signed signing certificate and its key (PEM), the key encrypted when a password is given."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(timezone.utc)
    not_before = not_before or now - timedelta(minutes=5)
    not_after = not_after or now + timedelta(days=825)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dais")])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def write_demo_cert(data_dir: Path, force: bool = False) -> tuple[Path, Path, bool]:
    """Write the demo pair into DATA_DIR/signing once (key file mode 0600); (cert, key, created)."""
    cert_path, key_path = demo_paths(data_dir)
    if cert_path.exists() and key_path.exists() and not force:
        try:
            load_signer(SigningConfig(cert_path, key_path, None, demo=True))
            return cert_path, key_path, False
        except SigningError:
            pass  # expired or damaged: make a new one
    cert_pem, key_pem = generate_self_signed("Dais demo signing certificate (not for production)")
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_key = key_path.with_suffix(".tmp")
    fd = os.open(tmp_key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_pem)
    tmp_key.replace(key_path)
    cert_path.write_bytes(cert_pem)
    return cert_path, key_path, True
