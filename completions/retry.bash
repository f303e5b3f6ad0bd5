# bash completion for retry(1)
# Installs to share/bash-completion/completions/retry
# Generated from the option table by `make generate`: do not edit.
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
        attempts) ;;  # free-form
        strategy) values='constant linear exponential decorrelated' ;;
        base) values='250ms 500ms 1s 2s 5s 10s 30s 1m 5m' ;;
        multiplier) values='1.5 2 3' ;;
        cap) values='250ms 500ms 1s 2s 5s 10s 30s 1m 5m' ;;
        jitter) values='none full equal 10% 20% 25% 50%' ;;
        retry-on) ;;  # free-form
        stop-on) ;;  # free-form
        timeout) values='0 30s 1m 2m 5m 10m 30m 1h' ;;
        kill-after) values='0 1s 2s 5s 10s 30s' ;;
        budget) values='0 30s 1m 2m 5m 10m 30m 1h' ;;
        stagger) values='0 30s 1m 2m 5m 10m 30m 1h' ;;
        before-retry)
            COMPREPLY=($(compgen -c -- "$cur"))
            return
            ;;
        on-give-up)
            COMPREPLY=($(compgen -c -- "$cur"))
            return
            ;;
        hook-timeout) values='250ms 500ms 1s 2s 5s 10s 30s 1m 5m' ;;
        retry-on-http) values='429,5xx 408,425,429,5xx 429 5xx 500-504 502,503,504' ;;
        max-retry-after) values='0 30s 1m 5m 10m 30m 1h 6h' ;;
        retry-if-output) ;;  # free-form
        stop-if-output) ;;  # free-form
        stdin) values='inherit replay' ;;
        hold-limit) values='0 1M 16M 64M 256M 1G' ;;
        breaker)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        breaker-threshold) ;;  # free-form
        breaker-cooldown) values='10s 30s 1m 5m 10m 30m 1h' ;;
        quota)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        quota-size) ;;  # free-form
        redis-ca)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        pace)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        rate) values='1/s 5/s 10/s 60/m 300/m 1000/h 5000/h' ;;
        seed) ;;  # free-form
        idempotency-key) ;;  # free-form
        log-format) values='text json' ;;
    esac
    COMPREPLY=($(compgen -W "$values" -- "$cur"))
}

_retry() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local -A short=([n]=attempts [s]=strategy [b]=base [c]=cap [j]=jitter [r]=retry-on [t]=timeout
        [q]=quiet [v]=verbose [h]=help [V]=version)
    local takes_value=' attempts strategy base multiplier cap jitter retry-on stop-on timeout '
    takes_value+='kill-after budget stagger before-retry on-give-up hook-timeout retry-on-http '
    takes_value+='max-retry-after retry-if-output stop-if-output stdin hold-limit breaker '
    takes_value+='breaker-threshold breaker-cooldown quota quota-size redis-ca pace rate seed '
    takes_value+='idempotency-key log-format '
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
            --retry-on --stop-on --timeout --kill-after --budget --stagger --before-retry
            --on-give-up --hook-timeout --http --retry-on-http --max-retry-after --retry-if-output
            --stop-if-output --stdin --hold-output --hold-limit --breaker --breaker-threshold
            --breaker-cooldown --quota --quota-size --redis-ca --pace --rate --show-state
            --reset-state --seed --idempotency-key --dry-run --quiet --verbose --log-format --help
            --version -n -s -b -c -j -r -t -q -v -h -V' -- "$cur"))
    else
        _retry_command "$COMP_CWORD"
    fi
}

complete -F _retry retry
