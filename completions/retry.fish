# fish completion for retry(1)
# Installs to share/fish/vendor_completions.d/retry.fish
# Generated from the option table by `make generate`: do not edit.
#
# Completes retry's options and their values. After `--`, or after the first
# word that is not an option (nor the value of an option that takes one), it
# completes a command name and then hands over to that command's own
# completion through __fish_complete_subcommand.

# Prints the words of the command line from where the command starts to the
# cursor, the token under the cursor included; prints nothing and fails while
# the cursor is still on retry's options or on an option's value.
function __fish_retry_command_words
    set -l words (commandline -opc) (commandline -ct)
    set -l last (count $words)
    set -l i 2
    set -l terminated 0
    while test $i -lt $last
        set -l word $words[$i]
        switch $word
            case --
                set i (math $i + 1)
                set terminated 1
                break
            case '--*=*'
            case --attempts --strategy --base --multiplier --cap --jitter --retry-on --stop-on \
                --timeout --kill-after --budget --stagger --before-retry --on-give-up \
                --hook-timeout --retry-on-http --max-retry-after --retry-if-output \
                --stop-if-output --stdin --hold-limit --breaker --breaker-threshold \
                --breaker-cooldown --quota --quota-size --redis-ca --pace --rate --seed \
                --idempotency-key --log-format
                set i (math $i + 1)
            case '-?*'
                # A cluster of short options: the first that takes a value
                # takes the rest of the word, or else the next word.
                set -l letters (string sub -s 2 -- $word | string split '')
                for j in (seq (count $letters))
                    if contains -- $letters[$j] n s b c j r t
                        test $j -eq (count $letters); and set i (math $i + 1)
                        break
                    end
                end
            case '*'
                break
        end
        set i (math $i + 1)
    end
    # Past the end: the cursor is on the value of an option.
    test $i -le $last; or return 1
    # On an option: still retry's.
    if test $i -eq $last -a $terminated -eq 0; and string match -q -- '-*' $words[$i]
        return 1
    end
    printf '%s\n' $words[$i..-1]
end

function __fish_retry_in_options
    not __fish_retry_command_words >/dev/null
end

function __fish_retry_complete_command
    set -l words (__fish_retry_command_words)
    or return
    __fish_complete_subcommand --commandline $words
end

function __fish_retry_jitter
    printf '%s\t%s\n' \
    'none' 'the delay as computed' \
    'full' 'uniform(0, t), the default' \
    'equal' 't/2 + uniform(0, t/2)' \
    '10%' 't * uniform(0.9, 1.1)' \
    '20%' 't * uniform(0.8, 1.2)' \
    '25%' 't * uniform(0.75, 1.25)' \
    '50%' 't * uniform(0.5, 1.5)'
end

function __fish_retry_timeout
    printf '%s\t%s\n' \
    '0' 'no limit, the default' \
    '30s' '' \
    '1m' '' \
    '2m' '' \
    '5m' '' \
    '10m' '' \
    '30m' '' \
    '1h' ''
end

function __fish_retry_kill_after
    printf '%s\t%s\n' \
    '0' 'SIGKILL right after SIGTERM' \
    '1s' '' \
    '2s' '' \
    '5s' 'the default' \
    '10s' '' \
    '30s' ''
end

function __fish_retry_budget
    printf '%s\t%s\n' \
    '0' 'no limit, the default' \
    '30s' '' \
    '1m' '' \
    '2m' '' \
    '5m' '' \
    '10m' '' \
    '30m' '' \
    '1h' ''
end

function __fish_retry_stagger
    printf '%s\t%s\n' \
    '0' 'no limit, the default' \
    '30s' '' \
    '1m' '' \
    '2m' '' \
    '5m' '' \
    '10m' '' \
    '30m' '' \
    '1h' ''
end

function __fish_retry_retry_on_http
    printf '%s\t%s\n' \
    '429,5xx' 'too many requests and every server error' \
    '408,425,429,5xx' 'the default, with 501 and 505-599 added' \
    '429' 'too many requests only' \
    '5xx' 'every server error, 500-599' \
    '500-504' 'a range' \
    '502,503,504' 'gateway errors and service unavailable'
end

function __fish_retry_max_retry_after
    printf '%s\t%s\n' \
    '0' 'never wait for Retry-After, retry at once' \
    '30s' '' \
    '1m' '' \
    '5m' '' \
    '10m' '' \
    '30m' '' \
    '1h' '' \
    '6h' 'the default'
end

function __fish_retry_stdin
    printf '%s\t%s\n' \
    'inherit' 'the attempts share it: what one reads, the next does not see (the default)' \
    'replay' 'read it all once, and every attempt reads it from the start'
end

function __fish_retry_breaker_cooldown
    printf '%s\t%s\n' \
    '10s' '' \
    '30s' 'the default' \
    '1m' '' \
    '5m' '' \
    '10m' '' \
    '30m' '' \
    '1h' ''
end

function __fish_retry_log_format
    printf '%s\t%s\n' \
    'text' 'lines for people, the default' \
    'json' 'one JSON object per event, whatever -q or -v say'
end

set -l options -n __fish_retry_in_options

