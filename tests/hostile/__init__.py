"""Hostile and careless input: each case of a located refusal or a right answer, fast and bounded."""
