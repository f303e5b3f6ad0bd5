# Builds retry in release mode and installs it with its manual page and
# shell completions:
#
#   make install PREFIX=/usr/local        (PREFIX defaults to /usr/local)
#   make uninstall PREFIX=/usr/local
#
# DESTDIR is prepended to every installed path, for staged installs.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
INSTALL ?= install

# Link fully static: measured on a 2-core Debian 12 machine (hyperfine -N,
# 200 runs, median), `retry -- /bin/true` takes 3.5 ms static and stripped,
# 6.6 ms with --static-swift-stdlib and 11.9 ms dynamic (Debian's C retry:
# 2.6 ms), and it runs where no Swift runtime is installed. It costs size:
# 58 MB stripped against 0.8 MB plus 79 MB of shared libraries.
# The link prints 18 warnings about glibc functions in the toolchain's static
# Foundation (getpwuid, getaddrinfo, dlopen, mktemp): retry never reaches
# them; see README.md, Install.
SWIFT_BUILD_FLAGS ?= -Xswiftc -static-executable
# retry-exec is plain C: built by SwiftPM for the tests, it would carry the
# Swift runtime and its start-up (2.6 times the instructions, 6.7 MB); built
# with cc it is as cheap to exec as a C program can be (bench/lifecycle.py).
CC ?= cc
HELPER_CFLAGS ?= -O2 -static
HELPER = .build/release-helper/retry-exec

BINDIR = $(DESTDIR)$(PREFIX)/bin
# retry-exec, which each attempt starts and which becomes the command;
# retry looks for it beside itself, then in ../libexec/retry/.
LIBEXECDIR = $(DESTDIR)$(PREFIX)/libexec/retry
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
MAN5DIR = $(DESTDIR)$(PREFIX)/share/man/man5
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
DOCDIR = $(DESTDIR)$(PREFIX)/share/doc/retry

.PHONY: all build install uninstall generate

all: build

build:
	$(SWIFT) build -c release --product retry $(SWIFT_BUILD_FLAGS)
	mkdir -p $(dir $(HELPER))
	$(CC) $(HELPER_CFLAGS) -ISources/CRetry/include -o $(HELPER) Sources/retry-exec/main.c Sources/CRetry/shared.c

install: build
	$(INSTALL) -D -s -m 755 "$$($(SWIFT) build -c release --show-bin-path $(SWIFT_BUILD_FLAGS))/retry" "$(BINDIR)/retry"
	$(INSTALL) -D -s -m 755 $(HELPER) "$(LIBEXECDIR)/retry-exec"
	$(INSTALL) -D -m 644 man/retry.1 "$(MAN1DIR)/retry.1"
	$(INSTALL) -D -m 644 man/retry-json.5 "$(MAN5DIR)/retry-json.5"
	$(INSTALL) -D -m 644 completions/retry.bash "$(BASHDIR)/retry"
	$(INSTALL) -D -m 644 completions/_retry "$(ZSHDIR)/_retry"
	$(INSTALL) -D -m 644 completions/retry.fish "$(FISHDIR)/retry.fish"
	$(INSTALL) -d "$(DOCDIR)"
	$(INSTALL) -m 644 README.md docs/*.md "$(DOCDIR)"

uninstall:
	rm -f "$(BINDIR)/retry"
	rm -f "$(LIBEXECDIR)/retry-exec"
	-rmdir "$(LIBEXECDIR)" 2>/dev/null
	rm -f "$(MAN1DIR)/retry.1"
	rm -f "$(MAN5DIR)/retry-json.5"
	rm -f "$(BASHDIR)/retry"
	rm -f "$(ZSHDIR)/_retry"
	rm -f "$(FISHDIR)/retry.fish"
	rm -f "$(DOCDIR)"/*.md
	-rmdir "$(DOCDIR)" 2>/dev/null

# Rewrites the files generated from the option table: the three completion
# scripts and the list of options in man/retry.1 (between its two marker
# comments; the rest of the page is written by hand). Run it after adding or
# changing an option; DocumentationTests fails while a file is out of date.
generate:
	$(SWIFT) build --product retry
	bin="$$($(SWIFT) build --show-bin-path)/retry" && \
	"$$bin" --generate bash >completions/retry.bash && \
	"$$bin" --generate zsh >completions/_retry && \
	"$$bin" --generate fish >completions/retry.fish && \
	"$$bin" --generate man <man/retry.1 >man/retry.1.new && mv man/retry.1.new man/retry.1
