/// How `retry` writes its messages on stderr.
package enum LogFormat: String, CaseIterable, Sendable {
    /// Lines for people.
    case text
    /// One JSON object per event, for machines; every event, whatever -q or -v say.
    case json
}
