"""The JSON API: one NinjaAPI at /api/v1/, each app contributing a Router.

Two ways in: a browser session (with CSRF, for the UI's own calls) or an API key sent as
``Authorization: Bearer vk_...``. Either way the handler gets ``request.actor``.
"""

from functools import partial

from django.http import HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from vinculo.accounts.api import router as accounts_router
from vinculo.accounts.api_auth import ApiKeyAuth, SessionAuth
from vinculo.cases.api import router as cases_router
from vinculo.cases.insights_api import improvements_router
from vinculo.cases.insights_api import router as cases_insights_router
from vinculo.cases.notifications_api import router as notifications_router
from vinculo.cases.rules_api import router as alert_rules_router
from vinculo.cases.signals_api import router as sales_signals_router
from vinculo.customers.api import router as customers_router
from vinculo.feedback.api import router as feedback_router
from vinculo.imports.api import batch_router
from vinculo.imports.api import router as imports_router
from vinculo.journeys.api import router as journeys_router
from vinculo.lib.apiedge import on_validation_error
from vinculo.metrics.api import router as metrics_router
from vinculo.surveys.api import public_router as surveys_public_router
from vinculo.surveys.api import router as surveys_router
from vinculo.textan.api import router as textan_router
from vinculo.webhooks.api import router as webhooks_router

api = NinjaAPI(
    title="Vínculo API",
    version="1",
    description=("Customers, identities, interactions, imports, surveys, CX metrics and feedback."),
    auth=[ApiKeyAuth(), SessionAuth()],
    urls_namespace="api",
    # Swagger UI is served from ninja's bundled static files ("ninja" is an installed app);
    # no validator badge, so the docs page makes no request to the internet.
    docs=Swagger(settings={"validatorUrl": None}),
)
# Every 422 also names its field as a path, e.g. "identities[1].value".
api.add_exception_handler(ValidationError, partial(on_validation_error, api=api))
# Batches first: "/customers/batch" must not be taken for a customer id.
api.add_router("/", batch_router)
api.add_router("/", accounts_router)
api.add_router("/customers", customers_router)
api.add_router("/interactions", journeys_router)
api.add_router("/imports", imports_router)
api.add_router("/surveys", surveys_router)
api.add_router("/public", surveys_public_router)
api.add_router("/metrics", metrics_router)
api.add_router("/feedback", feedback_router)
api.add_router("/texts", textan_router)
api.add_router("/cases", cases_router)
api.add_router("/cases-insights", cases_insights_router)
api.add_router("/improvements", improvements_router)
api.add_router("/alert-rules", alert_rules_router)
api.add_router("/sales-signals", sales_signals_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/notifications", notifications_router)


@api.get("/health", auth=None, tags=["meta"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
