package markdown

// scaled returns n, or a fifth of it under the race detector.
func scaled(n int) int {
	if raceEnabled {
		return max(n/5, 1)
	}
	return n
}

// stride is the step for tests that walk a list of documents: every one,
// or every fifth under the race detector.
func stride() int {
	if raceEnabled {
		return 5
	}
	return 1
}
