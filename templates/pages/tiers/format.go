package tiers

import (
	"strconv"
	"time"
)

var cst = time.FixedZone("CST", 8*3600)

func fmtScore(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
