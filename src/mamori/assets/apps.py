from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "mamori.assets"
    label = "assets"
    verbose_name = "Technologies and information assets"

    def ready(self) -> None:
        from mamori.assets import selectors
        from mamori.assets.models import InformationAsset
        from mamori.audit.services import audit_record_object
        from mamori.core.access import need_to_know_register

        # An asset's details are need-to-know: the generic views and the API ask this
        # selector for every asset they show, and record each read in the audit log.
        need_to_know_register(
            InformationAsset,
            visible=selectors.can_see_asset_details,
            read=lambda user, asset: audit_record_object(asset),
        )
