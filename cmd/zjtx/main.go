// Command zjtx is the registry for Shanghai's gradient cultivation of 专精特新 enterprises.
//
//	zjtx serve   run the web app
//	zjtx demo    fill a database with synthetic demo data
//	zjtx eval    evaluate eligibility facts (JSON on stdin) and print verdicts
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// env is what a subcommand may touch of the outside world, so tests can run them in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, e env) error
}

var commands = map[string]command{}

func register(name, summary string, run func(ctx context.Context, args []string, e env) error) {
	commands[name] = command{summary, run}
}

// errUsage marks an error already explained to the user (flag errors print their own usage).
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	if err := run(ctx, os.Args[1:], e); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "zjtx:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "zjtx: unknown command %q\n", args[0])
		usage(e.stderr)
		return errUsage
	}
	return cmd.run(ctx, args[1:], e)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: zjtx <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}