complete -c retry -f
complete -c retry -n 'not __fish_retry_in_options' -a '(__fish_retry_complete_command)'

complete -c retry $options -s n -l attempts -x -d 'at most N runs, the first included (default 5)'
complete -c retry $options -l forever -d 'no attempt limit; other limits still apply'
complete -c retry $options -s s -l strategy -x -a 'constant linear exponential decorrelated' -d 'constant, linear, exponential (default) or decorrelated'
complete -c retry $options -s b -l base -x -a '250ms 500ms 1s 2s 5s 10s 30s 1m 5m' -d 'first delay (default 1s); a bare number is seconds'
complete -c retry $options -l multiplier -x -a '1.5 2 3' -d 'growth factor of exponential, over 1 (default 2)'
complete -c retry $options -s c -l cap -x -a '250ms 500ms 1s 2s 5s 10s 30s 1m 5m' -d 'no delay exceeds it (default 60s)'
complete -c retry $options -s j -l jitter -x -a '(__fish_retry_jitter)' -d 'none, full, equal or P% (±P%); default by strategy'
complete -c retry $options -s r -l retry-on -x -d 'retry only these statuses (default: not 126, 127)'
complete -c retry $options -l stop-on -x -d 'never retry these statuses, like 1,3,5-9'
complete -c retry $options -s t -l timeout -x -a '(__fish_retry_timeout)' -d 'limit of each attempt (default none)'
complete -c retry $options -l kill-after -x -a '(__fish_retry_kill_after)' -d 'grace between SIGTERM and SIGKILL (default 5s)'
complete -c retry $options -l budget -x -a '(__fish_retry_budget)' -d 'limit of the whole run, sleeps included'
complete -c retry $options -l stagger -x -a '(__fish_retry_stagger)' -d 'a random wait below it before the first attempt'
complete -c retry $options -l before-retry -x -a '(__fish_complete_command)' -d 'sh -c CMD after a failed attempt, before the delay'
complete -c retry $options -l on-give-up -x -a '(__fish_complete_command)' -d 'sh -c CMD once when the run ends without success'
complete -c retry $options -l hook-timeout -x -a '250ms 500ms 1s 2s 5s 10s 30s 1m 5m' -d 'limit of each hook (default 30s)'
complete -c retry $options -l http -d 'let the HTTP responses in the output decide'
complete -c retry $options -l retry-on-http -x -a '(__fish_retry_retry_on_http)' -d 'HTTP statuses to retry (408,425,429,500,502-504)'
complete -c retry $options -l max-retry-after -x -a '(__fish_retry_max_retry_after)' -d 'ceiling on a server\'s Retry-After (default 6h)'
complete -c retry $options -l retry-if-output -x -d 'retry when the output matches, whatever the status'
complete -c retry $options -l stop-if-output -x -d 'stop at once when the output matches'
complete -c retry $options -l stdin -x -a '(__fish_retry_stdin)' -d 'inherit (default), or replay it to every attempt'
complete -c retry $options -l hold-output -d 'show only the successful attempt\'s stdout'
complete -c retry $options -l hold-limit -x -a '0 1M 16M 64M 256M 1G' -d 'most stdout --hold-output keeps, like 512K; 0: none (default 64M)'
complete -c retry $options -l breaker -r -F -d 'a circuit breaker in this file or a redis:// URL'
complete -c retry $options -l breaker-threshold -x -d 'failed runs in a row that open it (default 5)'
complete -c retry $options -l breaker-cooldown -x -a '(__fish_retry_breaker_cooldown)' -d 'time open before a trial run (default 30s)'
complete -c retry $options -l quota -r -F -d 'share a retry quota in this file or a redis:// URL'
complete -c retry $options -l quota-size -x -d 'tokens when full (default 500); a retry costs 5'
complete -c retry $options -l redis-ca -r -F -d 'trust only this CA (PEM) for rediss:// (default: the system\'s)'
complete -c retry $options -l pace -r -F -d 'pace attempts across runs: a file or a redis:// URL'
complete -c retry $options -l rate -x -a '1/s 5/s 10/s 60/m 300/m 1000/h 5000/h' -d 'the --pace: at most N per s, m or h, like 5000/h; without it, learned from 429s'
complete -c retry $options -l show-state -d 'print the --breaker\'s, --quota\'s and --pace\'s state; run nothing'
complete -c retry $options -l reset-state -d 'close the --breaker, refill the --quota, free the --pace'
complete -c retry $options -l seed -x -d 'seed the jitter, to reproduce a schedule'
complete -c retry $options -l idempotency-key -x -d 'RETRY_IDEMPOTENCY_KEY (default: new UUID per run)'
complete -c retry $options -l dry-run -d 'print the schedule of delays; run nothing'
complete -c retry $options -s q -l quiet -d 'print only errors, and one line when a run fails'
complete -c retry $options -s v -l verbose -d 'also report each attempt\'s start, end and duration'
complete -c retry $options -l log-format -x -a '(__fish_retry_log_format)' -d 'text (default), or json: one object per event'
complete -c retry $options -s h -l help -d 'show this help and exit'
complete -c retry $options -s V -l version -d 'show the version and exit'
