from django.urls import path

from . import contest_views, paper_views, progress_views, results_views, scoring_views, views

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
    path("<int:pk>/screening/", views.screening_summary, name="screening_summary"),
    path("<int:pk>/screening/run/", views.screening_run, name="screening_run"),
    path("<int:pk>/screening/<int:result_pk>/override/", views.screening_override, name="screening_override"),
    path("<int:pk>/open-scoring/", views.open_scoring, name="open_scoring"),
    # Chained rounds and the national contest (contest_views.py)
    path("<int:pk>/entries/take/", contest_views.entries_take, name="entries_take"),
    path("<int:pk>/contest/", contest_views.contest, name="contest"),
    # Scoring and conflicts (scoring_views.py)
    path("<int:pk>/score/", scoring_views.score_list, name="score_list"),
    path("<int:pk>/score/submit/", scoring_views.scores_submit, name="scores_submit"),
    path("<int:pk>/score/<int:sid>/", scoring_views.score_form, name="score_form"),
    path("<int:pk>/score/<int:sid>/save/", scoring_views.score_save, name="score_save"),
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
]
