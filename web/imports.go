package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/templates/layout"
	"zjtx/templates/pages/data"
)

// importMaxMB bounds an uploaded import file; New lifts the global body limit for
// importUploadPath to this (plus room for the form's other parts).
const (
	importMaxMB      = 64
	importUploadPath = "/data/import"
	importShownRows  = 1000 // rows other than errors listed on the dry-run page
	importShownErrs  = 2000 // error rows listed; the counts cover them all
)

var crumbImport = layout.Crumb{Label: "数据导入", Href: "/data/import"}

func (s *Server) imports() *store.Imports { return store.NewImports(s.db) }

// showImport is the upload form, or with ?run=ID that run's dry run: its progress
// while the check runs in the background, then its result.
func (s *Server) showImport(c echo.Context) error {
	if c.QueryParam("run") == "" {
		return s.renderImportForm(c, http.StatusOK, "")
	}
	run, err := s.loadRun(c, c.QueryParam("run"))
	if err != nil {
		return err
	}
	job := importJobs.get(s, run.ID)
	if job == nil {
		// Not checked here (another instance, a restart, or the result already shown): check again.
		return s.renderRun(c, http.StatusOK, run, nil, "")
	}
	select {
	case <-job.done:
	default:
		return s.renderProgress(c, run, job)
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		// The progress poll: load the finished page whole.
		c.Response().Header().Set("HX-Refresh", "true")
		return c.NoContent(http.StatusNoContent)
	}
	importJobs.remove(s, run.ID, job)
	return s.renderChecked(c, http.StatusOK, run, job.plan, job.err, job.mapErrs, job.notice)
}

// importWait is how long a request waits for a dry run before showing its progress instead.
var importWait = 2 * time.Second

// importJob is a dry run checked in the background, so a large file's page shows progress.
type importJob struct {
	rows, est atomic.Int64
	done      chan struct{}
	plan      *dataio.Plan // set before done closes
	err       error
	mapErrs   []string
	notice    string
}

type importJobKey struct {
	s   *Server
	run int64
}

// jobRegistry holds the running and unshown dry runs of this process.
type jobRegistry struct{ m sync.Map }

var importJobs jobRegistry

func (r *jobRegistry) get(s *Server, run int64) *importJob {
	j, _ := r.m.Load(importJobKey{s, run})
	job, _ := j.(*importJob)
	return job
}

func (r *jobRegistry) remove(s *Server, run int64, job *importJob) {
	r.m.CompareAndDelete(importJobKey{s, run}, job)
}

// startCheck checks the run's file in the background as the current user; the result
// is kept until shown, or for importJobTTL.
func (s *Server) startCheck(c echo.Context, run store.ImportRun, mapErrs []string, notice string) *importJob {
	job := &importJob{done: make(chan struct{}), mapErrs: mapErrs, notice: notice}
	importJobs.m.Store(importJobKey{s, run.ID}, job)
	user, sc := currentUser(c), scope(c)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), importJobTTL)
	go func() {
		defer cancel()
		job.plan, job.err = s.checkRun(ctx, user.ID, sc, run, shownRows(), func(est, rows int) {
			job.est.Store(int64(est))
			job.rows.Store(int64(rows))
		})
		if job.plan != nil {
			job.plan.Ents = nil // the page shows results; a commit checks again
		}
		close(job.done)
		time.AfterFunc(importJobTTL, func() { importJobs.remove(s, run.ID, job) })
	}()
	return job
}

const importJobTTL = 10 * time.Minute

// shownRows keeps every error row up to importShownErrs and other rows up to importShownRows.
func shownRows() func(dataio.RowResult) bool {
	shown, errs := 0, 0
	return func(r dataio.RowResult) bool {
		if r.Status == dataio.StatusError {
			errs++
			return errs <= importShownErrs
		}
		shown++
		return shown <= importShownRows
	}
}

// renderProgress shows how far a background dry run has come; the page polls itself.
func (s *Server) renderProgress(c echo.Context, run store.ImportRun, job *importJob) error {
	v := data.ProgressView{Meta: s.meta(c, "导入检查", "import", crumbImport), RunID: run.ID, FileName: run.FileName,
		Rows: int(job.rows.Load()), Est: int(job.est.Load())}
	if c.Request().Header.Get("HX-Request") == "true" {
		return render(c, http.StatusOK, data.Progress(v))
	}
	return render(c, http.StatusOK, data.ProgressPage(v))
}

