"""Qt widgets only: the main window, pages, table models and dialogs. Talks to services, never to a Session."""
