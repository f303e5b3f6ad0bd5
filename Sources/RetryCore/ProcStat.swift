import Foundation

/// The fields of `/proc/PID/stat` that follow the command name, which may
/// itself hold spaces and parentheses: state is field 0, the process group
/// field 2, the start time (clock ticks after boot) field 19.
enum ProcStat {
    static func fields(of pid: String) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    static func isZombie(_ fields: [Substring]) -> Bool { fields.first == "Z" }
    static func group(_ fields: [Substring]) -> Substring? { fields.count > 2 ? fields[2] : nil }
    static func startTime(_ fields: [Substring]) -> UInt64? { fields.count > 19 ? UInt64(fields[19]) : nil }
}
