package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
)

const (
	rowSel      = `[data-testid=enterprise-row]`
	rowNameSel  = rowSel + ` td:nth-child(1)`
	rowDistSel  = rowSel + ` td:nth-child(3)`
	pudong      = "浦东新区"
	browserName = "上海浏览器测试精密仪器有限公司"
)

// TestBrowserRegistryFlow walks the city officer's everyday path: the list, live
// search, a profile, and registering an enterprise through a form that first
// rejects a mistyped 统一社会信用代码 without losing what was typed.
func TestBrowserRegistryFlow(t *testing.T) {
	ctx := newBrowser(t)
	base, db := startBrowserApp(t)

	login(ctx, t, base, "city")
	// City staff land on the dashboard; the list is one click away in the side navigation.
	do(ctx, t, "open the list", chromedp.Click(chromedp.CSS(`[data-testid=nav-enterprises]`)),
		chromedp.WaitVisible(chromedp.CSS(rowSel)))
	if u := location(ctx, t); !strings.HasSuffix(u, "/enterprises") {
		t.Fatalf("the 企业名录 link led to %s, want the enterprise list", u)
	}
	rowsBefore := count(ctx, t, rowSel)
	totalBefore := text(ctx, t, `[data-testid=total]`)
	if rowsBefore < 2 {
		t.Fatalf("list shows %d rows, want a full page", rowsBefore)
	}
	checkCJKFont(ctx, t)
	screenshot(ctx, t, "list")

	// Live search: type part of the first row's name; htmx swaps the table in place.
	first := texts(ctx, t, rowNameSel)[0]
	term, want := searchTerm(t, db, first, rowsBefore)
	t.Logf("searching %q (from %q): expect %d rows", term, first, want)
	do(ctx, t, "mark page", chromedp.Evaluate[chromedp.Void](`window.__sameDocument = true`))
	do(ctx, t, "type search", chromedp.Click(chromedp.CSS(`[data-testid=search]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=search]`), term))
	waitUntil(ctx, t, fmt.Sprintf("%d rows containing %q", want, term), `(() => {
		const rows = [...document.querySelectorAll('`+rowSel+`')];
		return rows.length === `+fmt.Sprint(want)+` && rows.every(r => r.innerText.includes(`+js(term)+`));
	})()`)
	if !run(ctx, t, "same document", chromedp.Evaluate[bool](`window.__sameDocument === true`)) {
		t.Error("live search reloaded the whole page; want htmx to swap the results only")
	}
	if got := text(ctx, t, `[data-testid=total]`); got == totalBefore {
		t.Errorf("total still %q after searching %q", got, term)
	}
	if u, _ := url.Parse(location(ctx, t)); u.Query().Get("q") != term {
		t.Errorf("address bar %s does not carry the search (hx-push-url)", u)
	}
	for _, name := range texts(ctx, t, rowNameSel) {
		if !strings.Contains(name, term) {
			t.Errorf("row %q does not contain %q", name, term)
		}
	}
	screenshot(ctx, t, "search")

	// Profile.
	do(ctx, t, "open profile", chromedp.Click(chromedp.CSS(rowNameSel+` a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=uscc]`)))
	if got := text(ctx, t, `[data-testid=name]`); got != first {
		t.Errorf("profile shows %q, want %q", got, first)
	}
	if got := text(ctx, t, `[data-testid=uscc]`); len(got) != 18 {
		t.Errorf("profile USCC %q is not 18 characters", got)
	}
	screenshot(ctx, t, "detail")

	// New enterprise: a USCC with a wrong check character is refused field by field.
	good := unusedUSCC(t, db)
	bad := good[:17] + map[bool]string{true: "1", false: "0"}[good[17] == '0']
	navigate(ctx, t, base+"/enterprises/new", `[data-testid=enterprise-form]`)
	do(ctx, t, "fill form",
		chromedp.SendKeys(chromedp.CSS(`#uscc`), bad),
		chromedp.SendKeys(chromedp.CSS(`#name`), browserName),
		chromedp.SetValue(chromedp.CSS(`#district`), "310115"),
		chromedp.SetValue(chromedp.CSS(`#industry_group`), string(domain.GroupIndustrial)),
		chromedp.SendKeys(chromedp.CSS(`#contact_person`), "王敏"),
	)
	screenshot(ctx, t, "form")
	do(ctx, t, "submit bad USCC", chromedp.Click(chromedp.CSS(`[data-testid=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-uscc]`)))
	if msg := text(ctx, t, `[data-testid=error-uscc]`); msg == "" {
		t.Error("no message next to the USCC field")
	}
	for sel, want := range map[string]string{`#uscc`: bad, `#name`: browserName, `#district`: "310115",
		`#industry_group`: string(domain.GroupIndustrial), `#contact_person`: "王敏"} {
		if got := value(ctx, t, sel); got != want {
			t.Errorf("after the error %s = %q, want what was typed: %q", sel, got, want)
		}
	}
	screenshot(ctx, t, "form-error")

	do(ctx, t, "fix USCC and submit",
		chromedp.Clear(chromedp.CSS(`#uscc`)),
		chromedp.SendKeys(chromedp.CSS(`#uscc`), good),
		chromedp.Click(chromedp.CSS(`[data-testid=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=flash]`)))
	if got := text(ctx, t, `[data-testid=name]`); got != browserName {
		t.Errorf("new profile shows %q, want %q", got, browserName)
	}
	if got := text(ctx, t, `[data-testid=uscc]`); got != good {
		t.Errorf("new profile USCC %q, want %q", got, good)
	}
	if got := text(ctx, t, `[data-testid=flash]`); !strings.Contains(got, browserName) {
		t.Errorf("flash %q does not name the new enterprise", got)
	}
	e, err := store.NewEnterprises(db).GetByUSCC(context.Background(), domain.USCC(good))
	if err != nil {
		t.Fatalf("new enterprise not stored: %v", err)
	}
	if u := location(ctx, t); !strings.HasSuffix(u, fmt.Sprintf("/enterprises/%d", e.ID)) {
		t.Errorf("after saving the browser is at %s, want the new enterprise's page", u)
	}
	screenshot(ctx, t, "created")
}

