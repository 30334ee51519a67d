from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "mamori.assets"
    label = "assets"
    verbose_name = _("Technologies and information assets")

    def ready(self) -> None:
        from mamori.approvals.registry import ApprovalKind, kind_register
        from mamori.assets import selectors, services
        from mamori.assets.models import InformationAsset
        from mamori.audit.services import audit_record_object
        from mamori.core.access import need_to_know_register

        # An asset's details are need-to-know: the generic views and the API ask this
        # selector for every asset they show, and record each read in the audit log.
        need_to_know_register(
            InformationAsset,
            visible=selectors.can_see_asset_details,
            visible_pks=selectors.assets_with_details,
            read=lambda user, asset: audit_record_object(asset),
        )
        # Access to an asset whose class needs approval is asked for, and granted when
        # its owner or the officer approves.
        kind_register(
            ApprovalKind(
                key=services.GRANT_KIND,
                label=_("Access to secret information"),
                may_approve=services.grant_approval_may_approve,
                apply=services.grant_approval_apply,
                describe=services.grant_approval_describe,
            )
        )
        # Lowering the class of such an asset is asked for in the same way.
        kind_register(
            ApprovalKind(
                key=services.CLASS_CHANGE_KIND,
                label=_("Lowering a secrecy class"),
                may_approve=services.class_change_may_approve,
                apply=services.class_change_apply,
                describe=services.class_change_describe,
            )
        )
