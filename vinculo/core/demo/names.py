"""Spanish names for demo customers: people (first name + two surnames) and small companies.

The lists are data in Spanish, weighted toward the most common names in Spain, with some
Catalan, Basque and Galician names so that regional stores look like their region.
"""

import random
import unicodedata

FEMALE_NAMES = [
    "María", "Carmen", "Ana", "Laura", "Isabel", "Lucía", "Marta", "Cristina", "Sara", "Paula",
    "Elena", "Raquel", "Pilar", "Rosa", "Patricia", "Beatriz", "Silvia", "Julia", "Nuria",
    "Irene", "Alba", "Andrea", "Claudia", "Sofía", "Noelia", "Rocío", "Teresa", "Inmaculada",
    "Eva", "Sonia", "Alicia", "Lorena", "Verónica", "Natalia", "Miriam", "Amparo", "Montserrat",
    "Mercedes", "Concepción", "Lidia", "Ainhoa", "Nerea", "Itziar", "Uxue", "Maialen", "Núria",
    "Montse", "Laia", "Mireia", "Aina", "Xoana", "Uxía", "Iria", "Macarena", "Consuelo",
    "Esperanza", "Daniela", "Valeria", "Carla", "Martina",
]  # fmt: skip

MALE_NAMES = [
    "Antonio", "José", "Manuel", "Francisco", "David", "Juan", "Javier", "Daniel", "Carlos",
    "Jesús", "Alejandro", "Miguel", "Rafael", "Pablo", "Pedro", "Ángel", "Sergio", "Fernando",
    "Jorge", "Luis", "Alberto", "Álvaro", "Adrián", "Diego", "Raúl", "Iván", "Rubén", "Enrique",
    "Óscar", "Ramón", "Andrés", "Vicente", "Joaquín", "Santiago", "Víctor", "Mario", "Roberto",
    "Marcos", "Hugo", "Gonzalo", "Íñigo", "Aitor", "Unai", "Asier", "Jon", "Ander", "Jordi",
    "Pau", "Marc", "Oriol", "Xavier", "Arnau", "Xosé", "Brais", "Iago", "Xabier", "Lucas",
    "Mateo", "Nicolás", "Guillermo",
]  # fmt: skip

# Compound first names are common in Spain ("María José", "Juan Carlos").
COMPOUND_NAMES = [
    "María José", "María Carmen", "María Pilar", "Ana Belén", "María Jesús", "María Ángeles",
    "Juan Carlos", "José Luis", "José Antonio", "Juan Antonio", "José Manuel", "Francisco Javier",
    "Miguel Ángel", "José María", "Juan José",
]  # fmt: skip

SURNAMES = [
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
    "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado",
    "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina", "Garrido",
    "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Cruz",
    "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores", "Cabrera",
    "Campos", "Vega", "Fuentes", "Carrasco", "Diez", "Caballero", "Reyes", "Nieto", "Aguilar",
    "Pascual", "Santana", "Herrero", "Lorenzo", "Montero", "Hidalgo", "Giménez", "Ibáñez",
    "Ferrer", "Durán", "Santiago", "Benítez", "Mora", "Vicente", "Vargas", "Arias", "Carmona",
    "Crespo", "Román", "Pastor", "Soto", "Sáez", "Velasco", "Moya", "Soler", "Parra", "Esteban",
    "Bravo", "Gallardo", "Rojas", "Etxeberria", "Garmendia", "Aguirre", "Zubizarreta",
    "Goikoetxea", "Puig", "Vilaró", "Casals", "Ferrán", "Pujol", "Castells", "Otero", "Rey",
    "Varela", "Vilas", "Fraga", "Castiñeira",
]  # fmt: skip

COMPANY_ACTIVITIES = [
    "Construcciones", "Talleres", "Transportes", "Asesoría", "Clínica Dental", "Ferretería",
    "Panadería", "Reformas", "Inmobiliaria", "Distribuciones", "Instalaciones Eléctricas",
    "Carpintería", "Farmacia", "Gestoría", "Autoescuela", "Bodegas", "Restaurante",
    "Frutas", "Óptica", "Academia", "Fontanería", "Estudio de Arquitectura", "Consultoría",
    "Peluquería", "Cafetería", "Hostal", "Librería", "Muebles",
]  # fmt: skip

COMPANY_SUFFIXES = [("S.L.", 70), ("S.L.U.", 10), ("S.A.", 8), ("e Hijos S.L.", 7), ("S.Coop.", 5)]

EMAIL_DOMAINS = [
    ("gmail.com", 46), ("hotmail.com", 16), ("outlook.es", 9), ("yahoo.es", 7),
    ("icloud.com", 6), ("hotmail.es", 6), ("telefonica.net", 3), ("gmx.es", 2),
    ("protonmail.com", 2), ("live.com", 3),
]  # fmt: skip

_DOMAIN_NAMES = [domain for domain, _weight in EMAIL_DOMAINS]
_DOMAIN_WEIGHTS = [weight for _domain, weight in EMAIL_DOMAINS]
_SUFFIX_NAMES = [suffix for suffix, _weight in COMPANY_SUFFIXES]
_SUFFIX_WEIGHTS = [weight for _suffix, weight in COMPANY_SUFFIXES]


def ascii_slug(text: str, separator: str = "") -> str:
    """Lower-case ASCII for e-mail addresses: accents dropped, ñ as n, spaces as separator."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return separator.join(plain.lower().replace(".", " ").split())


def person_name(rng: random.Random) -> tuple[str, str, str]:
    """A (first name, first surname, second surname) triple."""
    roll = rng.random()
    if roll < 0.12:
        first = rng.choice(COMPOUND_NAMES)
    elif roll < 0.56:
        first = rng.choice(FEMALE_NAMES)
    else:
        first = rng.choice(MALE_NAMES)
    return first, rng.choice(SURNAMES), rng.choice(SURNAMES)


def company_name(rng: random.Random) -> str:
    activity = rng.choice(COMPANY_ACTIVITIES)
    surname = rng.choice(SURNAMES)
    suffix = rng.choices(_SUFFIX_NAMES, _SUFFIX_WEIGHTS)[0]
    return f"{activity} {surname} {suffix}"


def person_email(rng: random.Random, first: str, surname1: str, surname2: str) -> str:
    """A plausible personal address; callers add digits when it is already taken."""
    given = ascii_slug(first.split()[0])
    s1, s2 = ascii_slug(surname1), ascii_slug(surname2)
    pattern = rng.randrange(5)
    if pattern == 0:
        local = f"{given}.{s1}"
    elif pattern == 1:
        local = f"{given}{s1}{rng.randint(1, 99)}"
    elif pattern == 2:
        local = f"{given[0]}{s1}{s2}"
    elif pattern == 3:
        local = f"{given}_{s1}{s2[0]}"
    else:
        local = f"{given}.{s1}.{s2}"
    return f"{local}@{rng.choices(_DOMAIN_NAMES, _DOMAIN_WEIGHTS)[0]}"


def company_email(rng: random.Random, name: str) -> str:
    words = [w for w in ascii_slug(name, " ").split() if w not in {"s", "l", "u", "a", "coop"}]
    domain = "".join(words[:3])
    mailbox = rng.choice(["info", "administracion", "contabilidad", "oficina", "gerencia"])
    return f"{mailbox}@{domain}.es"
