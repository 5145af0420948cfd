package site

// The portal's own URLs, spelled here only. Documents get theirs from
// content (Doc.URL); facet pages are facetURL(key) and facetURL(key, slug).
// content.ReservedSlugs keeps pages of content/sidor off these first
// segments (TestReservedSlugsCoverThePlan).
const (
	homeURL     = "/"
	casesURL    = "/exempel/"
	glossaryURL = "/begrepp/"
	compareURL  = glossaryURL + "jamfor-modeller/"
	searchURL   = "/sok/"
	sourcesURL  = "/kallor/" // each source: content.SourceDoc.Page
	dataURL     = "/data/"
	notFoundURL = "/404.html"
)

// The facet keys, which are also the first segment of their pages' URLs.
const (
	facetKommun   = "kommun"
	facetLan      = "lan"
	facetMalgrupp = "malgrupp"
	facetFokus    = "fokus"
	facetModell   = "modell"
	facetStatus   = "status"
	facetTyp      = "typ"
)

// facetURL returns the index page of the facet key, or with a slug, the
// page of one of its values.
func facetURL(key string, slug ...string) string {
	u := "/" + key + "/"
	for _, s := range slug {
		u += s + "/"
	}
	return u
}