// TestBrowserTwoSessionsEditSameEnterprise: two staff members, each in their own
// browser (own cookies, own session), open the same enterprise's edit form. The first
// save wins; the second is refused with a Chinese message naming what the first
// changed, keeps what the second typed, and stores nothing until saved again on purpose.
func TestBrowserTwoSessionsEditSameEnterprise(t *testing.T) {
	first, second := newBrowser(t), newBrowser(t)
	base, db := startBrowserApp(t)
	var id int64
	if err := db.R.Table("enterprises").Select("id").Order("id").Limit(1).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("an enterprise to edit: %v", err)
	}
	edit := fmt.Sprintf("%s/enterprises/%d/edit", base, id)
	login(first, t, base, "city")
	login(second, t, base, "admin")
	navigate(first, t, edit, `[data-testid=enterprise-form]`)
	navigate(second, t, edit, `[data-testid=enterprise-form]`)

	do(first, t, "first session changes the contact and saves",
		chromedp.Clear(chromedp.CSS(`#contact_person`)), chromedp.SendKeys(chromedp.CSS(`#contact_person`), "陈一"),
		chromedp.Click(chromedp.CSS(`[data-testid=submit]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=flash]`)))
	do(second, t, "second session changes the contact and the phone and saves",
		chromedp.Clear(chromedp.CSS(`#contact_person`)), chromedp.SendKeys(chromedp.CSS(`#contact_person`), "李二"),
		chromedp.Clear(chromedp.CSS(`#contact_phone`)), chromedp.SendKeys(chromedp.CSS(`#contact_phone`), "021-66668888"),
		chromedp.Click(chromedp.CSS(`[data-testid=submit]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-version]`)))
	msg := text(second, t, `[data-testid=error-version]`)
	for _, want := range []string{"已被他人修改", "联系人 现为“陈一”"} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal %q does not say %q", msg, want)
		}
	}
	if got := value(second, t, `#contact_person`); got != "李二" {
		t.Errorf("after the refusal the form shows %q, want what the second user typed", got)
	}
	screenshot(second, t, "edit-conflict")
	e, err := store.NewEnterprises(db).Get(context.Background(), domain.Scope{All: true}, id)
	if err != nil || e.ContactPerson != "陈一" || e.ContactPhone == "021-66668888" {
		t.Fatalf("after the refused save the record holds %q / %q (%v); want the first save only", e.ContactPerson, e.ContactPhone, err)
	}
	// Having seen the change, the second user saves again (the form now carries the new version).
	do(second, t, "second session saves again",
		chromedp.Click(chromedp.CSS(`[data-testid=submit]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=flash]`)))
	if e, _ = store.NewEnterprises(db).Get(context.Background(), domain.Scope{All: true}, id); e.ContactPerson != "李二" || e.ContactPhone != "021-66668888" {
		t.Errorf("after the deliberate second save the record holds %q / %q", e.ContactPerson, e.ContactPhone)
	}
}

