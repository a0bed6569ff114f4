"""The JSON API: one NinjaAPI at /api/v1/, each app contributing a Router.

Two ways in: a browser session (with CSRF, for the UI's own calls) or an API key sent as
``Authorization: Bearer vk_...``. Either way the handler gets ``request.actor``.
"""

from django.http import HttpRequest
from ninja import NinjaAPI

from vinculo.accounts.api import router as accounts_router
from vinculo.accounts.api_auth import ApiKeyAuth, SessionAuth
from vinculo.customers.api import router as customers_router
from vinculo.imports.api import router as imports_router
from vinculo.journeys.api import router as journeys_router

api = NinjaAPI(
    title="Vínculo API",
    version="1",
    description="Customers, identities, interactions and imports.",
    auth=[ApiKeyAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/customers", customers_router)
api.add_router("/interactions", journeys_router)
api.add_router("/imports", imports_router)


@api.get("/health", auth=None, tags=["meta"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