func (s *Server) renderImportForm(c echo.Context, status int, msg string) error {
	v := data.ImportView{Meta: s.meta(c, "数据导入", "import"), Error: msg, MaxMB: importMaxMB}
	if u := currentUser(c); u.Role == domain.RoleDistrict {
		v.District = domain.DistrictName(u.DistrictCode)
	}
	return render(c, status, data.ImportPage(v))
}

// downloadTemplate serves the empty import template with its Chinese headers.
func (s *Server) downloadTemplate(c echo.Context) error {
	format := strings.TrimPrefix(filepath.Ext(c.Path()), ".")
	setDownload(c, format, "企业导入模板")
	w, err := dataio.NewWriter(c.Response(), format, dataio.TemplateHeaders())
	if err != nil {
		return err
	}
	return w.Close()
}

// uploadImport keeps the file as an import run and shows its dry run.
func (s *Server) uploadImport(c echo.Context) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return s.renderImportForm(c, http.StatusUnprocessableEntity, "请选择要导入的 .xlsx 或 .csv 文件")
	}
	if fh.Size > importMaxMB<<20 {
		return s.renderImportForm(c, http.StatusUnprocessableEntity, fmt.Sprintf("文件超过 %d MB，请拆分后分批导入", importMaxMB))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	body, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	if t, err := dataio.Open(name, body); err != nil {
		return s.renderImportForm(c, http.StatusUnprocessableEntity, err.Error())
	} else {
		t.Close()
	}
	run := store.ImportRun{UserID: currentUser(c).ID, FileName: name, Data: body}
	if err := s.imports().SaveRun(c.Request().Context(), &run); err != nil {
		return err
	}
	return s.renderRun(c, http.StatusOK, run, nil, "")
}

// checkRun runs the dry run of a stored file as the given user, with their remembered mapping.
func (s *Server) checkRun(ctx context.Context, userID int64, sc domain.Scope, run store.ImportRun, keep func(dataio.RowResult) bool, progress func(est, rows int)) (*dataio.Plan, error) {
	remember, err := s.imports().Mappings(ctx, userID)
	if err != nil {
		return nil, err
	}
	t, err := dataio.Open(run.FileName, run.Data)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	opt := dataio.Options{Scope: sc, Today: s.today(), Remember: remember, KeepRows: keep}
	if progress != nil {
		opt.Progress = func(rows int) { progress(t.EstRows(), rows) }
	}
	p, err := dataio.Check(ctx, t, s.imports(), opt)
	if p != nil {
		p.FileName = run.FileName
	}
	return p, err
}

// renderRun checks the run's file and shows every row's outcome (errors always; other
// rows up to importShownRows) with the column mapping form. A check that takes longer
// than importWait goes on in the background and the page shows its progress.
func (s *Server) renderRun(c echo.Context, status int, run store.ImportRun, mapErrs []string, notice string) error {
	job := s.startCheck(c, run, mapErrs, notice)
	select {
	case <-job.done:
		importJobs.remove(s, run.ID, job)
		return s.renderChecked(c, status, run, job.plan, job.err, mapErrs, notice)
	case <-time.After(importWait):
		return redirect(c, "/data/import?run="+strconv.FormatInt(run.ID, 10))
	case <-c.Request().Context().Done():
		return c.Request().Context().Err()
	}
}

