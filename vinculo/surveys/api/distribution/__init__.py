"""The distribution API (/api/v1/surveys): campaigns and their invitations (campaigns.py),
single invitations with their personal link (invites.py), trigger rules and the contact
policy (rules.py); bodies in schemas.py.

Every operation needs ``surveys.manage``. Units are named by code, like everywhere in the
API; a unit-limited key or person reaches only customers and invitations of their units.
The pages (views/distribution.py) call the same services.
"""

from ninja import Router

from vinculo.surveys.api.distribution import campaigns, invites, rules

router = Router(tags=["survey distribution"])
router.add_router("", campaigns.router)
router.add_router("", invites.router)
router.add_router("", rules.router)
