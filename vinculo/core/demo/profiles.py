"""Demo customer profiles: who they are, what they pay for and how to recognise them.

Every draw comes from one ``random.Random`` in a fixed order, so a seed reproduces the
same customers. Identity values are kept unique per kind with the ``taken`` sets, which the
loader fills with values already in the database before a second run.
"""

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from vinculo.core.demo.names import company_email, company_name, person_email, person_name
from vinculo.core.demo.org import Store
from vinculo.customers.choices import ConsentChannel, IdentityKind, LifecycleStage, ValueTier


@dataclass(frozen=True)
class Plan:
    name: str
    fee: Decimal
    fibre: bool
    mobile: bool


def _plan(name: str, fee: str, *, fibre: bool, mobile: bool) -> Plan:
    return Plan(name=name, fee=Decimal(fee), fibre=fibre, mobile=mobile)


RESIDENTIAL, SELF_EMPLOYED, BUSINESS = "Residencial", "Autónomos", "Empresas"
SEGMENTS = [(RESIDENTIAL, 78), (SELF_EMPLOYED, 12), (BUSINESS, 10)]

# Plans per segment with their monthly fee and how common they are.
PLANS: dict[str, list[tuple[Plan, int]]] = {
    RESIDENTIAL: [
        (_plan("Solo Móvil 20GB", "12.00", fibre=False, mobile=True), 14),
        (_plan("Solo Móvil Ilimitado", "25.00", fibre=False, mobile=True), 10),
        (_plan("Fibra 300Mb", "30.00", fibre=True, mobile=False), 14),
        (_plan("Fibra 600Mb", "38.00", fibre=True, mobile=False), 7),
        (_plan("Fibra 300Mb + Móvil", "42.00", fibre=True, mobile=True), 15),
        (_plan("Fibra 1Gb + Móvil", "58.00", fibre=True, mobile=True), 18),
        (_plan("Fibra 1Gb + Móvil + TV", "79.00", fibre=True, mobile=True), 14),
        (_plan("Familia Total: Fibra 1Gb + 4 Móviles + TV", "115.00", fibre=True, mobile=True), 8),
    ],
    SELF_EMPLOYED: [
        (_plan("Autónomo Solo Móvil", "20.00", fibre=False, mobile=True), 30),
        (_plan("Autónomo Fibra 600Mb + Móvil", "55.00", fibre=True, mobile=True), 45),
        (_plan("Autónomo Fibra 1Gb + 2 Móviles", "75.00", fibre=True, mobile=True), 25),
    ],
    BUSINESS: [
        (_plan("Empresa Fibra 1Gb + 5 Líneas", "150.00", fibre=True, mobile=True), 50),
        (_plan("Empresa Conecta 10 Líneas", "240.00", fibre=False, mobile=True), 25),
        (_plan("Empresa Fibra Simétrica 1Gb + Centralita", "320.00", fibre=True, mobile=True), 25),
    ],
}

# Shares of the lifecycle stages; prospects and new customers have short corridors.
STAGE_SHARES: list[tuple[str, int]] = [
    (LifecycleStage.PROSPECT, 8),
    (LifecycleStage.ONBOARDING, 5),
    (LifecycleStage.ACTIVE, 60),
    (LifecycleStage.AT_RISK, 10),
    (LifecycleStage.LEAVING, 3),
    (LifecycleStage.CHURNED, 11),
    (LifecycleStage.WON_BACK, 3),
]

CONSENT_RATES = {
    ConsentChannel.EMAIL: 0.70,
    ConsentChannel.SMS: 0.50,
    ConsentChannel.PHONE: 0.35,
    ConsentChannel.WHATSAPP: 0.45,
    ConsentChannel.POST: 0.15,
    ConsentChannel.SURVEYS: 0.95,  # the rest opted out of surveys
}

TIERS = [ValueTier.LOW, ValueTier.MEDIUM, ValueTier.HIGH, ValueTier.TOP]
TIER_FEE_LIMITS = [Decimal(25), Decimal(50), Decimal(90)]


T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    number: str
    name: str
    stage: str
    segment: str
    plan: Plan | None
    value_tier: str
    language: str
    consents: dict[str, bool]
    store: Store
    identities: list[tuple[str, str]]


