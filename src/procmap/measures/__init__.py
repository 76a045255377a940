"""Measures derived from a map, computed once per map and reused: the outside-in
points (Moments of Truth, Break Points, Business Rules), failure risk and cycle time."""
