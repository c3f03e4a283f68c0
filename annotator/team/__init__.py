"""Team work: alignment of several annotators, agreement, progress."""