def _weighted(pairs: list[tuple[T, int]]) -> tuple[list[T], list[int]]:
    return [value for value, _w in pairs], [weight for _v, weight in pairs]


class ProfileMaker:
    """Draws customer profiles one after another from a shared random generator."""

    def __init__(self, rng: random.Random, stores: list[Store], taken: dict[str, set[str]]):
        self.rng = rng
        self.stores = stores
        self.store_weights = [store.size for store in stores]
        self.taken = taken
        self.segments = _weighted(SEGMENTS)
        self.stages = _weighted(STAGE_SHARES)
        self.plans = {segment: _weighted(plans) for segment, plans in PLANS.items()}

    def make(self, index: int) -> Profile:
        rng = self.rng
        stage = rng.choices(*self.stages)[0]
        segment = rng.choices(*self.segments)[0]
        store = rng.choices(self.stores, self.store_weights)[0]
        plan = None if stage == LifecycleStage.PROSPECT else rng.choices(*self.plans[segment])[0]
        if segment == BUSINESS:
            name = company_name(rng)
            email = company_email(rng, name)
        else:
            first, surname1, surname2 = person_name(rng)
            name = f"{first} {surname1} {surname2}"
            email = person_email(rng, first, surname1, surname2)
        number = f"CLI-{index:06d}"
        identities = [(IdentityKind.CUSTOMER_NUMBER.value, number)]
        # Web leads always leave an e-mail; some older customers never gave one.
        if stage == LifecycleStage.PROSPECT or rng.random() < 0.88:
            identities.append((IdentityKind.EMAIL.value, self._unique_email(email)))
        if rng.random() < 0.85:
            identities.append((IdentityKind.PHONE.value, self._unique_phone()))
        if plan is not None and rng.random() < 0.30:
            identities.append(
                (IdentityKind.CRM_ID.value, self._unique_code(IdentityKind.CRM_ID.value, "CRM-", 8))
            )
        if plan is not None and segment == RESIDENTIAL and rng.random() < 0.22:
            identities.append(
                (
                    IdentityKind.LOYALTY_CARD.value,
                    self._unique_code(IdentityKind.LOYALTY_CARD.value, "TCI", 10),
                )
            )
        return Profile(
            number=number,
            name=name,
            stage=stage,
            segment=segment,
            plan=plan,
            value_tier=self._tier(plan),
            language=self._language(store),
            consents={channel: rng.random() < rate for channel, rate in CONSENT_RATES.items()},
            store=store,
            identities=identities,
        )

    def _tier(self, plan: Plan | None) -> str:
        if plan is None:
            return ""
        level = sum(plan.fee >= limit for limit in TIER_FEE_LIMITS)
        # Tenure, extras and devices move some customers a tier up or down.
        shift = self.rng.choices([-1, 0, 1], [10, 78, 12])[0]
        return TIERS[min(max(level + shift, 0), len(TIERS) - 1)].value

    def _language(self, store: Store) -> str:
        roll = self.rng.random()
        for language, share in store.languages.items():
            if roll < share:
                return language
            roll -= share
        return "es"

    def _unique_email(self, email: str) -> str:
        taken = self.taken.setdefault(IdentityKind.EMAIL.value, set())
        candidate = email
        while candidate in taken:
            local, _at, domain = email.partition("@")
            candidate = f"{local}{self.rng.randint(1, 9999)}@{domain}"
        taken.add(candidate)
        return candidate

    def _unique_phone(self) -> str:
        """A Spanish mobile in E.164, the form ``normalize_phone`` stores."""
        taken = self.taken.setdefault(IdentityKind.PHONE.value, set())
        while True:
            if self.rng.random() < 0.85:
                candidate = f"+346{self.rng.randrange(10**8):08d}"
            else:
                candidate = f"+347{self.rng.randint(1, 4)}{self.rng.randrange(10**7):07d}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    def _unique_code(self, kind: str, prefix: str, digits: int) -> str:
        taken = self.taken.setdefault(kind, set())
        while True:
            candidate = f"{prefix}{self.rng.randrange(10**digits):0{digits}d}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate
