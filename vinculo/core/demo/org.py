"""The demo organisation, Telco Ibérica: three regions of stores plus the remote channels.

Telco Ibérica (company)
├── Norte, Centro, Sur (regions) > 10 stores each, in real cities and neighbourhoods
├── Centro de Atención al Cliente (contact centre: phone, chat, WhatsApp)
├── Web telcoiberica.es (digital)
└── App Mi Telco (digital)

Units are looked up by code before being created, so a second run reuses them.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from vinculo.accounts.choices import Role, UnitKind
from vinculo.accounts.models import Department, Unit
from vinculo.accounts.services import create_department, create_person, create_unit
from vinculo.core.demo.names import ascii_slug

COMPANY = ("Telco Ibérica", "telco-iberica")
REGIONS = [("Norte", "region-norte"), ("Centro", "region-centro"), ("Sur", "region-sur")]
CONTACT_CENTRE = ("Centro de Atención al Cliente", "centro-atencion-cliente")
WEB = ("Web telcoiberica.es", "canal-web")
APP = ("App Mi Telco", "canal-app")

# Store name, region, relative size (how many customers call it home), language mix other
# than Spanish: co-official languages where they are spoken, English on the expat coasts.
STORES: list[tuple[str, str, int, dict[str, float]]] = [
    ("Bilbao Abando", "Norte", 5, {"eu": 0.10, "en": 0.01}),
    ("Bilbao Deusto", "Norte", 3, {"eu": 0.10}),
    ("Donostia Gros", "Norte", 3, {"eu": 0.18, "en": 0.02}),
    ("Pamplona Ensanche", "Norte", 3, {"eu": 0.05}),
    ("Santander Centro", "Norte", 3, {"en": 0.01}),
    ("Oviedo Centro", "Norte", 3, {}),
    ("A Coruña Ensanche", "Norte", 3, {"gl": 0.15}),
    ("Vigo Príncipe", "Norte", 3, {"gl": 0.15}),
    ("Barcelona Gràcia", "Norte", 6, {"ca": 0.30, "en": 0.04}),
    ("Barcelona Sants", "Norte", 5, {"ca": 0.25, "en": 0.02}),
    ("Madrid Salamanca", "Centro", 6, {"en": 0.04}),
    ("Madrid Chamberí", "Centro", 6, {"en": 0.03}),
    ("Madrid Vallecas", "Centro", 5, {}),
    ("Madrid Moncloa", "Centro", 4, {"en": 0.02}),
    ("Alcalá de Henares Centro", "Centro", 3, {}),
    ("Getafe Centro", "Centro", 3, {}),
    ("Valladolid Centro", "Centro", 3, {}),
    ("Zaragoza Delicias", "Centro", 4, {}),
    ("Valencia Ruzafa", "Centro", 5, {"ca": 0.10, "en": 0.03}),
    ("Valencia Benimaclet", "Centro", 3, {"ca": 0.12}),
    ("Sevilla Nervión", "Sur", 5, {"en": 0.01}),
    ("Sevilla Triana", "Sur", 4, {}),
    ("Málaga Centro", "Sur", 4, {"en": 0.08}),
    ("Málaga Teatinos", "Sur", 3, {"en": 0.03}),
    ("Granada Centro", "Sur", 3, {"en": 0.02}),
    ("Córdoba Centro", "Sur", 3, {}),
    ("Cádiz Centro", "Sur", 2, {}),
    ("Almería Centro", "Sur", 2, {"en": 0.03}),
    ("Murcia Centro", "Sur", 3, {}),
    ("Alicante Centro", "Sur", 3, {"ca": 0.05, "en": 0.08}),
]

STORE_MANAGED_BY_DEMO_MANAGER = "Madrid Chamberí"

# username, first name, last name, role, unit code (or None), department code (or None)
PEOPLE: list[tuple[str, str, str, Role, str | None, str | None]] = [
    ("lucia.ortega", "Lucía", "Ortega", Role.ANALYST, None, None),
    ("marcos.etxeberria", "Marcos", "Etxeberria", Role.UNIT_MANAGER, "region-norte", None),
    ("sofia.navarro", "Sofía", "Navarro", Role.UNIT_MANAGER, "tienda-madrid-chamberi", None),
    ("raul.castillo", "Raúl", "Castillo", Role.UNIT_MANAGER, CONTACT_CENTRE[1], None),
    ("javier.romero", "Javier", "Romero", Role.AGENT, None, "billing"),
    ("ana.vidal", "Ana", "Vidal", Role.AGENT, None, "customer_service"),
    ("diego.marin", "Diego", "Marín", Role.AGENT, None, "sales"),
    ("paula.gil", "Paula", "Gil", Role.VIEWER, None, None),
]


@dataclass(frozen=True)
class Store:
    unit_id: int
    name: str
    region: str
    size: int
    languages: dict[str, float]


@dataclass(frozen=True)
class DemoOrg:
    company_id: int
    stores: list[Store]
    contact_centre_id: int
    web_id: int
    app_id: int
    units_created: int


@dataclass(frozen=True)
class DemoPerson:
    username: str
    role: str
    unit: str
    department: str
    created: bool


def store_code(name: str) -> str:
    return "tienda-" + ascii_slug(name, "-")


def _unit(name: str, code: str, kind: str, parent: Unit | None, created: list[Unit]) -> Unit:
    existing = Unit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    unit = create_unit(name=name, code=code, kind=kind, parent=parent)
    created.append(unit)
    return unit


def ensure_org() -> DemoOrg:
    """The demo unit tree, creating whatever units are missing."""
    created: list[Unit] = []
    company = _unit(*COMPANY, UnitKind.COMPANY, None, created)
    regions = {name: _unit(name, code, UnitKind.REGION, company, created) for name, code in REGIONS}
    stores = [
        Store(
            unit_id=_unit(name, store_code(name), UnitKind.STORE, regions[region], created).pk,
            name=name,
            region=region,
            size=size,
            languages=languages,
        )
        for name, region, size, languages in STORES
    ]
    contact_centre = _unit(*CONTACT_CENTRE, UnitKind.CONTACT_CENTRE, company, created)
    web = _unit(*WEB, UnitKind.DIGITAL, company, created)
    app = _unit(*APP, UnitKind.DIGITAL, company, created)
    return DemoOrg(
        company_id=company.pk,
        stores=stores,
        contact_centre_id=contact_centre.pk,
        web_id=web.pk,
        app_id=app.pk,
        units_created=len(created),
    )


DEPARTMENT_NAMES = {"billing": "Facturación", "customer_service": "Atención al cliente"}


def _department(code: str) -> Department:
    # Departments are seeded by a migration but may have been removed from the settings.
    department = Department.objects.filter(code=code).first()
    return department or create_department(name=DEPARTMENT_NAMES.get(code, code), code=code)


def ensure_people(password: str) -> list[DemoPerson]:
    """One demo person per role; existing usernames are left alone (password unchanged)."""
    user_model = get_user_model()
    usernames = [username for username, *_rest in PEOPLE]
    taken = set(
        user_model.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    people = []
    for username, first, last, role, unit_code, department_code in PEOPLE:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        department = _department(department_code) if department_code else None
        if username not in taken:
            create_person(
                username=username,
                password=None,
                role=role,
                unit=unit,
                department=department,
                email=f"{username}@telcoiberica.es",
                first_name=first,
                last_name=last,
            )
        people.append(
            DemoPerson(
                username=username,
                role=str(role.label),
                unit=unit.name if unit else COMPANY[0],
                department=department.name if department else "",
                created=username not in taken,
            )
        )
    # They share one password: hashing it once saves seconds of deliberately slow hashing.
    user_model.objects.filter(username__in=set(usernames) - taken).update(
        password=make_password(password)
    )
    return people
