"""Shared web plumbing: error pages and JSON errors, the JSON of request bodies and Socket.IO packets, and the
checks every request passes first (a JSON object where one is wanted, no text a database cannot keep)."""
from __future__ import annotations

import json
import logging
import re

from flask import Flask, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from socketio import packet
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from app.errors import BadInput, Conflict, DomainError, Listing, Phrase
from app.validation import ID_MAX, holds_non_text

log = logging.getLogger("dais.web")


class DatabaseInt(IntegerConverter):
    """`<int:...>` in routes: 0 to ID_MAX, the range of the integer columns ids are kept in (PostgreSQL refuses
    a larger number with an error; SQLite would just find nothing). Outside it the URL matches no route: 404."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


class GuardedJSON(DefaultJSONProvider):
    """Request bodies nested too deeply for Python's parser (a few kilobytes of `[[[[...`) are not JSON to us:
    `loads` raises ValueError, which `request.get_json(silent=True)` reads as no JSON, and every view then refuses
    the body with its own sentence (the RecursionError was a server error)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("the JSON is nested too deeply") from exc


MALFORMED_EVENT = "dais.malformed"


class SocketJSON:
    """The JSON of Socket.IO packets (python-socketio's `json` option): the standard module, except that a
    payload which is not JSON, or is nested too deeply for Python's parser, decodes as the event
    `dais.malformed`. The packet's ack id is read before its JSON, so that event is answered through the ack with a
    sentence (app/live/events.py); the parser's exception was logged as a server error and no ack ever came."""

    @staticmethod
    def dumps(*args, **kwargs):
        return json.dumps(*args, **kwargs)

    @staticmethod
    def loads(s, *args, **kwargs):
        try:
            return json.loads(s, *args, **kwargs)
        except (ValueError, RecursionError):
            return [MALFORMED_EVENT]


CLIENT_RESERVED = frozenset(("connect", "disconnect"))   # python-socketio's own events: no client may send them
_HEADER = re.compile(r"([0-9])(?:[0-9]+-)?(?:(/[^,]*),?)?([0-9]*)")


class SocketPacket(packet.Packet):
    """The Socket.IO packets of Dais (python-socketio's `serializer` option): python-socketio's own decoding, then a
    check of the decoded shape before python-socketio dispatches the packet. A packet it cannot dispatch — an event
    with no name, data that is not an array, a name that is not text or is `connect`/`disconnect`, an ack id too
    long to read, a binary packet (Dais sends and takes none) or a binary frame no packet announced, an empty
    message, a packet type a client never sends — decodes as the event `dais.malformed` with the packet's own ack
    id and namespace: answered through that ack with a sentence, or ignored when it carries no ack id. Before,
    python-socketio raised (IndexError, KeyError, TypeError, ValueError), logged a traceback, and the client
    waited for an ack that never came; a binary packet with a bogus attachment count jammed the connection.

    A well-formed packet costs two type checks more than python-socketio's decoding: no second JSON parse."""

    json = SocketJSON

    def __init__(self, packet_type=packet.EVENT, data=None, namespace=None, id=None,  # noqa: A002 - their name
                 binary=None, encoded_packet=None):
        super().__init__(packet_type, data, namespace, id, binary, encoded_packet)
        if not encoded_packet and encoded_packet is not None:   # an empty message: python-socketio skips decode()
            self._malformed(None, None)

    def decode(self, encoded_packet):
        if not isinstance(encoded_packet, str):   # a binary frame no binary packet announced
            return self._malformed(None, None)
        try:
            attachments = super().decode(encoded_packet)
        except ValueError:                        # a packet type, attachment count or ack id it cannot read
            return self._malformed(*_answerable(encoded_packet))
        kind = self.packet_type
        if kind == packet.EVENT:
            data = self.data
            if type(data) is list and data and type(data[0]) is str and data[0] not in CLIENT_RESERVED:
                return attachments
            return self._malformed(self.namespace, self.id)
        if kind == packet.CONNECT or kind == packet.DISCONNECT or (kind == packet.ACK and type(self.data) is list):
            return attachments
        if kind == packet.BINARY_EVENT:
            return self._malformed(self.namespace, self.id)
        return self._malformed(None, None)        # CONNECT_ERROR, BINARY_ACK, an ACK of no list, unknown types

    def _malformed(self, namespace, ack_id) -> int:
        """Become the event `dais.malformed`, answered through `ack_id` if there is one (no attachments follow)."""
        self.packet_type, self.namespace, self.id, self.data = packet.EVENT, namespace, ack_id, [MALFORMED_EVENT]
        return 0


def _answerable(encoded: str) -> tuple[str | None, str | None]:
    """The namespace and ack id of an event packet python-socketio could not read, to answer it; (None, None) for
    any other packet. The id stays text: it may be too long for python-socketio, or for int()."""
    match = _HEADER.match(encoded)
    if match is None or match[1] not in "25" or not match[3] or encoded[match.end():match.end() + 1].isdigit():
        return None, None
    namespace = match[2].split("?", 1)[0] if match[2] else None
    return namespace, match[3]


