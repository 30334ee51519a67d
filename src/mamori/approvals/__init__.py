"""Approvals: a request that someone else decides, for any app's kind of change.

An app asks for approval instead of writing directly (a grant to a 秘 asset, a
disclosure beyond the contract): ``services.approval_request(kind=..., subject=obj,
requested_by=user, data={...}, reason=...)`` stores what is asked; someone the kind allows
approves (``approval_approve``) or declines with a reason (``approval_decline``); the
requester may withdraw it while it is pending (``approval_withdraw``). Nobody decides
their own request. Every step is a tracked save, so the audit log has it; pending requests
are listed at ``/approvals/`` and in the digest of whoever may decide them.

Registering a kind (in the owning app's ``AppConfig.ready``; approvals imports no app
above it)::

    from mamori.approvals.registry import ApprovalKind, kind_register

    kind_register(
        ApprovalKind(
            key="assets.grant",                          # stable, stored with each request
            label=_("Access to a secret information asset"),
            may_approve=lambda user, request: ...,       # -> bool; the requester never may
            apply=lambda request, user: ...,             # do what was asked; return the object
                                                         # made (linked from the request) or
                                                         # None; raise ApplicationError to refuse
            describe=lambda request: "...",              # one line for the queue and the digest
        )
    )

``apply`` runs inside the approval's transaction: when it raises, the request stays
pending and nothing is written. ``request.data`` is the JSON the requester's service
stored; ``request.subject()`` loads the subject object (``None`` when it is gone).
"""
