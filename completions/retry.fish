# fish completion for retry(1)
# Installs to share/fish/vendor_completions.d/retry.fish
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
            case --attempts --strategy --base --multiplier --cap --jitter --retry-on --stop-on --timeout --kill-after --budget \
                --stagger --before-retry --on-give-up --hook-timeout \
                --retry-on-http --max-retry-after --retry-if-output --stop-if-output --stdin \
                --breaker --breaker-threshold --breaker-cooldown --quota --quota-size --seed --idempotency-key \
                --log-format
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

function __fish_retry_jitters
    printf '%s\t%s\n' none 'the delay as computed' full 'uniform(0, t), the default' \
        equal 't/2 + uniform(0, t/2)' 10% 't * uniform(0.9, 1.1)' 20% 't * uniform(0.8, 1.2)' \
        25% 't * uniform(0.75, 1.25)' 50% 't * uniform(0.5, 1.5)'
end

function __fish_retry_log_formats
    printf '%s\t%s\n' text 'lines for people, the default' \
        json 'one JSON object per event, whatever -q or -v say'
end

function __fish_retry_http_statuses
    printf '%s\t%s\n' 429,5xx 'Too many requests and every server error' \
        408,425,429,5xx 'The default, with 501 and 505-599 added' \
        429 'Too many requests only' 5xx 'Every server error, 500-599' 500-504 'A range' \
        502,503,504 'Gateway errors and service unavailable'
end

function __fish_retry_stdin_modes
    printf '%s\t%s\n' inherit 'The attempts share it; what one reads, the next does not see (default)' \
        replay 'Read it all once; every attempt reads it from the start'
end

set -l durations 250ms 500ms 1s 2s 5s 10s 30s 1m 5m
set -l limits 0 30s 1m 2m 5m 10m 30m 1h
set -l graces 0 1s 2s 5s 10s 30s
set -l cooldowns 10s 30s 1m 5m 10m 30m 1h
set -l retry_after_caps 0 30s 1m 5m 10m 30m 1h 6h
set -l options -n __fish_retry_in_options

complete -c retry -f
complete -c retry -n 'not __fish_retry_in_options' -a '(__fish_retry_complete_command)'

complete -c retry $options -s n -l attempts -x -d 'Run at most N times, the first run included (default 5)'
complete -c retry $options -l forever -d 'No attempt limit (other limits still apply)'
complete -c retry $options -s s -l strategy -x -a 'constant linear exponential decorrelated' -d 'How the delay grows (default exponential)'
complete -c retry $options -s b -l base -x -a "$durations" -d 'The first delay (default 1s)'
complete -c retry $options -l multiplier -x -a '1.5 2 3' -d 'Growth factor of exponential, more than 1 (default 2)'
complete -c retry $options -s c -l cap -x -a "$durations" -d 'No delay exceeds it (default 60s)'
complete -c retry $options -s j -l jitter -x -a '(__fish_retry_jitters)' -d 'none, full, equal, or P% for ±P% (default: by strategy)'
complete -c retry $options -s r -l retry-on -x -d 'Retry only these exit statuses, like 1,3,5-9'
complete -c retry $options -l stop-on -x -d 'Never retry these exit statuses, like 1,3,5-9'
complete -c retry $options -s t -l timeout -x -a "$limits" -d 'Limit of each attempt; a timed-out attempt is retried (default 0: none)'
complete -c retry $options -l kill-after -x -a "$graces" -d 'After the SIGTERM of a teardown, wait this long, then SIGKILL (default 5s)'
complete -c retry $options -l budget -x -a "$limits" -d 'Total time for the run, sleeps included (default 0: none)'
complete -c retry $options -l stagger -x -a "$limits" -d 'Wait a random time below it before the first attempt (default 0: none)'
complete -c retry $options -l before-retry -x -a '(__fish_complete_command)' -d 'Run this shell command after a failed attempt, before the delay'
complete -c retry $options -l on-give-up -x -a '(__fish_complete_command)' -d 'Run this shell command once when the run ends without success'
complete -c retry $options -l hook-timeout -x -a "$durations" -d 'Limit of each hook (default 30s)'
complete -c retry $options -l http -d "Read HTTP responses in the output; the last one's status decides"
complete -c retry $options -l retry-on-http -x -a '(__fish_retry_http_statuses)' -d 'HTTP statuses to retry, like 429,5xx (needs --http)'
complete -c retry $options -l max-retry-after -x -a "$retry_after_caps" -d 'The longest Retry-After delay obeyed (default 6h; needs --http)'
complete -c retry $options -l retry-if-output -x -d 'Retry an attempt whose output matches, even with status 0'
complete -c retry $options -l stop-if-output -x -d 'Stop at once when the output matches'
complete -c retry $options -l stdin -x -a '(__fish_retry_stdin_modes)' -d 'What each attempt reads on stdin: inherit (default) or replay'
complete -c retry $options -l hold-output -d "Show only the successful attempt's stdout"
complete -c retry $options -l hold-limit -x -a '0 1M 16M 64M 256M 1G' -d 'The most stdout --hold-output keeps (default 64M; 0: no limit)'
complete -c retry $options -l breaker -r -F -d 'Keep a circuit breaker across runs in this state file or redis://HOST:PORT/KEY'
complete -c retry $options -l breaker-threshold -x -d 'Failed runs in a row that open the breaker (default 5)'
complete -c retry $options -l breaker-cooldown -x -a "$cooldowns" -d 'How long the breaker stays open before a trial run (default 30s)'
complete -c retry $options -l quota -r -F -d 'Share a retry quota (token bucket) in this state file or redis://HOST:PORT/KEY'
complete -c retry $options -l quota-size -x -d 'Tokens when full; a retry costs 5, 10 after a timeout (default 500)'
complete -c retry $options -l seed -x -d 'Seed the jitter, to reproduce a schedule'
complete -c retry $options -l idempotency-key -x -d 'The RETRY_IDEMPOTENCY_KEY every attempt gets'
complete -c retry $options -l dry-run -d 'Print the schedule of delays and run nothing'
complete -c retry $options -s q -l quiet -d "Print only errors, and why a run stopped early"
complete -c retry $options -s v -l verbose -d "Also report each attempt's start, duration and success"
complete -c retry $options -l log-format -x -a '(__fish_retry_log_formats)' -d 'How retry reports on stderr: text (default) or json'
complete -c retry $options -s h -l help -d 'Show the help and exit'
complete -c retry $options -s V -l version -d 'Show the version and exit'
