package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"zjtx/internal/domain/eligibility"
)

func init() {
	register("eval", "评估资格：从标准输入读取事实 JSON，输出结论 JSON", runEval)
}

// runEval reads one facts document (or an array of them) on stdin and writes the verdict (or
// an array of verdicts) as indented JSON (ELIGIBILITY.md §7). Malformed input is an error that
// names the field. --params FILE applies administrator overrides
// ([{"key", "effective_from", "value"}]) on top of the shipped parameters.
func runEval(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	paramsFile := fs.String("params", "", "参数覆盖文件（JSON 数组：[{key, effective_from, value}]）")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "zjtx eval: 不接受位置参数；事实 JSON 从标准输入读取")
		return errUsage
	}
	ps := eligibility.DefaultParameters()
	if *paramsFile != "" {
		b, err := os.ReadFile(*paramsFile)
		if err != nil {
			return fmt.Errorf("读取参数覆盖文件: %w", err)
		}
		ovs, err := eligibility.LoadOverrides(b)
		if err != nil {
			return err
		}
		if ps, err = ps.WithOverrides(ovs); err != nil {
			return err
		}
	}
	data, err := io.ReadAll(e.stdin)
	if err != nil {
		return fmt.Errorf("读取标准输入: %w", err)
	}
	facts, err := eligibility.DecodeFacts(data)
	if err != nil {
		return err
	}
	verdicts := make([]eligibility.Verdict, len(facts))
	for i := range facts {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		verdicts[i] = eligibility.Evaluate(facts[i], ps)
	}
	var out any = verdicts
	if !eligibility.IsArray(data) {
		out = verdicts[0]
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
