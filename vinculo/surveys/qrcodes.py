"""QR codes that carry a survey's public link and the unit (store) answers land on.

The code encodes ``https://<host>/s/<slug>/?u=<signed unit token>``; answering through it
stores the response on that unit with the collector "qr" (see views/respond.py).
Rendering uses segno, offline; the same URL always gives the same symbol.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.http import HttpRequest
from django.urls import reverse

from vinculo.accounts.models import Unit
from vinculo.surveys.models import Survey
from vinculo.surveys.tokens import unit_token

ERROR_LEVEL = "m"  # ~15% of the symbol can be dirty or torn and it still reads
BORDER = 4  # the quiet zone the standard asks for, in modules
MIN_SIZE, MAX_SIZE, DEFAULT_SIZE = 64, 2048, 512  # pixels, for ?size=


def unit_url(request: HttpRequest, survey: Survey, unit: Unit) -> str:
    """The absolute public link of ``survey`` that lands answers on ``unit``."""
    relative = reverse("respond:survey", args=[survey.slug])
    query = urlencode({"u": unit_token(unit)}, safe=":")
    return request.build_absolute_uri(f"{relative}?{query}")


def make(url: str) -> segno.QRCode:
    """The QR symbol of ``url``: never a micro QR (phones' cameras often cannot read them)."""
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def bounded_size(requested: str | None) -> int:
    """The image side asked for with ``?size=`` (pixels), kept within sane bounds."""
    try:
        size = int(requested or DEFAULT_SIZE)
    except ValueError:
        size = DEFAULT_SIZE
    return max(MIN_SIZE, min(MAX_SIZE, size))


def _scale(code: segno.QRCode, size: int) -> int:
    """Whole pixels per module, at least two: one-pixel modules do not survive printing."""
    modules = int(code.symbol_size(scale=1, border=BORDER)[0])
    return max(2, size // modules)


def svg(url: str, *, size: int = DEFAULT_SIZE) -> bytes:
    """A standalone SVG document of the code, about ``size`` pixels wide."""
    code = make(url)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=_scale(code, size), border=BORDER, xmldecl=True)
    return out.getvalue()


def png(url: str, *, size: int = DEFAULT_SIZE) -> bytes:
    """A PNG of the code, about ``size`` pixels wide (whole modules, never blurred)."""
    code = make(url)
    out = io.BytesIO()
    code.save(out, kind="png", scale=_scale(code, size), border=BORDER)
    return out.getvalue()


def inline_svg(url: str, *, title: str) -> str:
    """An ``<svg>`` element to put inside an HTML page (the poster); CSS sets its size.

    Without width and height segno writes a viewBox, so the code scales without blurring.
    """
    markup: str = make(url).svg_inline(scale=1, border=BORDER, title=title, omitsize=True)
    return markup.replace("<svg ", '<svg role="img" ', 1)