// searchTerm picks a word of name (not the city or the company form) that some,
// but fewer than onPage, enterprises contain, so a search for it visibly narrows
// the first page. It prefers terms matching several rows so the every-row check
// means something.
func searchTerm(t *testing.T, db *store.DB, name string, onPage int) (string, int) {
	t.Helper()
	core := strings.TrimPrefix(name, "上海")
	for _, form := range []string{"股份有限公司", "有限公司"} {
		core = strings.TrimSuffix(core, form)
	}
	r := []rune(core)
	var fallback string
	var fallbackN int
	for n := 2; n <= len(r); n++ {
		for i := 0; i+n <= len(r); i++ {
			term := string(r[i : i+n])
			var c int64
			if err := db.R.Table("enterprises").Where("name LIKE ?", "%"+term+"%").Count(&c).Error; err != nil {
				t.Fatal(err)
			}
			switch {
			case c >= 2 && int(c) < onPage:
				return term, int(c)
			case c == 1 && fallback == "":
				fallback, fallbackN = term, 1
			}
		}
	}
	if fallback == "" {
		return name, 1
	}
	return fallback, fallbackN
}

// TestBrowserRolesHomeAndNav logs in as each demo account in a fresh browser:
// each lands where its work starts, sees only its rows and its menu, and can log out.
func TestBrowserRolesHomeAndNav(t *testing.T) {
	chromiumPath(t) // skip before building the registry
	base, db := startBrowserApp(t)
	navLabel := map[domain.Role]string{
		domain.RoleAdmin: "企业名录", domain.RoleCity: "企业名录", domain.RoleDistrict: "本区企业",
		domain.RoleSpecialist: "我服务的企业", domain.RoleEnterprise: "本企业",
	}
	for _, acc := range demo.Accounts {
		t.Run(acc.Username, func(t *testing.T) {
			ctx := newBrowser(t)
			login(ctx, t, base, acc.Username)

			if acc.Role == domain.RoleEnterprise {
				u, err := store.NewUsers(db).GetByUsername(context.Background(), acc.Username)
				if err != nil || u.EnterpriseID == nil {
					t.Fatalf("enterprise account: %v %v", err, u.EnterpriseID)
				}
				// An enterprise starts on its portal (issue #6); its registry page is in the menu.
				do(ctx, t, "portal", chromedp.WaitVisible(chromedp.CSS(`[data-testid=annual]`)))
				if loc := location(ctx, t); !strings.HasSuffix(loc, "/portal") {
					t.Errorf("landed on %s, want the portal", loc)
				}
				if href := attr(ctx, t, `[data-testid=nav-enterprises]`, "href"); href != fmt.Sprintf("/enterprises/%d", *u.EnterpriseID) {
					t.Errorf("本企业 links to %s, want its own enterprise %d", href, *u.EnterpriseID)
				}
			} else {
				if acc.Role == domain.RoleSpecialist {
					// A specialist starts on their workbench; the list is one click away.
					do(ctx, t, "workbench", chromedp.WaitVisible(chromedp.CSS(`[data-testid=owed]`)))
					navigate(ctx, t, base+"/enterprises", rowSel)
				} else {
					// Staff start on the dashboard of their scope (issue #9); the list is in the menu.
					do(ctx, t, "dashboard", chromedp.WaitVisible(chromedp.CSS(`[data-testid=dashboard]`)))
					if loc := location(ctx, t); !strings.HasSuffix(loc, "/dashboard") {
						t.Errorf("landed on %s, want the dashboard", loc)
					}
					navigate(ctx, t, base+"/enterprises", rowSel)
				}
				do(ctx, t, "list", chromedp.WaitVisible(chromedp.CSS(rowSel)))
				if loc := location(ctx, t); !strings.HasSuffix(loc, "/enterprises") {
					t.Errorf("landed on %s, want the enterprise list", loc)
				}
				districts := texts(ctx, t, rowDistSel)
				seen := map[string]bool{}
				for _, d := range districts {
					seen[d] = true
				}
				switch acc.Role {
				case domain.RoleDistrict, domain.RoleSpecialist:
					if len(seen) != 1 || !seen[pudong] {
						t.Errorf("所在区 column shows %v, want only %s", districts, pudong)
					}
				default:
					if len(seen) < 2 {
						t.Errorf("所在区 column shows only %v; the city-wide list should span districts", districts)
					}
				}
			}

			if got := text(ctx, t, `[data-testid=me]`); !strings.Contains(got, acc.Role.Label()) {
				t.Errorf("me = %q, want the role label %q", got, acc.Role.Label())
			}
			if got := text(ctx, t, `[data-testid=nav-enterprises]`); got != navLabel[acc.Role] {
				t.Errorf("first menu item %q, want %q", got, navLabel[acc.Role])
			}
			admin := acc.Role == domain.RoleAdmin
			for sel, label := range map[string]string{`[data-testid=nav-users]`: "用户管理", `[data-testid=nav-audit]`: "审计日志"} {
				switch n := count(ctx, t, sel); {
				case admin && n != 1:
					t.Errorf("admin menu lacks %s", label)
				case admin && text(ctx, t, sel) != label:
					t.Errorf("%s reads %q, want %q", sel, text(ctx, t, sel), label)
				case !admin && n != 0:
					t.Errorf("%s sees the admin item %s", acc.Username, label)
				}
			}
			screenshot(ctx, t, "home-"+acc.Username)

			do(ctx, t, "log out", chromedp.Click(chromedp.CSS(`[data-testid=logout]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid=login-form]`)))
			if loc, _ := url.Parse(location(ctx, t)); loc.Path != "/login" {
				t.Errorf("after logout at %s, want /login", loc)
			}
			// The session is really gone: the home page asks for a login again.
			navigate(ctx, t, base+"/", `[data-testid=login-form]`)
			if n := count(ctx, t, `[data-testid=me]`); n != 0 {
				t.Error("still shown as logged in after logout")
			}
		})
	}
}