// renderChecked shows a checked run.
func (s *Server) renderChecked(c echo.Context, status int, run store.ImportRun, p *dataio.Plan, err error, mapErrs []string, notice string) error {
	v := data.RunView{Meta: s.meta(c, "导入检查", "import", crumbImport), RunID: run.ID, FileName: run.FileName, MapErrors: mapErrs, Shown: importShownRows, ShownErrors: importShownErrs}
	if p == nil && err != nil {
		return s.renderImportForm(c, http.StatusUnprocessableEntity, err.Error())
	}
	if err != nil {
		v.Error = err.Error()
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
	} else {
		v.Counts, v.Results = p.Counts, p.Results
		v.CanCommit = p.OK() && run.Status != "committed"
		v.Seconds = strconv.FormatFloat(p.Elapsed.Seconds(), 'f', 1, 64)
		if p.Counts.Total == 0 {
			v.Notice = "文件中没有数据行。"
		} else if p.OK() && p.Counts.New+p.Counts.Update == 0 {
			v.Notice = "文件与系统中的数据一致，没有需要写入的变化。"
		}
	}
	if run.Status == "committed" {
		v.Notice = "该文件已导入。"
	}
	if notice != "" {
		v.Notice = notice
	}
	v.Encoding, v.Unmapped = p.Encoding, p.Unmapped
	for i, h := range p.Headers {
		if strings.TrimSpace(h) == "" {
			continue
		}
		col := data.MappingColumn{Index: i, Header: h}
		if i < len(p.Mapping) {
			col.Field = p.Mapping[i]
		}
		v.Columns = append(v.Columns, col)
	}
	for _, f := range dataio.Fields {
		if !f.Ignored {
			v.Options = append(v.Options, data.FieldOption{Key: f.Key, Label: f.Label})
		}
	}
	return render(c, status, data.RunPage(v))
}

func (s *Server) loadRun(c echo.Context, param string) (store.ImportRun, error) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil || id <= 0 {
		return store.ImportRun{}, store.ErrNotFound
	}
	return s.imports().Run(c.Request().Context(), currentUser(c).ID, id)
}

// saveMapping remembers the user's column choices for this file's headers and checks again.
func (s *Server) saveMapping(c echo.Context) error {
	run, err := s.loadRun(c, c.Param("runid"))
	if err != nil {
		return err
	}
	t, err := dataio.Open(run.FileName, run.Data)
	if err != nil {
		return err
	}
	headers := t.Header()
	t.Close()
	m := map[string]string{}
	used := map[string]string{}
	var errs []string
	for i, h := range headers {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		key := c.FormValue("col" + strconv.Itoa(i))
		f, ok := dataio.FieldByKey(key)
		switch {
		case key == "":
			m[h] = "-"
		case !ok || f.Ignored:
			errs = append(errs, "列“"+h+"”选择的字段无效")
		case used[key] != "":
			errs = append(errs, "“"+f.Label+"”同时对应了“"+used[key]+"”和“"+h+"”两列，请只选一列")
		default:
			used[key] = h
			m[h] = key
		}
	}
	if used["uscc"] == "" {
		errs = append(errs, "请指定哪一列是“统一社会信用代码”")
	}
	if len(errs) > 0 {
		return s.renderRun(c, http.StatusUnprocessableEntity, run, errs, "")
	}
	if err := s.imports().SaveMappings(c.Request().Context(), currentUser(c).ID, m); err != nil {
		return err
	}
	return s.renderRun(c, http.StatusOK, run, nil, "")
}

// commitImport checks the stored file again (the data may have moved since the dry run)
// and writes it all or nothing.
func (s *Server) commitImport(c echo.Context) error {
	run, err := s.loadRun(c, c.Param("runid"))
	if err != nil {
		return err
	}
	if run.Status == "committed" {
		return s.renderRun(c, http.StatusConflict, run, nil, "")
	}
	u := currentUser(c)
	p, err := s.checkRun(c.Request().Context(), u.ID, scope(c), run, shownRows(), nil)
	if err != nil || !p.OK() {
		return s.renderChecked(c, http.StatusUnprocessableEntity, run, p, err, nil, "文件有错误行或没有数据行，未写入任何数据")
	}
	err = s.imports().Commit(c.Request().Context(), s.actor(c), p, run.ID)
	switch {
	case errors.Is(err, store.ErrRunCommitted):
		run.Status = "committed"
		return s.renderChecked(c, http.StatusConflict, run, p, nil, nil, "该文件已导入（可能是重复提交），未再次写入")
	case errors.Is(err, store.ErrStale):
		return s.renderRun(c, http.StatusConflict, run, nil, "部分企业在检查后已被他人修改，未写入任何数据，请核对后重新确认")
	case err != nil:
		return err
	}
	setFlash(c, "ok", "已导入 "+run.FileName+"："+p.Counts.Summary())
	return redirect(c, "/data/import")
}
