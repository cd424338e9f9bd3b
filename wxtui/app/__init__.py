"""The Textual application: sidebar, session panes, dialogs and the command palette."""
