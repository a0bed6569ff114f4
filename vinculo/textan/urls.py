from django.urls import path

from vinculo.textan import views

app_name = "textan"

urlpatterns = [
    path("", views.insights, name="insights"),
    path("topics/", views.topics, name="topics"),
    path("topics/new/", views.topic_edit, name="topic_new"),
    path("topics/<int:topic_id>/", views.topic_edit, name="topic_edit"),
    path("rerun/", views.rerun, name="rerun"),
    path("suggestions/discover/", views.suggestions_discover, name="suggestions_discover"),
    path(
        "suggestions/<int:suggestion_id>/accept/",
        views.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        "suggestions/<int:suggestion_id>/reject/",
        views.suggestion_reject,
        name="suggestion_reject",
    ),
]