def answer_unjoined_namespaces(server, app: Flask) -> None:
    """An event sent, with an ack id, on a namespace this connection has not joined (Dais serves "/" only) is
    answered there with the refusal of `dais.malformed`, where python-socketio drops it and the client waits. In
    the user's language when the connection has joined "/", else in the default one."""
    handle_event = server._handle_event

    def guarded(eio_sid, namespace, ack_id, data):
        if ack_id is not None and namespace and namespace != "/":
            sid = server.manager.sid_from_eio_sid(eio_sid, namespace)
            if sid is None or not server.manager.is_connected(sid, namespace):
                root = server.manager.sid_from_eio_sid(eio_sid, "/")
                if root is not None and server.manager.is_connected(root, "/"):
                    reply = server._trigger_event(MALFORMED_EVENT, "/", root)
                else:
                    from app.live.events import on_malformed

                    with app.app_context():
                        reply = on_malformed()
                server._send_packet(eio_sid, server.packet_class(packet.ACK, namespace=namespace, id=ack_id,
                                                                 data=[reply]))
                return None
        return handle_event(eio_sid, namespace, ack_id, data)

    server._handle_event = guarded


def json_object() -> dict:
    """The request's body as a JSON object ({} for no body at all), or BadInput with a sentence (a form post, a
    list, broken JSON)."""
    if request.form or request.files:   # a form post, whose body the CSRF check has read already
        raise BadInput("Send the request as a JSON object (Content-Type: application/json).")
    if not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadInput("Send the request as a JSON object (Content-Type: application/json).")
    return data


def refuse_non_text() -> None:
    """Before every view: a query, form field, file name or JSON body holding a NUL or half of a surrogate pair is
    refused with a sentence (see app/validation.py), so no view stores or echoes it."""
    body = request.get_json(silent=True) if request.is_json else None
    names = [f.filename for f in request.files.values() if f.filename]
    if holds_non_text([list(request.args.items(multi=True)), list(request.form.items(multi=True)), names, body]):
        raise BadInput("The request holds a character that is not text (a NUL byte or half of a surrogate pair); "
                       "remove it and send again.")


def wants_json() -> bool:
    """API callers (and fetch() from our pages) get JSON errors; browsers get a page."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str):
    """One error, as JSON or as a page; a sentence with a catalogue entry is shown in the user's language."""
    message = _(message) if message else message
    if wants_json():
        return jsonify({"ok": False, "error": code, "message": message}), status
    return render_template("errors/error.html", status=status, message=message, back=_back_link()), status


def _back_link() -> str | None:
    """The page a refused form was sent from (this site's own pages only), for the error page's “Back”: a
    secretary whose roster file was refused goes back to the roster, not to the list of meetings."""
    referrer = request.referrer or ""
    if not referrer.startswith(request.host_url) or (request.method == "GET" and referrer.split("#")[0] == request.url):
        return None
    return referrer


def register_error_pages(app: Flask) -> None:
    """Every error reaches the user as a sentence and a status code."""

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        if exc.status in (401, 403):
            log.warning("refused %s %s: %s", request.method, request.path, exc.message)
        return error_response(exc.status, exc.code, exc.localized())

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, "csrf", _("This form has expired or was sent from another site. Reload the page and try again."))

    @app.errorhandler(413)
    def too_large(exc):
        limit = app.config["MAX_UPLOAD_MB"]
        return error_response(413, "too_large", _("This file is larger than the limit of %(mb)s MB.", mb=limit))

    @app.errorhandler(429)
    def rate_limited(exc):
        return error_response(429, "rate_limited", _("Too many attempts. Wait a minute, then try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            404: _("There is nothing at this address. Check the link, or go back to your meetings."),
            405: _("This address does not accept that kind of request."),
            400: _("The request could not be understood. Reload the page and try again."),
        }
        # Werkzeug's own descriptions are English only: any other status gets our sentence with its number.
        fallback = _("The request could not be completed (HTTP error %(code)s). Reload the page and try again.",
                     code=exc.code)
        return error_response(exc.code or 500, "http_%s" % exc.code, messages.get(exc.code, fallback))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        from app.extensions import db

        db.session.rollback()
        return error_response(500, "server_error", _("Something went wrong on the server; nothing was changed. Try again, and tell the admin if it happens again."))


# Forms: what a refused form shows above itself (the page again, as typed, with the reason).
FORM_REFUSALS = (BadInput, Conflict)


def form_refusal(where: str, exc: DomainError) -> dict:
    """A refusal as a form shows it: which form (`where`), its sentence, and the rows of a list one per line.
    A client that asked for JSON gets the error as JSON instead, as from every other route (re-raised)."""
    if wants_json():
        raise exc
    text, items = exc.as_list()
    return {"where": where, "text": text, "items": items}


def form_errors(form) -> BadInput:
    """The refusal of a form that did not validate, naming each field and what is wrong with it (each message's
    own full stop left out: the sentence ends once)."""
    parts = [Phrase("%(field)s: %(errors)s", field=getattr(form, name).label.text,
                    errors="; ".join(str(e).rstrip(".") for e in errs)) for name, errs in form.errors.items()]
    if not parts:
        return BadInput("The form was incomplete.")
    return BadInput("Check the form: %(problems)s.", problems=Listing(parts, sep="; "))
