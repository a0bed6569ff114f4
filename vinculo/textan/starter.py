"""A starter taxonomy of what customers of telecoms, retailers, banks and utilities talk
about, with rules in Spanish and English. ``manage.py load_topics`` adds what is missing
(never changes a topic a team has edited); teams rename, extend and prune it in the UI."""

from __future__ import annotations

from vinculo.textan.engine.topics import TopicRule, Topics

# (name, terms, children); terms one per entry, in the lexicon syntax.
Node = tuple[str, tuple[str, ...], tuple["Node", ...]]

STARTER: tuple[Node, ...] = (
    (
        "Atención",
        ("atencion", "atendi*", "customer service", "staff"),
        (
            (
                "Tiempo de espera",
                (
                    "espera*",
                    "esperando",
                    "cola",
                    "colas",
                    "colgad*",
                    "tarda*",
                    "demora*",
                    "llevo # dias",
                    "llevo # semanas",
                    "wait*",
                    "queue*",
                    "on hold",
                    "hold for",
                ),
                (),
            ),
            (
                "Amabilidad del personal",
                (
                    "amabl*",
                    "simpatic*",
                    "educad*",
                    "maleducad*",
                    "borde",
                    "grosero*",
                    "trato",
                    "rude",
                    "friendly",
                    "polite",
                    "helpful",
                ),
                (),
            ),
            (
                "Resolución",
                (
                    "solucion*",
                    "resolv*",
                    "resuel*",
                    "arregl*",
                    "nadie me",
                    "ni caso",
                    "fix*",
                    "sorted",
                    "solved",
                    "resolved",
                    "nobody",
                ),
                (),
            ),
            (
                "Canal telefónico",
                (
                    "llamad*",
                    "llame",
                    "telefono",
                    "call centre",
                    "call center",
                    "phone",
                    "called",
                    "calling",
                ),
                (),
            ),
        ),
    ),
    (
        "Facturación",
        ("factura*", "facturacion", "bill", "billing", "invoice*"),
        (
            (
                "Cobros indebidos",
                (
                    "cobro indebido",
                    "cobros indebidos",
                    "me cobra*",
                    "cobrado",
                    "cobraron",
                    "doble cargo",
                    "overcharg*",
                    "charged twice",
                    "double charg*",
                    "refund*",
                    "reembols*",
                    "devolucion*",
                ),
                (),
            ),
            (
                "Precio y tarifas",
                (
                    "precio*",
                    "tarifa*",
                    "caro",
                    "cara",
                    "barat*",
                    "subida",
                    "subieron",
                    "price*",
                    "tariff*",
                    "expensive",
                    "cheap*",
                    "increase*",
                ),
                (),
            ),
            ("Comisiones", ("comision*", "fee", "fees", "charges"), ()),
        ),
    ),
    (
        "Servicio técnico",
        ("tecnico*", "averia*", "engineer*", "technician*"),
        (
            (
                "Cortes e incidencias",
                (
                    "corte",
                    "cortes",
                    "cortaron",
                    "caida*",
                    "se cae",
                    "se corta",
                    "sin luz",
                    "sin agua",
                    "sin servicio",
                    "sin conexion",
                    "sin internet",
                    "outage*",
                    "power cut*",
                    "no signal",
                    "down again",
                    "no internet",
                ),
                (),
            ),
            (
                "Instalación",
                ("instalacion", "instalar", "instalaron", "install*", "set up", "setup"),
                (),
            ),
            (
                "Velocidad y cobertura",
                (
                    "cobertura",
                    "señal",
                    "senal",
                    "lento",
                    "lenta",
                    "velocidad",
                    "fibra",
                    "wifi",
                    "coverage",
                    "signal",
                    "slow",
                    "speed",
                    "broadband",
                    "fibre",
                ),
                (),
            ),
        ),
    ),
    (
        "Entrega y devoluciones",
        ("mi pedido", "el pedido", "pedidos", "order*", "compra*"),
        (
            (
                "Plazo de entrega",
                (
                    "entrega*",
                    "envio*",
                    "llego",
                    "llegó tarde",
                    "no llega",
                    "repartidor*",
                    "delivery",
                    "deliver*",
                    "arrived",
                    "courier*",
                    "parcel*",
                ),
                (),
            ),
            (
                "Devoluciones",
                ("devolver", "devoluci*", "cambio de talla", "return*", "exchange*"),
                (),
            ),
            (
                "Producto dañado",
                ("roto", "rota", "dañad*", "danad*", "defectuos*", "broken", "damaged", "faulty"),
                (),
            ),
        ),
    ),
    (
        "Tienda y oficina",
        ("tienda*", "oficina*", "sucursal*", "store", "shop", "branch*"),
        (
            ("Cajas y colas", ("caja*", "cajer*", "checkout*", "till*", "cashier*"), ()),
            ("Probadores", ("probador*", "fitting room*"), ()),
            ("Limpieza y orden", ("limpi*", "sucio*", "desorden*", "clean*", "dirty", "messy"), ()),
        ),
    ),
    (
        "Canales digitales",
        ("app", "aplicacion", "web", "pagina", "online", "website"),
        (
            (
                "Errores de la app",
                (
                    "no funciona la app",
                    "se cuelga",
                    "crash*",
                    "bug*",
                    "glitch*",
                    "login",
                ),
                (),
            ),
        ),
    ),
    (
        "Baja y permanencia",
        (
            "baja",
            "dar de baja",
            "darme de baja",
            "permanencia",
            "portabilidad",
            "me voy a",
            "cancel*",
            "switch*",
            "leaving",
            "close my account",
        ),
        (),
    ),
    (
        "Seguridad y fraude",
        (
            "fraude*",
            "estafa*",
            "phishing",
            "robo",
            "robaron",
            "suplanta*",
            "fraud*",
            "scam*",
            "stolen",
            "hack*",
        ),
        (),
    ),
)


def starter_rules() -> Topics:
    """The starter taxonomy as rules, without a database (benchmarks, tests)."""
    rules: list[TopicRule] = []
    counter = iter(range(1, 10_000))

    def add(node: Node, parent: str) -> None:
        name, terms, children = node
        path = f"{parent} > {name}" if parent else name
        rules.append(TopicRule(next(counter), path, terms))
        for child in children:
            add(child, path)

    for node in STARTER:
        add(node, "")
    return Topics(rules)
