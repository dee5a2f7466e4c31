"""The feed of a client, lead, contact or deal: model, delegate, view."""

from ui.feed.feed_delegate import FeedDelegate
from ui.feed.feed_model import FeedModel
from ui.feed.feed_view import FeedView

__all__ = ["FeedDelegate", "FeedModel", "FeedView"]
