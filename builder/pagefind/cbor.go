package pagefind

import "encoding/binary"

// The subset of CBOR (RFC 8949) Pagefind's files use: unsigned and
// negative integers, text strings and definite-length arrays, each in its
// shortest form, as minicbor writes them.

func cborHead(b []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(b, m|byte(n))
	case n <= 0xff:
		return append(b, m|24, byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(b, m|25), uint16(n))
	case n <= 0xffffffff:
		return binary.BigEndian.AppendUint32(append(b, m|26), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, m|27), n)
}

func cborUint(b []byte, n uint64) []byte { return cborHead(b, 0, n) }

func cborInt(b []byte, n int64) []byte {
	if n >= 0 {
		return cborHead(b, 0, uint64(n))
	}
	return cborHead(b, 1, uint64(-1-n))
}

func cborString(b []byte, s string) []byte {
	return append(cborHead(b, 3, uint64(len(s))), s...)
}

func cborArray(b []byte, n int) []byte { return cborHead(b, 4, uint64(n)) }
