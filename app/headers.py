"""The security headers of every response (Flask-Talisman): what a page may load and run, and who may frame it.

The Content Security Policy is the second wall behind escaping: a script that slipped into a page (a delegate's
name, a note, an agenda title) would not run, because only the app's own script files do. Styles may be
inline (the scripts size bars and swatches with a style attribute); images come from the app or are data and
blob URLs (QR codes, page canvases, downloads); sockets and fetches go to this origin only (same-origin
sockets); no page may be framed. HTTPS is the reverse proxy's job (docs/deploy.md): Talisman forces no
redirect, and marks the session cookie secure only where the deployment says so (DAIS_SECURE_COOKIES=1),
sending Strict-Transport-Security then.
"""
from __future__ import annotations

from typing import Any, Mapping

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def talisman_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """Flask-Talisman's settings for this app's configuration."""
    secure = bool(config.get("SESSION_COOKIE_SECURE"))
    return {
        "force_https": False,
        "strict_transport_security": secure,
        "session_cookie_secure": secure,
        "session_cookie_http_only": True,
        "session_cookie_samesite": config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        "frame_options": "DENY",
        "content_security_policy": CONTENT_SECURITY_POLICY,
        "referrer_policy": "same-origin",
        # the check-in page reads badges with the camera; nothing asks for the microphone or the location
        "permissions_policy": {"camera": "(self)", "microphone": "()", "geolocation": "()", "browsing-topics": "()"},
    }
