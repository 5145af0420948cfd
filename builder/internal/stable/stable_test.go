package stable

import "testing"

// TestSum64: the values are fixed (another process, another system, the
// same sum; checked against Python's zlib.crc32 and a bitwise CRC-32C), a
// changed byte changes the sum, and String agrees with Sum64.
func TestSum64(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"", 0},
		{"Exempelbanken", 0x753612156021eaf1},
		{"förskola", 0x5ef19bc7da356961},
	} {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %#x, want %#x", tc.in, got, tc.want)
		}
		if Sum64([]byte(tc.in)) != String(tc.in) {
			t.Errorf("Sum64 and String differ for %q", tc.in)
		}
		var d Digest
		half := len(tc.in) / 2
		d.WriteString(tc.in[:half])
		d.Write([]byte(tc.in[half:]))
		if d.Sum64() != tc.want {
			t.Errorf("Digest of %q in two pieces = %#x, want %#x", tc.in, d.Sum64(), tc.want)
		}
	}
	a, b := []byte("sociala investeringar"), []byte("sociala investeringar")
	b[3] ^= 1
	if Sum64(a) == Sum64(b) {
		t.Error("a changed byte left the sum")
	}
}
