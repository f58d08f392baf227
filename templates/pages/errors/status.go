package errors

import "strconv"

func statusText(s int) string { return strconv.Itoa(s) }
