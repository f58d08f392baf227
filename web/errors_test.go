package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// A request the client abandoned is answered (and logged) as 499, not as a server
// error: load tests and monitoring count 5xx as faults of ours.
func TestAbandonedRequestIsNotAServerError(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310000631696382C", "上海精密仪器有限公司", "310115")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/enterprises/"+strconv.FormatInt(e.ID, 10), nil).WithContext(ctx)
	r := a.do(req)
	if r.Code != 499 {
		t.Fatalf("abandoned request: status %d, want 499", r.Code)
	}
	if got := a.get("/enterprises/" + strconv.FormatInt(e.ID, 10)); got.Code != http.StatusOK {
		t.Fatalf("the same page for a client that waits: %d", got.Code)
	}
}
