"""Progress toward the goals: methods that judge a series against its target, and the roll-up from
series to targets, goals and the North America aggregate."""
