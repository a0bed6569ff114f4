"""Demo corridors: the ordered interactions of one customer, agreeing with their lifecycle.

Days are counted back from today (1 = yesterday) inside a two-year window; each event gets
a time within its channel's opening hours. The shape of a corridor follows the stage:

- prospect: only discover (information) events;
- onboarding: discover, a sale in the last 45 days, activation, installation or delivery;
- active: a sale, then months of use, bills, payments and the odd support call;
- at risk: as active, plus complaints or collections in the last 60 days;
- leaving: as at risk, plus a retention contact in the last 30 days and no cancellation yet;
- churned: as active, then (often) complaints and a failed retention, then a cancellation;
- won back: a first life that ends in a cancellation, a win-back contact, a new sale.
"""

import random
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, NamedTuple

from vinculo.core.demo.profiles import Plan, Profile
from vinculo.core.demo.vocabulary import (
    COMPLAINT_TOPICS,
    DEVICE_PRICES,
    INFO_TOPICS,
    LEAVING_REASONS,
    PAYMENT_METHODS,
    SUPPORT_TOPICS,
    USE_ACTIVITIES,
)
from vinculo.customers.choices import LifecycleStage

WINDOW_DAYS = 730
# How many times a prospect has looked at the offer: 1, 2, 3 or 4, with these weights.
PROSPECT_VISITS = ((1, 2, 3, 4), (30, 35, 20, 15))
# Measured over 100,000 drawn customers: the mean number of events outside the everyday
# "tenure" (discovery, sale, start, trouble, leaving) and the mean tenure in days. They turn
# the requested mean corridor length into a rate of everyday events per day of tenure.
SKELETON_MEAN = 6.16
TENURE_DAYS_MEAN = 295.0

# First and last hour a channel is used in (inclusive). Digital channels stop at 22:59, so an
# activation minutes after a sale still falls on the same day.
HOURS = {
    "store": (10, 20),
    "call_centre": (9, 20),
    "chat": (9, 21),
    "whatsapp": (8, 21),
    "field": (9, 17),
    "web": (7, 22),
    "app": (7, 22),
}

CHANNELS = {
    "discover": [("web", 50), ("app", 12), ("store", 20), ("call_centre", 10), ("chat", 8)],
    "sale": [("store", 45), ("web", 25), ("call_centre", 20), ("app", 10)],
    "support": [("call_centre", 50), ("chat", 28), ("whatsapp", 17), ("store", 5)],
    "complaint": [("call_centre", 55), ("store", 20), ("chat", 10), ("whatsapp", 10), ("web", 5)],
    "billing": [("app", 60), ("web", 40)],
    "use": [("app", 85), ("web", 15)],
    "renewal": [("store", 50), ("call_centre", 30), ("app", 20)],
    "retention": [("call_centre", 80), ("store", 20)],
    "cancellation": [("call_centre", 60), ("store", 30), ("web", 10)],
}

# What fills a customer's months, with how often each happens.
FILLERS = [
    ("pay", 44),
    ("use", 30),
    ("support", 15),
    ("information", 4),
    ("renewal", 3),
    ("collections", 2),
    ("complaint", 2),
]
_EVENTS_PER_KIND = {"pay": 2, "collections": 3}
EVENTS_PER_FILLER = sum(_EVENTS_PER_KIND.get(kind, 1) * w for kind, w in FILLERS) / sum(
    w for _kind, w in FILLERS
)


class Event(NamedTuple):
    at: datetime
    channel: str
    kind: str
    amount: Decimal | None
    attributes: dict[str, Any]


