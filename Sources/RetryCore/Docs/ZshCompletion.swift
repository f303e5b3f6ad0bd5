/// completions/_retry, generated from the option table.
enum ZshCompletion {
    /// Options that cannot be given together, beside each one's own names.
    static let exclusive: [[OptionName]] = [[.attempts, .forever], [.quiet, .verbose]]

    static var script: String {
        let helpers = OptionSpec.all.compactMap(helper).joined(separator: "\n\n")
        let specs = OptionSpec.all.map { "    " + argumentSpec($0) + " \\" }.joined(separator: "\n")
        return header + helpers + "\n\n" + command + """
            _retry() {
              local curcontext=$curcontext state line ret=1
              local -a expl

              # -S: `--` ends the options; -A '-*': no options after the first word
              # that is not one, which is where the command starts.
              _arguments -s -S -A '-*' \\
            \(specs)
                '(-):command:_command_names -e' \\
                '*::arguments:_retry_command' && ret=0

              return ret
            }

            _retry "$@"

            """
    }

    /// `-n --attempts`.
    static func names(_ spec: OptionSpec) -> [String] {
        (spec.short.map { ["-\($0)"] } ?? []) + [spec.longDisplay]
    }

    /// One `_arguments` spec, like
    /// `'(-n --attempts --forever)'{-n+,--attempts=}'[summary]:message:action'`.
    static func argumentSpec(_ spec: OptionSpec) -> String {
        let excluded: String
        if spec.name == .help || spec.name == .version {
            excluded = "(- *)"
        } else {
            let group = exclusive.first { $0.contains(spec.name) } ?? [spec.name]
            let all = group.compactMap { name in OptionSpec.all.first { $0.name == name } }.flatMap(names)
            excluded = "(" + all.joined(separator: " ") + ")"
        }
        let suffix = spec.takesValue ? "=" : ""
        let written = spec.short.map { "{-\($0)\(spec.takesValue ? "+" : ""),\(spec.longDisplay)\(suffix)}" }
        var tail = "[" + spec.summary.replacing(scalar: "]", with: #"\]"#) + "]"
        if let hint = spec.hint {
            tail += ":" + hint.message.replacing(scalar: ":", with: #"\:"#) + ":" + action(spec, hint)
        }
        if let written { return ShellQuote.single(excluded) + written + ShellQuote.single(tail) }
        return ShellQuote.single(excluded + spec.longDisplay + suffix + tail)
    }

    static func action(_ spec: OptionSpec, _ hint: ValueHint) -> String {
        switch hint.kind {
        case .free: return ""
        case .files: return "_files"
        case .command: return "_cmdstring"
        case .words(let words) where words.allSatisfy({ $0.note == nil }):
            return "(" + words.map(\.word).joined(separator: " ") + ")"
        case .words: return "_retry_" + ShellQuote.identifier(spec.long)
        }
    }

    /// A function that offers the values with their notes, for `--jitter`.
    static func helper(_ spec: OptionSpec) -> String? {
        guard let hint = spec.hint, case .words(let words) = hint.kind, words.contains(where: { $0.note != nil }) else { return nil }
        let entries = words.map { word in
            ShellQuote.single(word.word.replacing(scalar: ":", with: #"\:"#) + (word.note.map { ":" + $0 } ?? ""))
        }
        return """
            _retry_\(ShellQuote.identifier(spec.long))() {
              local -a values
              values=(
                \(entries.joined(separator: "\n    "))
              )
              _describe -t values \(ShellQuote.single(hint.message)) values
            }
            """
    }

    static let header = """
        #compdef retry
        # zsh completion for retry(1)
        # Installs to share/zsh/site-functions/_retry
        # Generated from the option table by `make generate`: do not edit.
        #
        # Completes retry's options and their values. After `--`, or after the first
        # word that is not an option (nor the value of an option that takes one), it
        # completes a command name and then that command's own arguments, by calling
        # _normal on the words from the command on.


        """

    static let command = """
        # Completes the command and its arguments. After a `--` that came straight
        # after `retry`, _arguments leaves the `--` in words; drop it, or _normal
        # would complete the arguments of a command named `--`.
        _retry_command() {
          if [[ $words[1] == -- ]]; then
            shift words
            (( CURRENT-- ))
          fi
          _normal
        }


        """
}
