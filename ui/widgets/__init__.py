"""Small widgets and helpers shared by the feed, the cards and the dialogs."""
