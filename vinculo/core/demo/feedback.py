"""Demo feedback: reviews, complaints, chats, e-mails and call notes about the stores, some
from known customers (then on their timelines). Stores that serve worse (``STORE_SERVICE``)
draw more of the unhappy ones, so the inbox and the insights tell the metrics' story."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.core.demo.org import DemoOrg
from vinculo.core.demo.surveys import STORE_SERVICE
from vinculo.customers.models import Identity
from vinculo.feedback.choices import DEFAULT_CHANNEL, Source
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.services import FeedbackData, file_feedback
from vinculo.journeys.models import Channel

ITEMS = 600
PREFIX = "demo-"
KNOWN_SHARE = 0.35  # of items sent by a customer whose e-mail we know
SOURCES = [
    (Source.REVIEW, 40),
    (Source.COMPLAINT, 18),
    (Source.SOCIAL, 14),
    (Source.CHAT, 10),
    (Source.EMAIL, 10),
    (Source.CALL_NOTE, 5),
    (Source.APP_STORE, 3),
]
SITES = {Source.REVIEW: ["Google", "Trustpilot"], Source.APP_STORE: ["App Store", "Google Play"]}
# Written for the demo; {tienda} is the store's name.
TEXTS = {
    "neg": [
        "Llevo tres semanas esperando a que vengan a arreglar la fibra y nadie me da una fecha.",
        "Me cobraron dos veces la misma factura y en la tienda de {tienda} no saben resolverlo.",
        "Una vergüenza. Fui a {tienda} a cambiar el móvil y me tuvieron una hora de pie.",
        "El dependiente fue muy borde, no pienso volver.",
        "Me han subido la tarifa sin avisar. Me voy a la competencia.",
        "No estoy nada contento con la atención: me pasan de un departamento a otro.",
        "Otra vez sin internet desde ayer. Estoy harta, pago por un servicio que no funciona.",
        "Pedí la portabilidad hace diez días y sigo sin línea. Es una tomadura de pelo.",
        "Esperaba mucho más de vosotros, antes el servicio era bueno. Qué decepción.",
        "Me preocupa que me hayan cobrado una permanencia que nadie me explicó.",
        "El técnico no vino y nadie llamó para avisar. Perdí la mañana entera.",
        "Me da mucha pena, era cliente desde hace diez años y ahora me tratan como a un número.",
        "La cola en {tienda} era eterna y solo había una persona atendiendo.",
        "Quiero darme de baja. Tres reclamaciones y ni una respuesta.",
        "Han cerrado la oficina de mi barrio y ahora tengo que ir a {tienda}. Fatal.",
        "Terrible experience at the {tienda} store, nobody could fix my billing problem.",
        "I have been charged twice and still no refund. Absolutely furious.",
        "Still waiting for the engineer, third week now. Really disappointed.",
    ],
    "neutral": [
        "¿A qué hora abre la tienda de {tienda} los sábados?",
        "Quisiera saber cuándo llega la factura de este mes. Gracias.",
        "Necesito cambiar el titular del contrato, ¿qué documentos hacen falta?",
        "¿Se puede hacer la portabilidad online o tengo que ir a {tienda}?",
        "Correcto. Ni más ni menos.",
        "He pedido un duplicado de la tarjeta SIM, ¿cuánto tarda?",
        "Could you tell me if the {tienda} store repairs phones?",
    ],
    "pos": [
        "Me atendieron enseguida en {tienda} y con mucha amabilidad. Gracias.",
        "Resolvieron lo de mi factura en cinco minutos, muy contenta.",
        "La chica de {tienda} fue encantadora y me explicó todo muy claro. Un diez.",
        "Por fin una compañía que cumple lo que promete. Lo recomiendo.",
        "El técnico llegó puntual y dejó todo funcionando. Muy profesional.",
        "Me sorprendió lo rápido que me cambiaron el móvil. Genial.",
        "Llevo años con ellos y me dan confianza, nunca he tenido un problema grave.",
        "Gracias a Marta de {tienda}, me ayudó muchísimo con la tarifa.",
        "No está mal, la fibra va rápida y el precio es razonable.",
        "Excelente atención, volveré sin duda.",
        "Great service at {tienda}, quick and friendly. Thank you!",
        "Really happy with the new plan, the staff were very helpful.",
    ],
}
TONE_WEIGHTS = (35, 20, 45)  # neg, neutral, pos for a store that serves as most do


def _tone(rng: random.Random, service: float) -> str:
    neg, neutral, pos = TONE_WEIGHTS
    return rng.choices(["neg", "neutral", "pos"], [neg * service, neutral, pos / service])[0]


def _rating(rng: random.Random, tone: str) -> int:
    return {"neg": rng.randint(1, 2), "neutral": 3}.get(tone, rng.randint(4, 5))


def load_feedback(
    org: DemoOrg, rng: random.Random, now: datetime, items: int = ITEMS
) -> tuple[int, int]:
    """Files the demo items (each once: their ids are fixed by the seed's draw order);
    returns how many were filed and how many of those went on a customer's timeline.
    Loaded once: another seed would draw other sources and sites for the same ids."""
    if FeedbackItem.objects.filter(external_id__startswith=PREFIX).exists():
        return 0, 0
    channels = {c.code: c for c in Channel.objects.all()}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[s.unit_id for s in org.stores])}
    emails = list(
        Identity.objects.filter(kind="email", customer__home_unit__isnull=False)
        .order_by("pk")
        .values_list("value", "customer__home_unit_id")[:5000]
    )
    filed = linked = 0
    by_unit = {s.unit_id: s for s in org.stores}
    for number in range(1, items + 1):
        store, contact = rng.choice(org.stores), {}
        if emails and rng.random() < KNOWN_SHARE:
            email, home = rng.choice(emails)
            if home in by_unit:  # a customer writes about their own store
                store, contact = by_unit[home], {"email": email}
        tone = _tone(rng, STORE_SERVICE.get(store.name, 1.0))
        text = rng.choice(TEXTS[tone]).format(tienda=store.name)
        source = rng.choices([s for s, _w in SOURCES], [w for _s, w in SOURCES])[0]
        reviewed = source in (Source.REVIEW, Source.APP_STORE)
        item, created = file_feedback(
            actor=SYSTEM,
            data=FeedbackData(
                source=source,
                text=text,
                unit=units[store.unit_id],
                channel=channels[DEFAULT_CHANNEL[source]],
                occurred_at=now - timedelta(minutes=rng.randint(30, 180 * 24 * 60)),
                site=rng.choice(SITES.get(source, [""])),
                external_id=f"{PREFIX}{number:05d}",
                rating=_rating(rng, tone) if reviewed else None,
                rating_max=5 if reviewed else None,
                author=rng.choice(["", "Ana", "Javi R.", "M. López", "Carmen", "Pablo"]),
                contact=contact,
            ),
        )
        filed += created
        linked += created and item.customer_id is not None
    return filed, linked
