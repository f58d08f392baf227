package domain

// District is one of Shanghai's 16 districts (DOMAIN.md §districts), keyed by GB/T 2260 code.
type District struct {
	Code string
	Name string
}

// Districts lists the 16 districts in the spec's order.
var Districts = []District{
	{"310101", "黄浦区"}, {"310104", "徐汇区"}, {"310105", "长宁区"}, {"310106", "静安区"},
	{"310107", "普陀区"}, {"310109", "虹口区"}, {"310110", "杨浦区"}, {"310112", "闵行区"},
	{"310113", "宝山区"}, {"310114", "嘉定区"}, {"310115", "浦东新区"}, {"310116", "金山区"},
	{"310117", "松江区"}, {"310118", "青浦区"}, {"310120", "奉贤区"}, {"310151", "崇明区"},
}

var districtNames = func() map[string]string {
	m := make(map[string]string, len(Districts))
	for _, d := range Districts {
		m[d.Code] = d.Name
	}
	return m
}()

// DistrictName returns the name for a code, or "" when the code is not a Shanghai district.
func DistrictName(code string) string { return districtNames[code] }

// IsDistrict reports whether code is one of the 16 districts.
func IsDistrict(code string) bool { _, ok := districtNames[code]; return ok }
