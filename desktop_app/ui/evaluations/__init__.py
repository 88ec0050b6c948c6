"""The UI of this module (its navigation entry; its pages when the module is built)."""
