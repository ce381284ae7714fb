"""The 事件处置 (incidents) tab's parts: filter bar, detail view and its dialogs."""
