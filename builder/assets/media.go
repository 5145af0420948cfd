package assets

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"image"
	_ "image/gif" // sizes of GIF images
	"image/jpeg"
	"image/png"
	"path"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // image.DecodeConfig of .webp files
)

// MediaDir is the folder of images and attachments below the site root;
// its files are published at /media/.
const MediaDir = "content/media"

// VariantWidths are the widths, in pixels, that a large image is also
// published in, for srcset: a phone loads the smallest that fills it.
var VariantWidths = []int{480, 960, 1600}

// Media is one file of content/media, or of a page bundle's folder.
type Media struct {
	Dir           string // the folder it was read from: "content/media"
	Prefix        string // its URL's folder: "/media/" or "/exempel/x/"
	Name          string // slash path below Dir: "bilder/skola.jpg"
	Data          []byte
	Width, Height int    // 0 for a file that is not an image
	Format        string // jpeg, png, gif or webp for images
}

// URL returns where the file is published: /media/<name>, or beside
// its bundle's page.
func (m *Media) URL() string { return m.Prefix + m.Name }

// Path returns where the file is written in the output.
func (m *Media) Path() string { return strings.TrimPrefix(m.URL(), "/") }

// Widths returns the smaller widths the image is also published in (only
// JPEG and PNG, which the standard library can write).
func (m *Media) Widths() []int {
	if m.Format != "jpeg" && m.Format != "png" {
		return nil
	}
	var out []int
	for _, w := range VariantWidths {
		if w < m.Width {
			out = append(out, w)
		}
	}
	return out
}

// VariantName is the file name of the image scaled to width w:
// "bilder/skola.jpg" → "bilder/skola-480w.jpg".
func VariantName(name string, w int) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "-" + strconv.Itoa(w) + "w" + ext
}

// Srcset is the srcset attribute of the image: its variants and itself,
// narrowest first; "" when it has no variants.
func (m *Media) Srcset() string {
	ws := m.Widths()
	if len(ws) == 0 {
		return ""
	}
	var b strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&b, "%s%s %dw, ", m.Prefix, VariantName(m.Name, w), w)
	}
	fmt.Fprintf(&b, "%s %dw", m.URL(), m.Width)
	return b.String()
}

// ReadMedia reads content/media below root (none: an empty list), with the
// size of every image. An image that cannot be read is an error naming it.
func ReadMedia(root string) ([]*Media, error) { return readFiles(root, MediaDir, "/media/") }

// ReadBundle reads the files of a page bundle's folder (dir, such as
// content/exempel/x) but its index.md, published under urlPrefix
// ("/exempel/x/").
func ReadBundle(root, dir, urlPrefix string) ([]*Media, error) {
	return readFiles(root, dir, urlPrefix)
}

func readFiles(root, dir, prefix string) ([]*Media, error) {
	files, err := Static(root, dir)
	if err != nil {
		return nil, err
	}
	out := make([]*Media, 0, len(files))
	for _, f := range files {
		if dir != MediaDir && (f.Name == "index.md" || strings.EqualFold(path.Ext(f.Name), ".md")) {
			continue // the page itself, or notes beside it: never published raw
		}
		m := &Media{Dir: dir, Prefix: prefix, Name: f.Name, Data: f.Data}
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".jpg", ".jpeg", ".png", ".gif", ".webp":
			cfg, format, err := image.DecodeConfig(bytes.NewReader(f.Data))
			if err != nil {
				return nil, fmt.Errorf("%s/%s: bilden går inte att läsa: %v", dir, f.Name, err)
			}
			m.Width, m.Height, m.Format = cfg.Width, cfg.Height, format
		}
		out = append(out, m)
	}
	return out, nil
}

var variantCache sync.Map // string(data hash, width) → []byte

// Variant returns the image scaled to width w (height in proportion),
// encoded as the original: JPEG at quality 85, PNG. Results are kept for
// the life of the process, so the preview server scales each image once.
func (m *Media) Variant(w int) ([]byte, error) {
	key := fmt.Sprintf("%x/%d/%d", hashData(m.Data), len(m.Data), w)
	if b, ok := variantCache.Load(key); ok {
		return b.([]byte), nil
	}
	src, _, err := image.Decode(bytes.NewReader(m.Data))
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %v", m.Dir, m.Name, err)
	}
	h := max(1, m.Height*w/m.Width)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	switch m.Format {
	case "jpeg":
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85})
	case "png":
		err = png.Encode(&buf, dst)
	default:
		err = fmt.Errorf("kan inte skriva %s", m.Format)
	}
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %v", m.Dir, m.Name, err)
	}
	variantCache.Store(key, buf.Bytes())
	return buf.Bytes(), nil
}

// mediaSeed seeds the variant cache's keys, which live as long as the process.
var mediaSeed = maphash.MakeSeed()

func hashData(b []byte) uint64 { return maphash.Bytes(mediaSeed, b) }
