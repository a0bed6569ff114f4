from django.urls import path

from vinculo.textan import scoring_views, views

app_name = "textan"

urlpatterns = [
    path("", views.insights, name="insights"),
    path("words/", views.words, name="words"),
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
    path("score/", scoring_views.scoring, name="scoring"),
    path("score/<int:job_id>/", scoring_views.scoring_job, name="scoring_job"),
    path("score/<int:job_id>/download/", scoring_views.scoring_download, name="scoring_download"),
]
