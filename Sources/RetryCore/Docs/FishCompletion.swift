/// completions/retry.fish, generated from the option table.
enum FishCompletion {
    static var script: String {
        let valued = OptionSpec.all.filter(\.takesValue)
        let longs = valued.map(\.longDisplay)
        var caseLines: [String] = [], line = "            case"
        for long in longs {
            if line.count + long.count > 96 {
                caseLines.append(line + " \\")
                line = "               "
            }
            line += " " + long
        }
        caseLines.append(line)
        let shorts = valued.compactMap(\.short).map(String.init).joined(separator: " ")
        let helpers = OptionSpec.all.compactMap(helper).joined(separator: "\n\n")
        let completes = OptionSpec.all.map(complete).joined(separator: "\n")
        return header + walkStart + caseLines.joined(separator: "\n") + "\n" + walkMiddle
            + "                    if contains -- $letters[$j] \(shorts)\n" + walkEnd + helpers + "\n\n" + """
            set -l options -n __fish_retry_in_options

            complete -c retry -f
            complete -c retry -n 'not __fish_retry_in_options' -a '(__fish_retry_complete_command)'

            \(completes)

            """
    }

    /// `complete -c retry $options -s n -l attempts -x -d 'summary'`.
    static func complete(_ spec: OptionSpec) -> String {
        var line = "complete -c retry $options"
        if let short = spec.short { line += " -s \(short)" }
        line += " -l \(spec.long)"
        if let hint = spec.hint {
            switch hint.kind {
            case .free: line += " -x"
            case .files: line += " -r -F"
            case .command: line += " -x -a '(__fish_complete_command)'"
            case .words(let words) where words.allSatisfy({ $0.note == nil }):
                line += " -x -a " + ShellQuote.fish(words.map(\.word).joined(separator: " "))
            case .words: line += " -x -a '(__fish_retry_\(ShellQuote.identifier(spec.long)))'"
            }
        }
        return line + " -d " + ShellQuote.fish(spec.summary)
    }

    /// A function that prints the values with their notes, for `--jitter`.
    static func helper(_ spec: OptionSpec) -> String? {
        guard let hint = spec.hint, case .words(let words) = hint.kind, words.contains(where: { $0.note != nil }) else { return nil }
        let pairs = words.map { "    " + ShellQuote.fish($0.word) + " " + ShellQuote.fish($0.note ?? "") + " \\" }
        return "function __fish_retry_\(ShellQuote.identifier(spec.long))\n    printf '%s\\t%s\\n' \\\n"
            + pairs.joined(separator: "\n").dropLast(2) + "\nend"
    }

    static let header = #"""
        # fish completion for retry(1)
        # Installs to share/fish/vendor_completions.d/retry.fish
        # Generated from the option table by `make generate`: do not edit.
        #
        # Completes retry's options and their values. After `--`, or after the first
        # word that is not an option (nor the value of an option that takes one), it
        # completes a command name and then hands over to that command's own
        # completion through __fish_complete_subcommand.


        """#

    static let walkStart = #"""
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

        """#

    static let walkMiddle = #"""
                        set i (math $i + 1)
                    case '-?*'
                        # A cluster of short options: the first that takes a value
                        # takes the rest of the word, or else the next word.
                        set -l letters (string sub -s 2 -- $word | string split '')
                        for j in (seq (count $letters))

        """#

    static let walkEnd = #"""
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


        """#
}