// TestBrowserPhoneLayout checks the specialist's list on a 390px phone: the page
// does not scroll sideways and the search box and names are on screen.
func TestBrowserPhoneLayout(t *testing.T) {
	ctx := newBrowserSize(t, phoneW, phoneH)
	base, _ := startBrowserApp(t)
	login(ctx, t, base, "specialist")
	navigate(ctx, t, base+"/enterprises", rowSel)

	if w := run(ctx, t, "viewport width", chromedp.Evaluate[int](`window.innerWidth`)); w != phoneW {
		t.Fatalf("viewport is %dpx wide, want %d", w, phoneW)
	}
	if sw := run(ctx, t, "scroll width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); sw > phoneW+1 {
		t.Errorf("page is %dpx wide on a %dpx screen: it scrolls sideways", sw, phoneW)
	}
	for _, sel := range []string{`[data-testid=search]`, rowNameSel + ` a`, `[data-testid=total]`} {
		right := run(ctx, t, "right edge of "+sel, chromedp.Evaluate[float64](
			`document.querySelector(`+js(sel)+`).getBoundingClientRect().right`))
		if right > phoneW+1 {
			t.Errorf("%s ends at %.0fpx, off a %dpx screen", sel, right, phoneW)
		}
	}
	for _, d := range texts(ctx, t, rowDistSel) {
		if d != pudong {
			t.Errorf("specialist sees a %s enterprise", d)
		}
	}
	screenshot(ctx, t, "phone-list")
}
