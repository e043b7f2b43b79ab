"""The base of Dais's HTML forms: Flask-WTF's FlaskForm (CSRF, file fields), reading a JSON body only when it is
what a form could have sent.

A form also accepts its fields as a JSON object (Flask-WTF's behaviour). Flask-WTF hands the JSON to a
MultiDict as it is, so a body that is a list, a string or an object holding lists or objects broke inside
WTForms (a server error). Here such a body is refused with a sentence, and the fields of an object arrive as
the text a browser form would send."""
from __future__ import annotations

import math
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS, _Auto  # Flask-WTF's own "read the request" marker (pinned version)
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import BooleanField

from app.errors import BadInput


def json_formdata(form: Any = None) -> ImmutableMultiDict:
    """The request's JSON body as form fields, or BadInput. true/false only for the form's checkboxes (a name sent
    as true became the text “y”), numbers only finite (NaN became the text “nan”)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(_scalar(v) for v in body.values()):
        raise BadInput("Send this form's fields as form data or as one JSON object of texts and numbers.")
    checkboxes = {name for name, field in getattr(form, "_fields", {}).items() if isinstance(field, BooleanField)}
    for key, value in body.items():
        if isinstance(value, bool) and key not in checkboxes:
            raise BadInput("“%(field)s” must be text or a number, not true or false.", field=key)
    return ImmutableMultiDict({key: _text(value) for key, value in body.items() if value is not None})


def _scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "y" if value else ""
    return str(value)


class Form(FlaskForm):
    """FlaskForm with a JSON body checked first (see the module docstring)."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is _Auto and request.method in SUBMIT_METHODS and request.is_json \
                    and not request.files and not request.form:
                return json_formdata(form)
            return super().wrap_formdata(form, formdata)
