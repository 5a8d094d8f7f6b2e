"""Indicators: catalog specs, pure Ibis formulas, and the engine that joins them to the store."""
