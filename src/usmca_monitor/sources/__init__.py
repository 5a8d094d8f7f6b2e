"""Adapters to publishers, found through the registry in catalog/sources/*.yaml."""
