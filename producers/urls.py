from django.urls import path

from . import change_list_views, history_views, import_views, pdpa_views, photo_views, views

app_name = "producers"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Registry pages (producers/views.py)
    path("registry/products/", views.product_list, name="product_list"),
    path("registry/products/export.xlsx", views.product_export, name="product_export"),
    path("registry/products/new/", views.product_create, name="product_create"),
    path("registry/products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    # The product page and its photos (producers/photo_views.py)
    path("registry/products/<int:pk>/", photo_views.product_detail, name="product_detail"),
    path("registry/products/<int:pk>/photos/add/", photo_views.photo_add, name="photo_add"),
    path("registry/products/<int:pk>/photos/<int:photo_pk>/main/", photo_views.photo_main, name="photo_main"),
    path("registry/products/<int:pk>/photos/<int:photo_pk>/remove/", photo_views.photo_remove, name="photo_remove"),
    path("registry/products/<int:pk>/photos/<int:photo_pk>.jpg", photo_views.photo_image, name="photo_image"),
    path("registry/products/<int:pk>/photos/<int:photo_pk>/thumb.jpg", photo_views.photo_thumbnail,
         name="photo_thumbnail"),
    path("registry/producers/", views.producer_list, name="producer_list"),
    path("registry/producers/new/", views.producer_create, name="producer_create"),
    path("registry/producers/<int:pk>/", views.producer_detail, name="producer_detail"),
    path("registry/producers/<int:pk>/edit/", views.producer_edit, name="producer_edit"),
    path("registry/producers/<int:pk>/history/", history_views.producer_history, name="producer_history"),
    path("registry/subdistricts/", views.subdistrict_options, name="subdistrict_options"),
    # Personal data (producers/pdpa_views.py)
    path("registry/personal-data/", pdpa_views.access_log, name="pdpa_access_log"),
    path("registry/producers/<int:pk>/anonymise/", pdpa_views.anonymise, name="pdpa_anonymise"),
    # Workbook import (producers/import_views.py)
    path("registry/import/", import_views.upload, name="import_upload"),
    path("registry/import/template.xlsx", import_views.template_workbook, name="import_template"),
    path("registry/import/history/", import_views.history, name="import_history"),
    path("registry/import/<int:pk>/", import_views.preview, name="import_preview"),
    path("registry/import/<int:pk>/progress/", import_views.progress, name="import_progress"),
    path("registry/import/<int:pk>/confirm/", import_views.confirm, name="import_confirm"),
    path("registry/import/<int:pk>/discard/", import_views.discard, name="import_discard"),
    path("registry/import/<int:pk>/errors.xlsx", import_views.error_rows, name="import_errors"),
    path("registry/import/<int:pk>/changes.xlsx", change_list_views.change_list, name="import_changes"),
]
