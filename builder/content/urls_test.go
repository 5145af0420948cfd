package content

import (
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		in, want string // want: the normalised URL, or a substring of the error
		ok       bool
	}{
		{"https://exempelbanken.se/", "https://exempelbanken.se/", true},
		{"https://exempelbanken.se", "https://exempelbanken.se/", true},
		{"http://localhost:8080", "http://localhost:8080/", true},
		{"https://x.se/portal", "https://x.se/portal/", true},
		{"https://xn--kk-via.se/", "https://xn--kk-via.se/", true},
		{"javascript:alert(1)", "ska börja med https://", false},
		{"JAVASCRIPT://x.se/", "ska börja med https://", false},
		{"ftp://x.se/", "ska börja med https://", false},
		{"exempelbanken.se", "ska börja med https://", false},
		{"/portal/", "ska börja med https://", false},
		{"//x.se/", "ska börja med https://", false},
		{"https:x.se", "ska börja med https://", false},
		{"https:///x", "värdnamn saknas", false},
		{"https://:443/", "värdnamn saknas", false},
		{"https://user:pw@x.se/", "användarnamn och lösenord", false},
		{"https://x.se/?a=1", "? eller #", false},
		{"https://x.se/?", "? eller #", false},
		{"https://x.se/#a", "? eller #", false},
		{"https://x.se/\nDisallow: /", "mellanslag eller styrtecken", false},
		{"https://x.se/ a", "mellanslag eller styrtecken", false},
		{"https://x.se/\x00", "mellanslag eller styrtecken", false},
		{"https://x.se/\x7f", "mellanslag eller styrtecken", false},
		{"https://kök.se/", "punycode", false},
		{"https://x.se/\u2028", "procentkodas", false},
		{`https://x.se/"><script>`, `tecknet '"'`, false},
		{`https://x.se\@evil.example/`, `tecknet '\\'`, false},
		{"https://x.se/%zz", "går inte att tolka", false},
		{"https://x.se:port/", "går inte att tolka", false},
		{"", "tom", false},
	}
	for _, tt := range tests {
		got, err := CheckBaseURL(tt.in)
		switch {
		case tt.ok && (err != nil || got != tt.want):
			t.Errorf("CheckBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		case !tt.ok && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("CheckBaseURL(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCheckMenuURL(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for valid, else a substring of the error
	}{
		{"/exempel/", ""},
		{"/", ""},
		{"/sok/?q=fond#topp", ""},
		{"https://skr.se/", ""},
		{"http://x.se", ""},
		{"//evil.example/", "// leder till en annan webbplats"},
		{"///evil.example/", "// leder till en annan webbplats"},
		{`/\evil.example/`, `tecknet '\\'`},
		{"javascript:alert(1)", "ska börja med / (en sida på sajten) eller https://"},
		{"data:text/html,x", "ska börja med /"},
		{"mailto:a@b.se", "ska börja med /"},
		{"exempel/", "ska börja med /"},
		{"https://", "värdnamn saknas"},
		{"https://u@x.se/", "användarnamn"},
		{"/exempel/\n", "mellanslag eller styrtecken"},
		{" /exempel/", "mellanslag eller styrtecken"},
		{"\t//evil.example/", "mellanslag eller styrtecken"},
	}
	for _, tt := range tests {
		err := CheckMenuURL(tt.in)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckMenuURL(%q) = %v, want nil", tt.in, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("CheckMenuURL(%q) = %v, want an error with %q", tt.in, err, tt.want)
		}
	}
}
