package content

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// CheckBaseURL validates a site's base URL (site.yaml baseURL or the
// -baseurl flag) and returns it with a trailing slash. It must be an
// absolute http or https URL with a host, written in printable ASCII
// (no white space, control characters, quotes or angle brackets: it goes
// into sitemap.xml, robots.txt and every page's canonical link), with no
// user name or password, query or fragment. The error says why, in
// Swedish, without the value.
func CheckBaseURL(s string) (string, error) {
	if err := checkURLChars(s); err != nil {
		return "", err
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", errUnparsable
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" {
		return "", errors.New("den ska börja med https:// eller http://")
	}
	if err := checkRemote(u); err != nil {
		return "", err
	}
	if u.RawQuery != "" || u.ForceQuery || strings.Contains(s, "#") {
		return "", errors.New("den får inte ha någon ? eller #")
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

// CheckMenuURL validates the url of a menu entry: a path on the site,
// starting with a single "/" ("/exempel/"), or an absolute http or https
// URL with a host. A protocol-relative "//host/" is not a path on the
// site, and "javascript:" and other schemes are refused. The error says
// why, in Swedish, without the value.
func CheckMenuURL(s string) error {
	if err := checkURLChars(s); err != nil {
		return err
	}
	if strings.HasPrefix(s, "//") {
		return errors.New("en sökväg på sajten börjar med ett enda /; // leder till en annan webbplats (skriv https:// för en extern länk)")
	}
	if strings.HasPrefix(s, "/") {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return errUnparsable
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" {
		return errors.New("den ska börja med / (en sida på sajten) eller https://")
	}
	return checkRemote(u)
}

var errUnparsable = errors.New("den går inte att tolka (fel i procentkodning, värdnamn eller port?)")

// checkRemote checks the host and user of an absolute URL.
func checkRemote(u *url.URL) error {
	if u.Hostname() == "" {
		return errors.New("värdnamn saknas (till exempel https://exempelbanken.se/)")
	}
	if u.User != nil {
		return errors.New("användarnamn och lösenord hör inte hemma i en länk")
	}
	return nil
}

// checkURLChars refuses what a URL may not hold as written: white space,
// control characters, non-ASCII (a host must be given in punycode, a path
// percent-encoded) and the characters " < > \ ^ ` { | }. A backslash is
// refused in particular because browsers read "/\host" as "//host".
func checkURLChars(s string) error {
	if s == "" {
		return errors.New("den är tom")
	}
	for _, r := range s {
		switch {
		case r <= ' ' || r == 0x7f:
			return errors.New("den innehåller mellanslag eller styrtecken")
		case r > 0x7f:
			return fmt.Errorf("tecknet %q måste procentkodas (eller skrivas med punycode i värdnamnet)", r)
		case strings.ContainsRune("\"<>\\^`{|}", r):
			return fmt.Errorf("tecknet %q får inte förekomma", r)
		}
	}
	return nil
}
