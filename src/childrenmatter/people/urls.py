from django.urls import path

from childrenmatter.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.new, name="new"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pair_id>/", views.decide_duplicate, name="decide"),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:merge_id>/undo/", views.undo, name="undo"),
    path("<int:person_id>/", views.person, name="person"),
    path("<int:person_id>/edit/", views.edit, name="edit"),
    path("<int:person_id>/versions/", views.versions, name="versions"),
    path("<int:person_id>/add/<str:what>/", views.add, name="add"),
    path("<int:person_id>/relationships/add/", views.add_relationship, name="add-relationship"),
    path("<int:person_id>/relationships/<int:relationship_id>/end/", views.end_relationship,
         name="end-relationship"),
]
