"""Review and adjudication window for team leads (see docs/review.md)."""

from annotator.ui.review.dialog import ReviewDialog
from annotator.ui.review.review_window import ReviewWindow

__all__ = ["ReviewDialog", "ReviewWindow"]
