from django.urls import path

from . import (contest_views, development_views, entry_views, paper_views, progress_views, results_views,
               scoring_views, views)

app_name = "selection"
urlpatterns = [
    # Rounds, committee, submissions and screening (views.py)
    path("", views.round_list, name="round_list"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/settings/", views.round_edit, name="round_edit"),
    path("<int:pk>/rubric/", views.rubric_edit, name="rubric_edit"),
    path("<int:pk>/committee/", views.committee, name="committee"),
    path("<int:pk>/committee/<int:member_pk>/remove/", views.committee_remove, name="committee_remove"),
    path("<int:pk>/submissions/", views.submission_list, name="submission_list"),
    path("<int:pk>/submissions/add/", views.submission_add, name="submission_add"),
    path("<int:pk>/submissions/bulk/", views.submission_bulk, name="submission_bulk"),
    path("<int:pk>/submissions/<int:sid>/remove/", views.submission_remove, name="submission_remove"),
    # An entry's material: the application's photos and documents, the product's photos (entry_views.py)
    path("<int:pk>/submissions/<int:sid>/", entry_views.submission_detail, name="submission_detail"),
    path("<int:pk>/submissions/<int:sid>/files/add/", entry_views.attachment_add, name="attachment_add"),
    path("<int:pk>/submissions/<int:sid>/files/<int:aid>/", entry_views.attachment_file, name="attachment_file"),
    path("<int:pk>/submissions/<int:sid>/files/<int:aid>/thumb.jpg", entry_views.attachment_thumbnail,
         name="attachment_thumbnail"),
    path("<int:pk>/submissions/<int:sid>/files/<int:aid>/remove/", entry_views.attachment_remove,
         name="attachment_remove"),
    path("<int:pk>/submissions/<int:sid>/photos/<int:photo_pk>.jpg", entry_views.product_photo, name="entry_photo"),
    path("<int:pk>/submissions/<int:sid>/photos/<int:photo_pk>/thumb.jpg", entry_views.product_photo_thumbnail,
         name="entry_photo_thumbnail"),
    path("<int:pk>/screening/", views.screening_summary, name="screening_summary"),
    path("<int:pk>/screening/run/", views.screening_run, name="screening_run"),
    path("<int:pk>/screening/<int:result_pk>/override/", views.screening_override, name="screening_override"),
    path("<int:pk>/open-scoring/", views.open_scoring, name="open_scoring"),
    # Chained rounds and the national contest (contest_views.py)
    path("<int:pk>/entries/take/", contest_views.entries_take, name="entries_take"),
    path("<int:pk>/contest/", contest_views.contest, name="contest"),
    # Scoring and conflicts (scoring_views.py)
    # The service worker that keeps the scoring pages for offline use; its scope is /selection/.
    path("offline-worker.js", scoring_views.offline_worker, name="offline_worker"),
    path("<int:pk>/score/", scoring_views.score_list, name="score_list"),
    path("<int:pk>/score/submit/", scoring_views.scores_submit, name="scores_submit"),
    path("<int:pk>/score/<int:sid>/", scoring_views.score_form, name="score_form"),
    path("<int:pk>/score/<int:sid>/save/", scoring_views.score_save, name="score_save"),
    path("<int:pk>/score/<int:sid>/sync/", scoring_views.score_sync, name="score_sync"),
    path("<int:pk>/score/<int:sid>/conflict/", scoring_views.conflict_declare, name="conflict_declare"),
    path("<int:pk>/conflicts/", scoring_views.conflict_list, name="conflict_list"),
    path("<int:pk>/conflicts/<int:cid>/withdraw/", scoring_views.conflict_withdraw, name="conflict_withdraw"),
    # Who still has to score: the progress board, the deadline, reminders (progress_views.py)
    path("<int:pk>/progress/", progress_views.progress, name="progress"),
    path("<int:pk>/progress/remind/", progress_views.remind, name="remind"),
    path("<int:pk>/progress/deadline/", progress_views.scoring_deadline, name="scoring_deadline"),
    # Paper score sheets: printing them, entering a filled one (paper_views.py)
    path("<int:pk>/paper.pdf", paper_views.sheets_pdf, name="paper_sheets"),
    path("<int:pk>/paper/<int:member_pk>.pdf", paper_views.sheet_pdf, name="paper_sheet"),
    path("<int:pk>/paper/<int:member_pk>/enter/", paper_views.enter, name="paper_enter"),
    path("<int:pk>/paper/<int:member_pk>/scan/", paper_views.scan_add, name="paper_scan_add"),
    path("<int:pk>/paper/scans/<int:scan_pk>/", paper_views.scan_download, name="paper_scan"),
    # Ranking, the cut, results and history (results_views.py)
    path("<int:pk>/close-scoring/", results_views.close_scoring, name="close_scoring"),
    path("<int:pk>/ranking/", results_views.ranking, name="ranking"),
    path("<int:pk>/decide/", results_views.decision_add, name="decision_add"),
    path("<int:pk>/decisions/<int:did>/withdraw/", results_views.decision_withdraw, name="decision_withdraw"),
    path("<int:pk>/approve/", results_views.approve, name="approve"),
    path("<int:pk>/reopen/", results_views.reopen, name="reopen"),
    path("<int:pk>/results/live/", results_views.results_live, name="results_live"),
    path("<int:pk>/results/board/", results_views.results_board, name="results_board"),
    path("<int:pk>/results.xlsx", results_views.export, name="export"),
    path("<int:pk>/history/", results_views.history, name="history"),
    # Activity 2: developing the selected products (development_views.py)
    path("development/", development_views.overview, name="development_overview"),
    path("<int:pk>/development/", development_views.board, name="development_board"),
    path("development/<int:rid>/", development_views.detail, name="development_detail"),
    path("development/<int:rid>/plan/", development_views.plan, name="development_plan"),
    path("development/<int:rid>/mentors/add/", development_views.mentor_add, name="development_mentor_add"),
    path("development/<int:rid>/mentors/<int:mid>/remove/", development_views.mentor_remove,
         name="development_mentor_remove"),
    path("development/<int:rid>/items/<int:iid>/done/", development_views.item_done, name="development_item_done"),
    path("development/<int:rid>/visits/add/", development_views.visit_add, name="development_visit_add"),
    path("development/<int:rid>/status/<str:stage>/", development_views.status_edit, name="development_status"),
    path("development/photos/<int:photo_pk>/<str:size>.jpg", development_views.photo, name="development_photo"),
]
