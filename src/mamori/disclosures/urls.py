from mamori.disclosures.views import exhibitions, ledger, samples

app_name = "disclosures"

# Each views module lists its own URLs: the ledger, samples and exhibitions.
urlpatterns = [*ledger.urlpatterns, *samples.urlpatterns, *exhibitions.urlpatterns]
