package content

// Test hooks for the external test package (content_test), which can use
// builder/corpus without an import cycle.

// FastYAML is fastYAML.
var FastYAML = fastYAML

// FrontMatter returns the front matter of a document file, as parseRaw
// splits it.
func FrontMatter(file string, raw []byte) ([]byte, error) {
	fm, _, _, _, err := splitFile(file, raw)
	return fm, err
}

// DiffNodes is diffNodes.
var DiffNodes = diffNodes

// DiffFields is diffFields.
var DiffFields = diffFields

// ListReads counts the listings of the document folders.
var ListReads = &listReads
