"""The model store: pull from the hub, import a local folder, convert, list (see ``store``)."""
