"""The surveys API: one router per concern, mounted together at /api/v1/surveys/.

builder.py (surveys and their drafts), responses.py (read and submit responses),
distribution.py (campaigns, trigger rules, invitations, delivery reports) and public.py
(the widget's unauthenticated endpoints, under /api/v1/public/).
"""

from ninja import Router

from vinculo.surveys.api import builder, distribution, public, responses, submit

router = Router(tags=["surveys"])
router.add_router("", submit.router)  # first: "/widget-identity" is no "/{survey_id}"
router.add_router("", builder.router)
router.add_router("", responses.router)
router.add_router("", distribution.router)

public_router = public.router
