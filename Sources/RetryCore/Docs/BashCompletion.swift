/// completions/retry.bash, generated from the option table.
enum BashCompletion {
    static var script: String {
        let specs = OptionSpec.all
        let valued = specs.filter(\.takesValue)
        let shorts = specs.compactMap { spec in spec.short.map { "[\($0)]=\(spec.long)" } }
        let names = specs.map(\.longDisplay) + specs.compactMap { $0.short.map { "-\($0)" } }
        return header + """

            # Completes the value of option $1 (long name, without dashes) for prefix $2.
            _retry_value() {
                local option=$1 cur=$2 values=
                case $option in
            \(valued.map(valueCase).joined(separator: "\n"))
                esac
                COMPREPLY=($(compgen -W "$values" -- "$cur"))
            }

            _retry() {
                local cur=${COMP_WORDS[COMP_CWORD]}
            \(wrapped("local -A short=(", shorts, ")", indent: "    "))
            \(takesValue(valued.map(\.long)))
                COMPREPLY=()

            """ + walk + """
                elif [[ $cur == -* ]]; then
            \(wrapped("COMPREPLY=($(compgen -W '", names, "' -- \"$cur\"))", indent: "        "))
                else
                    _retry_command "$COMP_CWORD"
                fi
            }

            complete -F _retry retry

            """
    }

    /// One arm of `_retry_value`'s case.
    static func valueCase(_ spec: OptionSpec) -> String {
        let label = "        \(spec.long))"
        switch spec.hint?.kind ?? .free {
        case .free:
            return label + " ;;  # free-form"
        case .files:
            return label + "\n            COMPREPLY=($(compgen -f -- \"$cur\"))\n            compopt -o filenames 2>/dev/null\n            return\n            ;;"
        case .command:
            return label + "\n            COMPREPLY=($(compgen -c -- \"$cur\"))\n            return\n            ;;"
        case .words(let words):
            return label + " values=" + ShellQuote.single(words.map(\.word).joined(separator: " ")) + " ;;"
        }
    }

    /// `local takes_value=' a b '` and `takes_value+='c d '` lines: a
    /// space before and after every name, for `*" $name "*`.
    static func takesValue(_ names: [String]) -> String {
        var lines: [String] = [], line = "    local takes_value=' "
        for name in names {
            if line.count + name.count + 2 > 100 {
                lines.append(line + "'")
                line = "    takes_value+='"
            }
            line += name + " "
        }
        lines.append(line + "'")
        return lines.joined(separator: "\n")
    }

    /// `open` + the words + `close`, wrapped before 100 columns.
    static func wrapped(_ open: String, _ words: [String], _ close: String, indent: String) -> String {
        var lines: [String] = [], line = indent + open
        for (index, word) in words.enumerated() {
            let separator = index == 0 || line.hasSuffix(" ") ? "" : " "
            if line.count + separator.count + word.count > 100 {
                lines.append(line)
                line = indent + "    " + word
            } else {
                line += separator + word
            }
        }
        lines.append(line + close)
        return lines.joined(separator: "\n")
    }

    static let header = #"""
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

        """#

    /// Walks the words before the cursor, then completes the one under it.
    static let walk = #"""
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

        """#
}
