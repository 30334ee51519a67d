"""The asset views, one module per register (re-exported for urls.py)."""

from mamori.assets.views.grants import (  # noqa: F401
    GrantCreateView,
    GrantRevokeView,
)
from mamori.assets.views.information import (  # noqa: F401
    AssetEditView,
    AssetListView,
    AssetView,
    SecrecyClassEditView,
    SecrecyClassListView,
    SecrecyClassMoveView,
)
from mamori.assets.views.reviews import (  # noqa: F401
    ReviewListView,
    ReviewView,
)
from mamori.assets.views.technologies import (  # noqa: F401
    ProcessStepDeleteView,
    ProcessStepEditView,
    TechnologyEditView,
    TechnologyListView,
    TechnologyView,
)
