package markdown

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/yuin/goldmark/renderer/html"
)

// writeBoth writes src with goldmark's writer and with plainText, through
// Write (raw false) or RawWrite.
func writeBoth(src []byte, raw bool) (got, want string) {
	run := func(w html.Writer) string {
		var b bytes.Buffer
		bw := bufio.NewWriter(&b)
		if raw {
			w.RawWrite(bw, src)
		} else {
			w.Write(bw, src)
		}
		bw.Flush()
		return b.String()
	}
	return run(plainText{html.DefaultWriter}), run(html.DefaultWriter)
}

var textWriterCases = []string{
	"", "vanlig text med åäö", `"citat"`, "a & b", "&amp; &#x41; &#65; &auml; &nope;", "<tagg>", "a\\*b\\ c",
	"nul\x00byte", "slut\\", "ogiltig \xff utf-8", "1 < 2 > 0", "a > b",
}

func TestPlainTextWriter(t *testing.T) {
	for _, s := range textWriterCases {
		for _, raw := range []bool{false, true} {
			if got, want := writeBoth([]byte(s), raw); got != want {
				t.Errorf("%q (raw %v): got %q, want %q", s, raw, got, want)
			}
		}
	}
}

func FuzzPlainTextWriter(f *testing.F) {
	for _, s := range textWriterCases {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, src []byte, raw bool) {
		if got, want := writeBoth(src, raw); got != want {
			t.Errorf("%q (raw %v): got %q, want %q", src, raw, got, want)
		}
	})
}
