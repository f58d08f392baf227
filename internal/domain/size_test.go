package domain

import "testing"

func TestClassifySize(t *testing.T) {
	emp := func(n int64) *int64 { return &n }
	rev := func(w float64) *float64 { return &w }
	cases := []struct {
		g    IndustryGroup
		e    *int64
		r    *float64
		want SizeClass
	}{
		// industrial: ceiling employees < 1000 or revenue < 40000.
		{GroupIndustrial, emp(1000), rev(40000), SizeLarge},
		{GroupIndustrial, emp(999), rev(40000), SizeMedium},
		{GroupIndustrial, emp(1000), rev(39999), SizeMedium},
		{GroupIndustrial, emp(300), rev(2000), SizeMedium},
		{GroupIndustrial, emp(299), rev(2000), SizeSmall}, // fails a medium bound → small
		{GroupIndustrial, emp(300), rev(1999), SizeSmall},
		{GroupIndustrial, emp(20), rev(300), SizeSmall},
		{GroupIndustrial, emp(19), rev(5000), SizeMicro},
		{GroupIndustrial, emp(500), rev(299), SizeMicro},
		// information transmission.
		{GroupInfoTransmit, emp(2000), rev(100000), SizeLarge},
		{GroupInfoTransmit, emp(100), rev(1000), SizeMedium},
		{GroupInfoTransmit, emp(10), rev(100), SizeSmall},
		{GroupInfoTransmit, emp(9), rev(100), SizeMicro},
		// software and IT services.
		{GroupSoftwareIT, emp(300), rev(10000), SizeLarge},
		{GroupSoftwareIT, emp(299), rev(20000), SizeMedium},
		{GroupSoftwareIT, emp(10), rev(50), SizeSmall},
		{GroupSoftwareIT, emp(10), rev(49.99), SizeMicro},
		// other: employees only.
		{GroupOther, emp(300), nil, SizeLarge},
		{GroupOther, emp(100), nil, SizeMedium},
		{GroupOther, emp(99), nil, SizeSmall},
		{GroupOther, emp(10), nil, SizeSmall},
		{GroupOther, emp(9), nil, SizeMicro},
		// missing inputs.
		{GroupIndustrial, emp(50), nil, SizeUnknown},
		{GroupIndustrial, nil, rev(50), SizeUnknown},
		{"mining", emp(50), rev(50), SizeUnknown},
	}
	for _, tc := range cases {
		if got := ClassifySize(tc.g, tc.e, tc.r); got != tc.want {
			e, r := "nil", "nil"
			if tc.e != nil {
				e = itoa64(*tc.e)
			}
			if tc.r != nil {
				r = ftoa(*tc.r)
			}
			t.Errorf("%s employees=%s revenue=%s: %q, want %q", tc.g, e, r, got, tc.want)
		}
	}
}
