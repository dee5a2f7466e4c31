"""A realistic demo database for trying the app, screenshots and benches."""