def _table(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [name for name, _w in pairs], [weight for _n, weight in pairs]


class CorridorMaker:
    """Builds corridors from one random generator; the mean length is ``mean_events``."""

    def __init__(self, rng: random.Random, today: date, tz: tzinfo, mean_events: float):
        self.rng = rng
        self.tz = tz
        self.days = [today - timedelta(days=n) for n in range(WINDOW_DAYS + 1)]
        self.channels = {use: _table(pairs) for use, pairs in CHANNELS.items()}
        self.fillers = _table(FILLERS)
        self.payment_methods = (
            [(method, channels) for method, _w, channels in PAYMENT_METHODS],
            [weight for _m, weight, _c in PAYMENT_METHODS],
        )
        # Everyday events accrue with tenure, at the rate that makes the requested mean.
        self.fill_per_day = max(mean_events - SKELETON_MEAN, 0) / TENURE_DAYS_MEAN

    # -- building blocks ------------------------------------------------------------------

    def at(self, days_ago: int, channel: str) -> datetime:
        day = self.days[days_ago]
        first, last = HOURS[channel]
        hour = self.rng.randint(first, last)
        return datetime(day.year, day.month, day.day, hour, self.rng.randrange(60), tzinfo=self.tz)

    def channel(self, use: str) -> str:
        return self.rng.choices(*self.channels[use])[0]

    def event(
        self,
        days_ago: int,
        use: str,
        kind: str,
        amount: Decimal | None = None,
        channel: str | None = None,
        **attributes: Any,
    ) -> Event:
        channel = channel or self.channel(use)
        return Event(self.at(days_ago, channel), channel, kind, amount, attributes)

    def discover(self, before_day: int, count: int) -> list[Event]:
        last = min(before_day + 30, WINDOW_DAYS)
        return [
            self.event(
                self.rng.randint(min(before_day + 1, last), last),
                "discover",
                "information",
                topic=self.rng.choice(INFO_TOPICS),
            )
            for _ in range(count)
        ]

    def acquire(self, day: int, plan: Plan, *, win_back: bool = False) -> list[Event]:
        """The sale and what follows it: activation, installation or delivery, first use."""
        rng = self.rng
        channel = self.channel("sale")
        device = rng.choice(DEVICE_PRICES) if plan.mobile and rng.random() < 0.3 else None
        extra: dict[str, Any] = {"plan": plan.name}
        if win_back:
            extra["win_back"] = True
        sale = self.event(day, "sale", "sale", plan.fee + (device or 0), channel, **extra)
        activation = Event(
            sale.at + timedelta(minutes=rng.randint(5, 40)), channel, "onboarding", None, {}
        )
        events = [sale, activation]
        if plan.fibre and day - 2 >= 1:
            visit = day - rng.randint(2, min(9, day - 1))
            events.append(self.event(visit, "", "installation", channel="field", visits=1))
            if rng.random() < 0.12 and visit - 2 >= 1:
                events.append(
                    self.event(
                        visit - rng.randint(1, min(5, visit - 1)),
                        "",
                        "installation",
                        channel="field",
                        visits=2,
                    )
                )
        if plan.mobile and channel != "store" and day - 1 >= 1:
            item = "Terminal y SIM" if device else "Tarjeta SIM"
            courier = "app" if channel == "app" else "web"
            delivered = day - rng.randint(1, min(4, day - 1))
            events.append(self.event(delivered, "", "delivery", channel=courier, item=item))
        if day - 3 >= 1:
            first_use = day - rng.randint(3, min(20, day - 1))
            events.append(
                self.event(first_use, "", "use", channel="app", activity="Primer acceso a Mi Telco")
            )
        return events

    def bill(self, day: int, plan: Plan, *, paid_from: int, **extra: Any) -> list[Event]:
        """A monthly bill and, when ``paid_from`` allows, its payment a few days later."""
        bill = self.event(day, "billing", "billing", period=self._period(day), **extra)
        paid_on = day - self.rng.randint(2, 8)
        if paid_on < max(paid_from, 1):
            return [bill]
        amount = plan.fee
        if self.rng.random() < 0.15:
            amount += Decimal(self.rng.randint(150, 1500)) / 100
        method, channels = self.rng.choices(*self.payment_methods)[0]
        channel = self.rng.choice(channels)
        return [bill, self.event(paid_on, "", "payment", amount, channel, method=method)]

    def tenure(self, plan: Plan, oldest: int, newest: int, *, calm_after: int = 0) -> list[Event]:
        """Everyday events between two days, as many as the time allows, spread evenly.

        No complaint or debt is newer than ``calm_after`` days.
        """
        rng = self.rng
        events: list[Event] = []
        if oldest < newest:
            return events
        count = round(self.fill_per_day * (oldest - newest + 1) * max(rng.gauss(1, 0.25), 0))
        if count <= 0:
            return events
        # Even slots with jitter: a corridor never goes quiet for a year and then bunches up.
        slots = max(1, round(count / EVENTS_PER_FILLER))
        span = oldest - newest + 1
        for slot in range(slots):
            day = newest + int(span * (slot + rng.random()) / slots)
            filler = rng.choices(*self.fillers)[0]
            # Recent complaints and debts are what makes a customer at risk.
            if filler == "complaint" and day <= calm_after:
                filler = "support"
            elif filler == "collections" and day - 12 <= calm_after:
                filler = "pay"
            if filler == "pay":
                events += self.bill(day, plan, paid_from=newest)
            elif filler == "collections" and day - 12 >= newest:
                events += self.bill(day, plan, paid_from=day)  # unpaid bill, chased, then paid
                chased = day - rng.randint(8, 12)
                events.append(self.event(chased, "", "collections", channel="call_centre"))
                events += self.bill(chased, plan, paid_from=newest)[1:]
            elif filler == "use" or filler == "collections":
                events.append(self.event(day, "use", "use", activity=rng.choice(USE_ACTIVITIES)))
            elif filler in ("support", "complaint"):
                topics = SUPPORT_TOPICS if filler == "support" else COMPLAINT_TOPICS
                events.append(self.event(day, filler, filler, topic=rng.choice(topics)))
            elif filler == "information":
                events.append(
                    self.event(day, "discover", "information", topic=rng.choice(INFO_TOPICS))
                )
            else:
                price = rng.choice(DEVICE_PRICES) if plan.mobile else plan.fee
                events.append(self.event(day, "renewal", "renewal", price, plan=plan.name))
        return events

    def trouble(self) -> list[Event]:
        """Recent complaints and/or an unpaid bill chased by collections: the at-risk signs."""
        rng = self.rng
        events: list[Event] = []
        pattern = rng.choices(["complaints", "collections", "both"], [60, 25, 15])[0]
        if pattern != "collections":
            for _ in range(rng.choice([1, 1, 2, 3])):
                day = rng.randint(1, 60)
                events.append(
                    self.event(day, "complaint", "complaint", topic=rng.choice(COMPLAINT_TOPICS))
                )
        if pattern != "complaints":
            day = rng.randint(15, 55)
            events.append(self.event(day, "billing", "billing", period=self._period(day)))
            chased = rng.randint(1, day - 10)
            events.append(self.event(chased, "", "collections", channel="call_centre"))
        return events

    def _period(self, days_ago: int) -> str:
        day = self.days[days_ago]
        return f"{day.year}-{day.month:02d}"

    # -- corridors by lifecycle stage -------------------------------------------------------

    def make(self, profile: Profile) -> list[Event]:
        stage = profile.stage
        if stage == LifecycleStage.PROSPECT or profile.plan is None:
            events = self._prospect()
        elif stage == LifecycleStage.ONBOARDING:
            events = self._onboarding(profile.plan)
        elif stage == LifecycleStage.CHURNED:
            events = self._churned(profile.plan)
        elif stage == LifecycleStage.WON_BACK:
            events = self._won_back(profile.plan)
        else:
            events = self._established(profile.plan, stage)
        events.sort(key=lambda event: event.at)
        return events

    def _prospect(self) -> list[Event]:
        first_seen = self.rng.randint(1, 180)
        visits = self.rng.choices(*PROSPECT_VISITS)[0]
        return [
            self.event(
                self.rng.randint(max(1, first_seen - 30), first_seen),
                "discover",
                "information",
                topic=self.rng.choice(INFO_TOPICS),
            )
            for _ in range(visits)
        ]

    def _onboarding(self, plan: Plan) -> list[Event]:
        rng = self.rng
        sale_day = rng.randint(3, 45)
        events = self.discover(sale_day, rng.choice([0, 1, 1, 2, 3]))
        events += self.acquire(sale_day, plan)
        if rng.random() < 0.25:
            events.append(
                self.event(
                    rng.randint(1, sale_day - 1),
                    "support",
                    "support",
                    topic=rng.choice(SUPPORT_TOPICS),
                )
            )
        if sale_day >= 32:
            events += self.bill(sale_day - 30, plan, paid_from=1)
        return events

    def _established(self, plan: Plan, stage: str) -> list[Event]:
        rng = self.rng
        sale_day = rng.randint(75, WINDOW_DAYS - 30)
        events = self.discover(sale_day, rng.choice([0, 0, 1, 1, 2, 3]))
        events += self.acquire(sale_day, plan)
        if stage in (LifecycleStage.AT_RISK, LifecycleStage.LEAVING):
            events += self.trouble()
        if stage == LifecycleStage.LEAVING:
            events.append(
                self.event(
                    rng.randint(1, 30),
                    "retention",
                    "retention",
                    outcome="Pendiente",
                    reason=rng.choice(LEAVING_REASONS),
                )
            )
        events += self.tenure(plan, sale_day - 20, 1, calm_after=90)
        return events

    def _leave(self, cancel_day: int) -> list[Event]:
        """The end of a relationship: maybe complaints, maybe a failed retention, a cancellation."""
        rng = self.rng
        reason = rng.choice(LEAVING_REASONS)
        events: list[Event] = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            day = cancel_day + rng.randint(5, 45)
            events.append(
                self.event(day, "complaint", "complaint", topic=rng.choice(COMPLAINT_TOPICS))
            )
        if rng.random() < 0.7:
            events.append(
                self.event(
                    cancel_day + rng.randint(1, 10),
                    "retention",
                    "retention",
                    outcome="Rechazada",
                    reason=reason,
                )
            )
        events.append(self.event(cancel_day, "cancellation", "cancellation", reason=reason))
        return events

    def _churned(self, plan: Plan) -> list[Event]:
        rng = self.rng
        sale_day = rng.randint(150, WINDOW_DAYS - 30)
        cancel_day = rng.randint(20, sale_day - 90)
        events = self.discover(sale_day, rng.choice([0, 1, 1, 2]))
        events += self.acquire(sale_day, plan)
        events += self._leave(cancel_day)
        if rng.random() < 0.5 and cancel_day - 10 >= 1:
            final_day = cancel_day - rng.randint(10, min(25, cancel_day - 1))
            events += self.bill(final_day, plan, paid_from=1, final=True)
        events += self.tenure(plan, sale_day - 20, cancel_day + 46)
        return events

    def _won_back(self, plan: Plan) -> list[Event]:
        rng = self.rng
        new_sale_day = rng.randint(30, 200)
        cancel_day = new_sale_day + rng.randint(20, 120)
        first_sale_day = rng.randint(cancel_day + 120, WINDOW_DAYS - 30)
        events = self.discover(first_sale_day, rng.choice([0, 1, 2]))
        events += self.acquire(first_sale_day, plan)
        events += self._leave(cancel_day)
        campaign_day = rng.randint(new_sale_day + 1, cancel_day - 5)
        events.append(
            self.event(
                campaign_day,
                "",
                "information",
                channel="call_centre",
                topic="Campaña de recuperación",
            )
        )
        events += self.acquire(new_sale_day, plan, win_back=True)
        events += self.tenure(plan, first_sale_day - 20, cancel_day + 46)
        events += self.tenure(plan, new_sale_day - 20, 1)
        return events
