"""Personal plans computed from a profile: pacing, ladders, diaries, the staircase chart, the body map."""
