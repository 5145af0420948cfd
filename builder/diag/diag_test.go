package diag

import "testing"

// TestNilList: a nil *List reads as an empty one, so that a holder can
// keep nil for "no errors".
func TestNilList(t *testing.T) {
	var l *List
	if l.Len() != 0 || l.Errors() != nil || l.Err() != nil || l.Error() != "" {
		t.Errorf("nil list: %d errors, %v, %v, %q", l.Len(), l.Errors(), l.Err(), l.Error())
	}
	var all List
	all.Merge(l)
	all.Addf("content/exempel/x.md", 7, "fel")
	if all.Len() != 1 || all.Error() != "content/exempel/x.md:7: fel" {
		t.Errorf("merged: %d, %q", all.Len(), all.Error())
	}
}
