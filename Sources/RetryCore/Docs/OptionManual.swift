/// Each option's entry in retry(1): the mdoc text after its `.It` line,
/// which `retry --generate man` writes into man/retry.1 between the
/// generated-options markers (`make generate`). The switch has no default,
/// so an option added to the table does not build until it is documented.
extension OptionName {
    package var manual: String {
        switch self {
        case .attempts:
            #"""
            Run the command at most
            .Ar N
            times, the first run included.
            .Ar N
            is a whole number of at least 1.
            No delay follows the last attempt.
            The default is 5.
            Cannot be combined with
            .Fl \-forever .
            """#
        case .forever:
            #"""
            Set no attempt limit: run until the command succeeds, fails with a
            status that is not retried, or the
            .Fl \-budget ,
            if one is given, runs out.
            Cannot be combined with
            .Fl \-attempts .
            """#
        case .strategy:
            #"""
            How the delay grows from one failed attempt to the next:
            .Cm constant ,
            .Cm linear ,
            .Cm exponential
            or
            .Cm decorrelated ;
            see
            .Sx BACKOFF STRATEGIES .
            The default is
            .Cm exponential .
            """#
        case .base:
            #"""
            The first delay, from which the others are computed; see
            .Sx DURATION FORMAT .
            The default is 1s.
            A bare number is seconds:
            .Fl b Ar 500
            is 8m20s, and
            .Fl v
            and
            .Fl \-dry\-run
            say so; write
            .Ar 500ms
            for milliseconds.
            """#
        case .multiplier:
            #"""
            The growth factor of the
            .Cm exponential
            strategy, a decimal number greater than 1.
            The default is 2.
            Given with any other strategy, it is an error.
            """#
        case .cap:
            #"""
            The longest delay: no delay exceeds it, before or after jitter.
            The default is 60s.
            A
            .Fl \-cap
            given below
            .Fl \-base
            is an error; when
            .Fl \-cap
            is not given and
            .Fl \-base
            is above 60s, the cap is raised to the base.
            """#
        case .jitter:
            #"""
            How each delay is randomised, so that clients started together do not
            retry together:
            .Cm none ,
            .Cm full ,
            .Cm equal ,
            or
            .Ar P Ns Cm %
            for a random deviation of up to \(+-P percent, with
            .Ar P
            a decimal number from 0 to 100 (for example
            .Cm 20% ) .
            The default depends on the strategy:
            .Cm 20%
            for
            .Cm constant
            and
            .Cm linear ,
            .Cm full
            for
            .Cm exponential ;
            see
            .Sx BACKOFF STRATEGIES .
            The
            .Cm decorrelated
            strategy is random by itself: with it the jitter is
            .Cm none ,
            and any other
            .Fl \-jitter
            is an error.
            """#
        case .retryOn:
            #"""
            Retry only when the command exits with one of
            .Ar CODES ,
            a comma-separated list of exit statuses and ranges from 1 to 255, like
            .Ql 1,3,5-9 .
            Any other non-zero status ends the run.
            A command's own 126 or 127 is retried when listed here; a command that
            .Nm
            could not find or run is never retried.
            By default every non-zero status but 126 and 127 is retried.
            """#
        case .stopOn:
            #"""
            Never retry these exit statuses, written as for
            .Fl \-retry\-on .
            It wins over
            .Fl \-retry\-on
            when both list a status; a match for
            .Fl \-retry\-if\-output
            wins over it.
            """#
        case .timeout:
            #"""
            Limit each attempt to
            .Ar DURATION ;
            0, the default, sets no limit.
            An attempt still running when its time is up is torn down (see
            .Sx TIME LIMITS AND SIGNALS )
            and counts as a failed attempt with status 124.
            A timed-out attempt is retried whatever
            .Fl \-retry\-on
            and
            .Fl \-stop\-on
            say: they speak of the command's own exit statuses.
            Debian's retry reads
            .Fl t Ar 3
            as three tries; here it is a limit of 3 seconds, and when such a bare
            number from 1 to 10 makes an attempt time out,
            .Nm
            says so once and suggests
            .Fl n Ar 3 .
            """#
        case .killAfter:
            #"""
            When an attempt is torn down, how long to wait after sending
            .Dv SIGTERM
            before sending
            .Dv SIGKILL .
            The default is 5s; 0 sends
            .Dv SIGKILL
            right after
            .Dv SIGTERM .
            """#
        case .budget:
            #"""
            Limit the whole run to
            .Ar DURATION ,
            counted from the start of the first attempt, attempts and delays included;
            0, the default, sets no limit.
            A delay that would end at or past the budget is not slept: the run ends at
            once with the status of the last attempt.
            An attempt still running when the budget runs out is torn down and the run
            ends with status 124.
            Time spent in a
            .Fl \-before\-retry
            hook counts; see
            .Sx HOOKS .
            """#
        case .stagger:
            #"""
            Wait a random time from 0 up to, but not including,
            .Ar DURATION
            before the first attempt, so that jobs that a scheduler starts at the same
            moment on many hosts do not all reach a server together.
            0, the default, waits nothing.
            The time is drawn from the random numbers behind jitter, so
            .Fl \-seed
            reproduces it and
            .Fl \-dry\-run
            shows it, or its range, as the delay before attempt 1.
            A signal ends the wait at once, as it ends a delay between attempts.
            The wait comes before the
            .Fl \-breaker
            is asked, so that the breaker is read when the run really starts, and
            before the
            .Fl \-budget
            starts, which counts from the first attempt: the longest a run can take is
            the stagger plus the budget.
            """#
        case .beforeRetry:
            #"""
            Run
            .Ar CMD
            with
            .Pa /bin/sh Fl c
            after each failed attempt that another attempt follows, before the delay;
            not after the last attempt.
            See
            .Sx HOOKS .
            """#
        case .onGiveUp:
            #"""
            Run
            .Ar CMD
            with
            .Pa /bin/sh Fl c
            once, when the run ends without success; not after a success, nor when a
            signal stops
            .Nm .
            See
            .Sx HOOKS .
            """#
        case .hookTimeout:
            #"""
            The time limit of each hook, more than 0; the default is 30s.
            A hook still running then is torn down as a timed-out attempt is: its
            process group gets
            .Dv SIGTERM ,
            then
            .Dv SIGKILL
            after
            .Fl \-kill\-after .
            Needs
            .Fl \-before\-retry
            or
            .Fl \-on\-give\-up .
            """#
        case .http:
            #"""
            Read the HTTP responses that the command prints on its standard output or
            standard error, as curl and wget print them when asked to show response
            headers
            .Po
            .Ql curl -D /dev/stderr ,
            .Ql curl -i ,
            .Ql curl -v ,
            .Ql wget -S
            .Pc .
            The status of the last response of an attempt decides: 2xx and 3xx leave
            it to the exit status, a status in
            .Fl \-retry\-on\-http
            is retried even when the command exits 0, and any other ends the run.
            A
            .Ql Retry-After
            header of a retried response replaces the backoff delay.
            See
            .Sx HTTP .
            """#
        case .retryOnHTTP:
            #"""
            The HTTP statuses worth another attempt:
            .Ar LIST
            is a comma-separated list of status codes from 100 to 599, ranges like
            .Ql 500-504 ,
            and classes like
            .Ql 5xx
            for all of 500 to 599, for example
            .Ql 429,5xx .
            The default is
            .Ql 408,425,429,500,502-504 :
            request timeout, too early, too many requests, and the server errors that
            usually pass, but not 501 Not Implemented.
            A final status outside 200 to 399 that is not listed ends the run.
            Needs
            .Fl \-http .
            """#
        case .maxRetryAfter:
            #"""
            The longest delay a server's
            .Ql Retry-After
            is obeyed for: a longer one is cut down to
            .Ar DURATION .
            The default is 6h.
            With 0 a retry that a
            .Ql Retry-After
            came with is made at once.
            Needs
            .Fl \-http .
            """#
        case .retryIfOutput:
            #"""
            Retry an attempt whose standard output or standard error holds a match
            for
            .Ar REGEX ,
            whatever its exit status: 0, a status that
            .Fl \-stop\-on
            lists, 126 and 127 included.
            A pattern without any of the characters
            .Ql \e^$.|?*+()[]{}
            is plain text, searched for as bytes; any other is an ICU regular
            expression, matched line by line.
            See
            .Sx OUTPUT .
            """#
        case .stopIfOutput:
            #"""
            Make no further attempt after an attempt whose standard output or standard
            error holds a match for
            .Ar REGEX :
            the run ends with that attempt's exit status, whatever it is, 0 included.
            It is checked before
            .Fl \-retry\-if\-output
            and
            .Fl \-http .
            Patterns are as for
            .Fl \-retry\-if\-output .
            """#
        case .stdin:
            #"""
            What the attempts read on standard input:
            .Cm inherit ,
            the default, leaves the command the standard input of
            .Nm ,
            so that each attempt reads on from where the last one stopped;
            .Cm replay
            reads all of it once, before the first attempt, and gives every attempt
            the whole of it from the start.
            See
            .Sx OUTPUT .
            """#
        case .holdOutput:
            #"""
            Hold back the standard output of each attempt and write only that of the
            attempt that succeeds, once it has ended; when no attempt succeeds, none
            of it is written.
            Standard error is never held.
            See
            .Sx OUTPUT .
            """#
        case .holdLimit:
            #"""
            The most standard output
            .Fl \-hold\-output
            keeps of one attempt: a whole number of bytes, or with a unit
            .Cm K ,
            .Cm M
            or
            .Cm G
            (powers of 1024, also written
            .Cm KiB ,
            .Cm MiB ,
            .Cm GiB ) ;
            0 for no limit but the disk's.
            The default is
            .Cm 64M .
            Output past it fails the run with status 125 and publishes nothing; the
            command's pipe is closed, so a producer that never ends is stopped
            instead of filling the disk.
            """#
        case .breaker:
            #"""
            Keep a circuit breaker in the state file
            .Ar PATH ,
            or in Redis at
            .Ar URL ,
            .Li redis:// Ns Oo Li \&: Ns Ar PASSWORD Ns Li @ Oc Ns Ar HOST Ns Oo Li \&: Ns Ar PORT Oc Ns Li / Ns Ar KEY
            .Pq see Sx CIRCUIT BREAKER ,
            shared by every run that names the same file or key: after
            .Fl \-breaker\-threshold
            failed runs in a row, runs exit with status 75 without running the command
            until
            .Fl \-breaker\-cooldown
            has passed; then one trial run decides whether the breaker closes again.
            See
            .Sx CIRCUIT BREAKER .
            The file and its lock file,
            .Ar PATH Ns Pa .lock ,
            are created when missing; the directory must exist.
            Cannot name the same file as
            .Fl \-quota .
            """#
        case .breakerThreshold:
            #"""
            The number of failed runs in a row that open the breaker, a whole number
            of at least 1.
            The default is 5.
            Needs
            .Fl \-breaker .
            """#
        case .breakerCooldown:
            #"""
            How long an open breaker refuses runs before it lets one trial run
            through.
            The default is 30s; with 0 the run after the one that opened the breaker
            is the trial.
            Needs
            .Fl \-breaker .
            """#
        case .quota:
            #"""
            Pay for retries from a token bucket kept in the state file
            .Ar PATH ,
            or in Redis at
            .Ar URL
            .Pq see Sx CIRCUIT BREAKER ,
            shared by every run that names the same file or key: a retry costs 5 tokens, or
            10 after a timed-out attempt, a successful run gives some back, and when
            the bucket cannot pay for a retry the run ends with the status of the last
            attempt.
            First attempts are never charged.
            See
            .Sx CIRCUIT BREAKER .
            The file and
            .Ar PATH Ns Pa .lock
            are created when missing; the directory must exist.
            """#
        case .quotaSize:
            #"""
            The number of tokens in a full bucket, which a new bucket starts with:
            a whole number from 1 to 1000000000.
            The default is 500: 100 retries, if no run gives any back.
            Needs
            .Fl \-quota .
            """#
        case .redisCA:
            #"""
            Verify a
            .Li rediss://
            server's certificate against the CA certificates (PEM) in
            .Ar FILE
            only, instead of the system's trust store.
            Needs a
            .Li rediss://
            .Fl \-breaker ,
            .Fl \-quota
            or
            .Fl \-pace ;
            see
            .Sx CIRCUIT BREAKER .
            """#
        case .pace:
            #"""
            Pace the attempts of every run that names the same state file
            .Ar PATH
            or Redis
            .Ar URL
            .Pq see Sx CIRCUIT BREAKER :
            before each attempt, the first included, a run takes the next free slot
            from the store and sleeps until it, so that together the runs start no
            more than
            .Fl \-rate
            attempts; with Redis, across hosts.
            A server's
            .Ql Retry-After
            .Pq with Fl \-http
            holds every slot back until it ends; the runs waiting then leave one
            slot apart.
            The wait for a slot counts against the
            .Fl \-budget
            but uses up no attempt: a first slot past the budget ends the run at once
            with status 75, without running the command.
            See
            .Sx PACING A FLEET .
            The file and its lock file,
            .Ar PATH Ns Pa .lock ,
            are created when missing; the directory must exist.
            """#
        case .rate:
            #"""
            The rate of the
            .Fl \-pace :
            at most
            .Ar N
            attempts per second, minute or hour across the runs that share it, written
            .Ar N Ns Li /s ,
            .Ar N Ns Li /m
            or
            .Ar N Ns Li /h ,
            like
            .Ql 5000/h ;
            slots are then
            .Ar PERIOD Ns / Ns Ar N
            apart.
            Give about 90% of the server's limit.
            Without it, runs are held back only by a server's
            .Ql Retry-After .
            Needs
            .Fl \-pace .
            """#
        case .showState:
            #"""
            Print the state of the
            .Fl \-breaker ,
            .Fl \-quota
            and
            .Fl \-pace
            given, file or Redis, on standard output and run nothing (a command,
            if given, is ignored, so a crontab line works with the option added):
            the breaker's phase, its failed runs in a row, when a trial may run and
            who runs it, a shared Retry-After, its totals; the quota's tokens and
            totals; the pace's rate, next free slot and hold.
            With
            .Fl \-log\-format Cm json ,
            one object per store.
            Exits 0, or 125 when a store cannot be read.
            See
            .Sx Reading and resetting the state .
            """#
        case .resetState:
            #"""
            Close the
            .Fl \-breaker
            (no failed run in a row, no trial, no shared Retry-After), fill the
            .Fl \-quota
            and clear the hold of the
            .Fl \-pace
            given (its next slot is free at once; a learned rate is kept), and
            print one confirmation line per store with the state it replaced; the
            totals are kept.
            Runs nothing; exits 0, or 125 when a store cannot be changed.
            """#
        case .seed:
            #"""
            Seed the random numbers behind jitter and the
            .Cm decorrelated
            strategy with
            .Ar N ,
            a whole number from 0 to 18446744073709551615, so that the same options
            give the same delays every time.
            Without it the numbers come from the system's random generator, different
            in every process.
            The seed does not affect
            .Ev RETRY_IDEMPOTENCY_KEY .
            """#
        case .idempotencyKey:
            #"""
            Give every attempt
            .Ar KEY
            in
            .Ev RETRY_IDEMPOTENCY_KEY ,
            instead of a new random UUID per run.
            .Ar KEY
            is 1 to 255 printable ASCII characters.
            """#
        case .dryRun:
            #"""
            Print the schedule of delays that the other options give, as a table on
            standard output, and run nothing; a command, if given, is ignored.
            Without
            .Fl \-seed
            each row shows the range the delay before that attempt falls in and the
            worst-case total of the delays so far; with
            .Fl \-seed
            it shows the exact delays a run with the same options and seed would
            sleep.
            At most 30 rows are printed; a line after them sums up the rest.
            With
            .Fl \-breaker
            or
            .Fl \-quota ,
            a line after the table gives the state of each, read from its file without
            locking, creating or changing anything; see
            .Sx CIRCUIT BREAKER .
            """#
        case .quiet:
            #"""
            Print nothing but
            .Nm Ns 's
            own errors (bad options, commands that could not be found or run, trouble
            with a state file) and, for every run that ends without success, the one
            line that says how it ended: the attempts used up, a status not retried,
            an open breaker, an empty
            .Fl \-quota ,
            the
            .Fl \-budget ,
            a Retry-After past the budget, or a signal.
            A successful run prints nothing.
            Under GitHub Actions the groups stay; see
            .Sx DIAGNOSTICS .
            Cannot be combined with
            .Fl \-verbose .
            Has no effect on
            .Fl \-log\-format Cm json ,
            which writes every event.
            """#
        case .verbose:
            #"""
            Also report when each attempt starts, how long each attempt took, and the
            success; with
            .Fl \-breaker
            or
            .Fl \-quota ,
            also their state before the run, as
            .Fl \-dry\-run
            shows it.
            Cannot be combined with
            .Fl \-quiet .
            Has no effect on
            .Fl \-log\-format Cm json ,
            which writes every event.
            """#
        case .logFormat:
            #"""
            How
            .Nm
            reports on standard error:
            .Cm text
            or
            .Cm json .
            The default,
            .Cm text ,
            writes lines for people: in colour when standard error is a terminal, and
            with the groups and annotations of GitHub Actions in a workflow; see
            .Sx DIAGNOSTICS .
            .Cm json
            writes one JSON object per line for each event, for programs and CI log
            parsers: every event, whatever
            .Fl \-quiet
            or
            .Fl \-verbose
            say, with the state of
            .Fl \-breaker
            and
            .Fl \-quota
            before the first attempt; see
            .Xr retry-json 5 .
            """#
        case .help:
            #"""
            Print a summary of the options to standard output and exit 0.
            """#
        case .version:
            #"""
            Print the version to standard output and exit 0.
            """#
        }
    }
}
