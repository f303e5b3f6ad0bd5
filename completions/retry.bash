# bash completion for retry(1)
# Installs to share/bash-completion/completions/retry
#
# Completes retry's options and their values. After `--`, or after the first
# word that is not an option (nor the value of an option that takes one), it
# completes a command name and then hands over to that command's own
# completion, through bash-completion's _command_offset when it is loaded,
# or else to plain command and file name completion.

# Completes the words of the command that starts at COMP_WORDS[$1].
_retry_command() {
    local offset=$1
    if declare -F _command_offset >/dev/null; then
        _command_offset "$offset"
        return
    fi
    local cur=${COMP_WORDS[COMP_CWORD]}
    if ((COMP_CWORD == offset)); then
        COMPREPLY=($(compgen -c -- "$cur"))
        [[ $cur == */* ]] && COMPREPLY+=($(compgen -f -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
    compopt -o filenames 2>/dev/null
}

# Completes the value of option $1 (long name, without dashes) for prefix $2.
_retry_value() {
    local option=$1 cur=$2 values=
    case $option in
        breaker | quota)
            # State files: any file name (a redis:// URL is typed by hand).
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        strategy) values='constant linear exponential decorrelated' ;;
        base | cap) values='250ms 500ms 1s 2s 5s 10s 30s 1m 5m' ;;
        timeout | budget) values='0 30s 1m 2m 5m 10m 30m 1h' ;;
        stagger) values='0 10s 30s 1m 5m 10m' ;;
        hook-timeout) values='5s 10s 30s 1m 5m' ;;
        before-retry | on-give-up)
            # A shell command: offer command names.
            COMPREPLY=($(compgen -c -- "$cur"))
            return
            ;;
        kill-after) values='0 1s 2s 5s 10s 30s' ;;
        breaker-cooldown) values='10s 30s 1m 5m 10m 30m 1h' ;;
        jitter) values='none full equal 10% 20% 25% 50%' ;;
        multiplier) values='1.5 2 3' ;;
        log-format) values='text json' ;;
        stdin) values='inherit replay' ;;
        retry-on-http) values='429,5xx 408,425,429,5xx 429 5xx 500-504 502,503,504' ;;
        max-retry-after) values='0 30s 1m 5m 10m 30m 1h 6h' ;;
        hold-limit) values='0 1M 16M 64M 256M 1G' ;;
        # attempts, retry-on, stop-on, breaker-threshold, quota-size, seed,
        # idempotency-key, retry-if-output, stop-if-output: free-form.
    esac
    COMPREPLY=($(compgen -W "$values" -- "$cur"))
}

_retry() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local -A short=([n]=attempts [s]=strategy [b]=base [c]=cap [j]=jitter [r]=retry-on
        [t]=timeout [q]=quiet [v]=verbose [h]=help [V]=version)
    local takes_value=' attempts strategy base multiplier cap jitter retry-on stop-on timeout kill-after '
    takes_value+='budget breaker breaker-threshold breaker-cooldown quota quota-size seed idempotency-key '
    takes_value+='log-format retry-on-http max-retry-after retry-if-output stop-if-output stdin hold-limit '
    takes_value+='stagger before-retry on-give-up hook-timeout '
    COMPREPLY=()

    # Walk the words before the cursor: options, their values, and where the
    # command starts. bash splits `--base=2s` into `--base`, `=`, `2s`.
    local i=1 word name letters letter pending=
    while ((i < COMP_CWORD)); do
        word=${COMP_WORDS[i]}
        if [[ $pending ]]; then
            # This word is the value of an option; a lone `=` joins them.
            if [[ $word == = ]] && ((i + 1 == COMP_CWORD)); then
                _retry_value "$pending" "$cur"
                return
            fi
            [[ $word == = ]] || pending=
            ((i++))
            continue
        fi
        case $word in
            --)
                _retry_command $((i + 1))
                return
                ;;
            --*=*)
                ;;
            --*)
                name=${word#--}
                [[ $takes_value == *" $name "* ]] && pending=$name
                ;;
            -?*)
                letters=${word#-}
                while [[ $letters ]]; do
                    letter=${letters:0:1}
                    letters=${letters:1}
                    name=${short[$letter]}
                    if [[ $name && $takes_value == *" $name "* ]]; then
                        # The rest of the word is the value, or else the next word.
                        [[ $letters ]] || pending=$name
                        break
                    fi
                done
                ;;
            *)
                _retry_command "$i"
                return
                ;;
        esac
        ((i++))
    done

    # The word under the cursor: a value, an option, or the command's name.
    if [[ $pending ]]; then
        [[ $cur == = ]] && cur=
        _retry_value "$pending" "$cur"
    elif [[ $cur == --*=* ]]; then
        # `--name=value` in one word, when `=` is not in COMP_WORDBREAKS.
        name=${cur%%=*}
        _retry_value "${name#--}" "${cur#*=}"
        COMPREPLY=("${COMPREPLY[@]/#/$name=}")
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--attempts --forever --strategy --base --multiplier --cap --jitter
            --retry-on --stop-on --timeout --kill-after --budget --stagger --before-retry --on-give-up
            --hook-timeout --http --retry-on-http
            --max-retry-after --retry-if-output --stop-if-output --stdin --hold-output --hold-limit --breaker
            --breaker-threshold --breaker-cooldown --quota --quota-size --seed --idempotency-key --dry-run
            --quiet --verbose --log-format --help --version -n -s -b -c -j -r -t -q -v -h -V' -- "$cur"))
    else
        _retry_command "$COMP_CWORD"
    fi
}

complete -F _retry retry
