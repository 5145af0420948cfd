//go:build race

package markdown

// raceEnabled: the race detector slows these tests about tenfold, so the
// random differential tests run a fifth of their inputs under it (the full
// number runs without -race).
const raceEnabled = true
